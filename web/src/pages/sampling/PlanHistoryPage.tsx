import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Anchor, Badge, Button, Grid, Group, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { isNotFound } from '../../api/client';
import { useWorkflow } from '../../api/policy';
import { usePlanVersions, type PlanVersion, type PlanVersionStatus } from '../../api/sampling';
import { useCan, useSeesAllVendors } from '../../auth/session';
import { DetailList } from '../../components/DetailList';
import { EmptyMessage } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { PlanDefinitionView } from './PlanDefinitionView';
import { useNameOf } from './useNameOf';

const PLAN_STATUS: Record<PlanVersionStatus, { label: string; color: string }> = {
  active: { label: 'In force', color: 'green' },
  draft: { label: 'Draft', color: 'blue' },
  superseded: { label: 'Superseded', color: 'gray' },
};

/** An activated version whose start is still ahead reads "Scheduled". */
export function planStatus(version: Pick<PlanVersion, 'status' | 'inForce'>): { label: string; color: string } {
  if (version.status === 'active' && !version.inForce) return { label: 'Scheduled', color: 'cyan' };
  return PLAN_STATUS[version.status];
}

function VersionList({ versions, selected }: { versions: PlanVersion[]; selected: PlanVersion | undefined }) {
  const activeIndex = versions.findIndex((v) => v.inForce);
  return (
    <Timeline active={activeIndex === -1 ? -1 : versions.length - 1 - activeIndex} reverseActive bulletSize={18} lineWidth={2}>
      {versions.map((version) => {
        const isSelected = version.id === selected?.id;
        const status = planStatus(version);
        return (
          <Timeline.Item
            key={version.id}
            title={
              <Group gap="xs">
                <Anchor
                  component={Link}
                  to={`?version=${version.version}`}
                  replace
                  fw={isSelected ? 700 : 500}
                  aria-current={isSelected ? 'true' : undefined}
                >
                  Version {version.version}
                </Anchor>
                <Badge color={status.color}>{status.label}</Badge>
              </Group>
            }
          >
            <Text size="sm">{version.name}</Text>
            <Text size="xs" c="dimmed">
              {version.effectiveFrom ? `Effective ${formatDateTime(version.effectiveFrom)}` : `Draft, saved ${formatDateTime(version.updatedAt)}`}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

/** A workflow's sampling plan: every version, newest first, and the chosen one's definition. */
export function PlanHistoryPage() {
  const { workflowId } = useParams();
  const [searchParams] = useSearchParams();
  const can = useCan();
  const canWrite = useSeesAllVendors() && can('sampling.write');
  const workflow = useWorkflow(workflowId);
  const versions = usePlanVersions(workflowId);
  const nameOf = useNameOf(workflowId);

  if (workflow.isPending || versions.isPending) return <LoadingState label="Loading the plan's versions" />;
  if (isNotFound(workflow.error) || isNotFound(versions.error)) return <NotFoundState what="workflow" backTo="/sampling" backLabel="Back to sampling plans" />;
  if (workflow.isError) return <ErrorState error={workflow.error} onRetry={() => void workflow.refetch()} />;
  if (versions.isError) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;

  const list = [...versions.data.items].sort((a, b) => b.version - a.version);
  const asked = Number(searchParams.get('version'));
  const selected = list.find((v) => v.version === asked) ?? list.find((v) => v.inForce) ?? list.find((v) => v.status === 'active') ?? list[0];
  const draft = list.find((v) => v.status === 'draft');

  return (
    <>
      <PageHeader
        title={`${workflow.data.name} sampling plan`}
        eyebrow="Sampling plan"
        crumbs={[{ label: 'Sampling plans', to: '/sampling' }]}
        description="Activated versions never change: each decision keeps the version that sampled it."
        actions={
          canWrite && (
            <Button
              component={Link}
              to={`/sampling/${workflow.data.id}/draft`}
              leftSection={draft ? <IconPencil size={16} aria-hidden="true" /> : <IconPlus size={16} aria-hidden="true" />}
            >
              {draft ? 'Edit draft' : 'New draft'}
            </Button>
          )
        }
      />
      {list.length === 0 || !selected ? (
        <EmptyMessage title="No versions yet" description="Create a draft to start this workflow's plan." />
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Paper withBorder radius="md" p="md" component="section" aria-labelledby="plan-versions-heading">
              <Title order={2} size="h4" id="plan-versions-heading" mb="md">
                Versions
              </Title>
              <VersionList versions={list} selected={selected} />
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Paper withBorder radius="md" p="md" component="section" aria-labelledby="plan-version-heading">
              <Stack gap="md">
                <Group gap="sm">
                  <Title order={2} size="h4" id="plan-version-heading">
                    Version {selected.version}: {selected.name}
                  </Title>
                  <Badge color={planStatus(selected).color}>{planStatus(selected).label}</Badge>
                </Group>
                <DetailList
                  cols={3}
                  items={[
                    { label: 'Effective from', value: selected.effectiveFrom ? formatDateTime(selected.effectiveFrom) : 'Not activated' },
                    { label: 'Created', value: formatDateTime(selected.createdAt) },
                    { label: 'Activated', value: selected.activatedAt ? formatDateTime(selected.activatedAt) : '—' },
                  ]}
                />
                {selected.notes && (
                  <Text size="sm" className="assay-pre">
                    {selected.notes}
                  </Text>
                )}
                <PlanDefinitionView definition={selected.definition} nameOf={nameOf} idPrefix="plan-version" />
              </Stack>
            </Paper>
          </Grid.Col>
        </Grid>
      )}
    </>
  );
}
