import { Link, useParams } from 'react-router-dom';
import { Anchor, Button, Code, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import { isNotFound } from '../../../api/client';
import { usePolicies, useUpdateWorkflow, useWorkflow } from '../../../api/policy';
import type { PolicySummary } from '../../../api/types';
import { useCan, useSeesAllVendors } from '../../../auth/session';
import { DetailList } from '../../../components/DetailList';
import { EmptyMessage, ListTable } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { StatusBadge } from '../../../components/StatusBadge';
import { StatusToggleButton } from '../../../components/StatusToggleButton';
import { formatDateTime } from '../../../lib/format';
import { useTeams } from '../../../api/org';
import { PeopleTable } from '../../org/people/PeopleTable';
import { teamColumns } from '../../org/teams/teamColumns';
import { KIND_LABELS, WorkflowFormModal } from './WorkflowFormModal';

export function WorkflowDetailPage() {
  const { workflowId } = useParams();
  const can = useCan();
  const seesAllVendors = useSeesAllVendors();
  const workflow = useWorkflow(workflowId);
  const policies = usePolicies({ workflowId, limit: 500 }, Boolean(workflowId));
  const teams = useTeams({ workflowId, limit: 200 }, Boolean(workflowId) && can('org.read'));
  const update = useUpdateWorkflow();
  const [editOpened, edit] = useDisclosure(false);

  if (workflow.isPending) return <LoadingState label="Loading workflow" />;
  if (isNotFound(workflow.error)) return <NotFoundState what="workflow" backTo="/workflows" backLabel="Back to the list" />;
  if (workflow.isError) return <ErrorState error={workflow.error} onRetry={() => void workflow.refetch()} />;
  const w = workflow.data;
  const policySet = policies.data?.items;

  return (
    <>
      <PageHeader
        title={w.name}
        eyebrow="Workflow"
        badges={<StatusBadge status={w.status} />}
        actions={
          can('policy.write') && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} aria-hidden="true" />} onClick={edit.open}>
                Edit
              </Button>
              <StatusToggleButton
                noun="workflow"
                name={w.name}
                status={w.status}
                onChange={(status) => update.mutateAsync({ id: w.id, body: { status } })}
              />
            </>
          )
        }
      />
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md">
          <Stack gap="md">
            <DetailList
              items={[
                { label: 'Key', value: <Code>{w.key}</Code> },
                { label: 'Kind', value: KIND_LABELS[w.kind] ?? w.kind },
                { label: 'Policies', value: String(w.policyIds.length) },
              ]}
            />
            {w.description && <Text size="sm">{w.description}</Text>}
          </Stack>
        </Paper>
        <section aria-labelledby="workflow-policies-heading">
          <Title order={2} size="h3" id="workflow-policies-heading" mb="sm">
            Policy set
          </Title>
          <ListTable<PolicySummary>
            caption="Policies in this workflow"
            columns={[
              {
                key: 'name',
                header: 'Policy',
                render: (p) => (
                  <Anchor component={Link} to={`/policies/${p.id}`} fw={500}>
                    {p.name}
                  </Anchor>
                ),
              },
              {
                key: 'version',
                header: 'Version in force',
                render: (p) =>
                  p.currentVersion
                    ? `v${p.currentVersion.version} since ${formatDateTime(p.currentVersion.effectiveFrom)}`
                    : 'None in force',
              },
              { key: 'status', header: 'Status', nowrap: true, render: (p) => <StatusBadge status={p.status} /> },
            ]}
            rows={policySet}
            rowKey={(p) => p.id}
            isPending={policies.isPending}
            error={policies.error}
            onRetry={() => void policies.refetch()}
            empty={<EmptyMessage title="No policies in this workflow yet" />}
          />
        </section>
        {can('org.read') && (
          <section aria-labelledby="workflow-teams-heading">
            <Title order={2} size="h3" id="workflow-teams-heading" mb="sm">
              Teams working this workflow
            </Title>
            <ListTable
              caption="Teams working this workflow"
              columns={teamColumns({ showSite: true, showVendor: seesAllVendors, showWorkflow: false })}
              rows={teams.data?.items}
              rowKey={(t) => t.id}
              isPending={teams.isPending}
              error={teams.error}
              onRetry={() => void teams.refetch()}
              empty={<EmptyMessage title="No team has this as its workflow" />}
            />
          </section>
        )}
        {can('org.read') && (
          <section aria-labelledby="workflow-people-heading">
            <Title order={2} size="h3" id="workflow-people-heading" mb="sm">
              People skilled on this workflow
            </Title>
            <PeopleTable filter={{ workflowId: w.id }} caption="People skilled on this workflow" />
          </section>
        )}
      </Stack>
      <WorkflowFormModal opened={editOpened} onClose={edit.close} workflow={w} />
    </>
  );
}
