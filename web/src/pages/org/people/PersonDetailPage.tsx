import { Link, useParams } from 'react-router-dom';
import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import { isNotFound } from '../../../api/client';
import { usePerson } from '../../../api/org';
import { useWorkflows } from '../../../api/policy';
import { JOB_ROLE_LABELS } from '../../../api/types';
import { useCan } from '../../../auth/session';
import { DetailList, Email } from '../../../components/DetailList';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { StatusBadge } from '../../../components/StatusBadge';
import { formatDate, formatDateTime, formatTenure } from '../../../lib/format';
import { PersonFormModal } from './PersonFormModal';
import { LanguageBadges } from './peopleColumns';

export function PersonDetailPage() {
  const { personId } = useParams();
  const can = useCan();
  const person = usePerson(personId);
  const workflows = useWorkflows({ limit: 500 }, can('policy.read'));
  const [editOpened, edit] = useDisclosure(false);

  if (person.isPending) return <LoadingState label="Loading person" />;
  if (isNotFound(person.error)) return <NotFoundState what="person" backTo="/people" backLabel="Back to the list" />;
  if (person.isError) return <ErrorState error={person.error} onRetry={() => void person.refetch()} />;
  const p = person.data;
  const workflowNames = new Map((workflows.data?.items ?? []).map((w) => [w.id, w.name]));

  return (
    <>
      <PageHeader
        title={p.fullName}
        eyebrow="Person"
        crumbs={[
          { label: p.vendorName, to: `/vendors/${p.vendorId}` },
          { label: p.siteName, to: `/sites/${p.siteId}` },
        ]}
        badges={
          <>
            <Badge color="blue">{JOB_ROLE_LABELS[p.jobRole] ?? p.jobRole}</Badge>
            <StatusBadge status={p.status} />
          </>
        }
        actions={
          can('org.write') && (
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden="true" />} onClick={edit.open}>
              Edit
            </Button>
          )
        }
      />
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md">
          <DetailList
            cols={4}
            items={[
              { label: 'Email', value: p.email ? <Email address={p.email} /> : '—' },
              { label: 'Employee reference', value: p.employeeRef ?? '—' },
              { label: 'Hire date', value: formatDate(p.hireDate) },
              { label: 'Tenure', value: formatTenure(p.tenureDays) },
              {
                label: 'Vendor',
                value: (
                  <Anchor component={Link} to={`/vendors/${p.vendorId}`} size="sm">
                    {p.vendorName}
                  </Anchor>
                ),
              },
              {
                label: 'Site',
                value: (
                  <Anchor component={Link} to={`/sites/${p.siteId}`} size="sm">
                    {p.siteName}
                  </Anchor>
                ),
              },
              {
                label: 'Team',
                value: p.teamId ? (
                  <Anchor component={Link} to={`/teams/${p.teamId}`} size="sm">
                    {p.teamName}
                  </Anchor>
                ) : (
                  'No team'
                ),
              },
              { label: 'Languages', value: <LanguageBadges languages={p.languages} /> },
              { label: 'Added', value: formatDateTime(p.createdAt) },
              { label: 'Last updated', value: formatDateTime(p.updatedAt) },
            ]}
          />
        </Paper>
        <section aria-labelledby="person-skills-heading">
          <Title order={2} size="h3" id="person-skills-heading" mb="sm">
            Workflow skills
          </Title>
          <Paper withBorder p="md" radius="md">
            {p.workflowIds.length === 0 ? (
              <Text size="sm" c="dimmed">
                Not skilled on any workflow yet.
              </Text>
            ) : (
              <Group gap="xs">
                {p.workflowIds.map((id) => (
                  <Badge key={id} component={Link} to={`/workflows/${id}`} color="teal" tt="none" style={{ cursor: 'pointer' }}>
                    {workflowNames.get(id) ?? id}
                  </Badge>
                ))}
              </Group>
            )}
          </Paper>
        </section>
      </Stack>
      <PersonFormModal opened={editOpened} onClose={edit.close} person={p} />
    </>
  );
}
