import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Alert, Badge, Button, Code, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconInfoCircle, IconPencil, IconPlus } from '@tabler/icons-react';
import { isNotFound } from '../../../api/client';
import { usePolicy, useUpdatePolicy, useWorkflows } from '../../../api/policy';
import { useCan } from '../../../auth/session';
import { PageHeader } from '../../../components/PageHeader';
import { EmptyMessage } from '../../../components/ListTable';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { StatusBadge } from '../../../components/StatusBadge';
import { StatusToggleButton } from '../../../components/StatusToggleButton';
import { PolicyFormModal } from './PolicyFormModal';
import { VersionDetails } from './VersionDetails';
import { VersionTimeline } from './VersionTimeline';

export function PolicyDetailPage() {
  const { policyId } = useParams();
  const [searchParams] = useSearchParams();
  const can = useCan();
  const policy = usePolicy(policyId);
  const workflows = useWorkflows({ limit: 500 });
  const update = useUpdatePolicy();
  const [editOpened, edit] = useDisclosure(false);

  if (policy.isPending) return <LoadingState label="Loading policy" />;
  if (isNotFound(policy.error)) return <NotFoundState what="policy" backTo="/policies" backLabel="Back to the list" />;
  if (policy.isError) return <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />;
  const p = policy.data;
  const versions = p.versions ?? [];

  const requested = Number.parseInt(searchParams.get('version') ?? '', 10);
  const selected =
    versions.find((v) => v.version === requested) ?? versions.find((v) => v.inForce) ?? versions[0];
  const workflowNames = new Map((workflows.data?.items ?? []).map((w) => [w.id, w.name]));
  const canWrite = can('policy.write');

  return (
    <>
      <PageHeader
        title={p.name}
        eyebrow="Policy"
        badges={<StatusBadge status={p.status} />}
        actions={
          canWrite && (
            <>
              <Button component={Link} to={`/policies/${p.id}/versions/new`} leftSection={<IconPlus size={16} aria-hidden="true" />}>
                New version
              </Button>
              <Button variant="default" leftSection={<IconPencil size={16} aria-hidden="true" />} onClick={edit.open}>
                Edit
              </Button>
              <StatusToggleButton
                noun="policy"
                name={p.name}
                status={p.status}
                onChange={(status) => update.mutateAsync({ id: p.id, body: { status } })}
              />
            </>
          )
        }
        description={
          <Stack gap={4}>
            <Text size="sm">
              Key <Code>{p.key}</Code>
            </Text>
            {p.description && <Text size="sm">{p.description}</Text>}
          </Stack>
        }
      />

      {p.workflowIds.length > 0 && (
        <Group gap="xs" mb="md">
          <Text size="sm" fw={500}>
            Used in:
          </Text>
          {p.workflowIds.map((id) => (
            <Badge key={id} color="teal" tt="none" component={Link} to={`/workflows/${id}`} style={{ cursor: 'pointer' }}>
              {workflowNames.get(id) ?? 'Workflow'}
            </Badge>
          ))}
        </Group>
      )}

      {versions.length === 0 ? (
        <Paper withBorder radius="md" p="md">
          <EmptyMessage
            title="No versions yet"
            description="A policy needs a version (text, labels, allowed actions, effective date) before decisions can be judged against it."
            action={
              canWrite && (
                <Button component={Link} to={`/policies/${p.id}/versions/new`}>
                  Create the first version
                </Button>
              )
            }
          />
        </Paper>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="versions-heading">
              <Title order={2} size="h4" id="versions-heading" mb="md">
                Versions
              </Title>
              {!versions.some((v) => v.inForce) && (
                <Alert color="orange" icon={<IconInfoCircle aria-hidden="true" />} mb="md" role="note">
                  No version is in force yet.
                </Alert>
              )}
              <VersionTimeline versions={versions} selected={selected?.version} />
              <Text size="xs" c="dimmed" mt="md">
                Versions are immutable: to change a policy, create a new version with a new effective date.
              </Text>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>{selected && <VersionDetails version={selected} />}</Grid.Col>
        </Grid>
      )}
      <PolicyFormModal opened={editOpened} onClose={edit.close} policy={p} />
    </>
  );
}
