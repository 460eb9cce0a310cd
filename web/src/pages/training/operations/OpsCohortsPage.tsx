import { useState } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { errorMessage } from '../../../api/client';
import { useCreateCohort } from '../../../api/training';
import { opsKeys, useOpsCohorts, type CohortSummary } from '../../../api/training-operations';
import { useCan } from '../../../auth/session';
import { SiteSelect, WorkflowSelect } from '../../../components/EntityPickers';
import { ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { EmptyMessage } from '../../../components/States';
import { formatDate, formatDateTime } from '../../../lib/format';
import { PeopleMultiSelect } from '../TrainingManagePages';
import { TrainingLinks } from '../trainingParts';

/**
 * Cohorts, one screen for creating and running them: each cohort's trainers,
 * sessions held, next session and nesting; its page holds the schedule,
 * attendance, nesting progress and graduation.
 */
export function CohortsPage() {
  const can = useCan();
  const cohorts = useOpsCohorts();
  const columns: Column<CohortSummary>[] = [
    { key: 'name', header: 'Cohort', render: (c) => <Anchor component={Link} to={`/training/cohorts/${c.id}`} size="sm">{c.name}</Anchor> },
    { key: 'where', header: 'Vendor / site', render: (c) => `${c.vendorName ?? '—'} / ${c.siteName ?? '—'}` },
    { key: 'workflow', header: 'Workflow', render: (c) => c.workflowName },
    { key: 'start', header: 'Starts', nowrap: true, render: (c) => formatDate(c.startDate) },
    { key: 'members', header: 'Members', numeric: true, render: (c) => c.members },
    { key: 'trainers', header: 'Trainers', render: (c) => (c.trainerNames.length ? c.trainerNames.join(', ') : <Text size="sm" c="dimmed">None yet</Text>) },
    { key: 'sessions', header: 'Sessions held', numeric: true, render: (c) => `${c.sessionsCompleted} of ${c.sessions}` },
    { key: 'next', header: 'Next session', nowrap: true, render: (c) => (c.nextSessionAt ? formatDateTime(c.nextSessionAt) : '—') },
    { key: 'nesting', header: 'Nesting', render: (c) => (c.hasNesting ? <Badge variant="light">Targets set</Badge> : <Text size="sm" c="dimmed">—</Text>) },
    { key: 'status', header: 'Status', render: (c) => c.status },
  ];
  return (
    <>
      <PageHeader
        title="Cohorts"
        crumbs={[{ label: 'Training', to: '/training/courses' }]}
        description="Groups of new hires who train together at a site. Open a cohort to set its trainers, schedule sessions, take attendance, follow nesting against its QA targets and record graduation."
        actions={<Button component={Link} to="/training/completion?groupBy=cohort" variant="default">Completion by cohort</Button>}
      />
      <TrainingLinks />
      <Stack gap="lg">
        {can('training.manage') && <NewCohortForm />}
        <ListTable
          caption="Cohorts"
          columns={columns}
          rows={cohorts.data?.items}
          rowKey={(c) => c.id}
          isPending={cohorts.isPending}
          isFetching={cohorts.isFetching}
          error={cohorts.error}
          onRetry={() => void cohorts.refetch()}
          empty={<EmptyMessage title="No cohorts yet" description={can('training.manage') ? 'Create one above.' : undefined} />}
        />
      </Stack>
    </>
  );
}

function NewCohortForm() {
  const create = useCreateCohort();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [siteId, setSiteId] = useState<string | null>(null);
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [startDate, setStartDate] = useState('');
  const [memberIds, setMemberIds] = useState<string[]>([]);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-cohort">
      <Title order={2} size="h4" id="new-cohort" mb="sm">
        New cohort
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!siteId || !workflowId) return;
          create.mutate(
            { name, siteId, workflowId, startDate, memberIds },
            {
              onSuccess: () => {
                setName('');
                setMemberIds([]);
                // The list comes from the operations API, cached under its own keys.
                void client.invalidateQueries({ queryKey: opsKeys.all });
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Group grow align="flex-end">
            <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <SiteSelect label="Site" required value={siteId} onChange={setSiteId} />
            <WorkflowSelect label="Workflow" required value={workflowId} onChange={setWorkflowId} />
            <TextInput label="Start date" type="date" required value={startDate} onChange={(e) => setStartDate(e.currentTarget.value)} />
          </Group>
          <PeopleMultiSelect label="Members" value={memberIds} onChange={setMemberIds} />
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!name.trim() || !siteId || !workflowId || !startDate}>
              Create cohort
            </Button>
          </Group>
          {create.error ? <Text c="red" size="sm" role="alert">{errorMessage(create.error)}</Text> : null}
        </Stack>
      </form>
    </Paper>
  );
}

/** The cohort screens used to live under /training/operations; old links and bookmarks land on the merged ones. */
export function OldCohortsRedirect() {
  return <Navigate to="/training/cohorts" replace />;
}

export function OldCohortRedirect() {
  const { cohortId } = useParams();
  return <Navigate to={`/training/cohorts/${cohortId ?? ''}`} replace />;
}
