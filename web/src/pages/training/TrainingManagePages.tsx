import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { Badge, Button, Group, MultiSelect, NumberInput, Paper, SegmentedControl, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { errorMessage, isNotFound } from '../../api/client';
import { usePeople } from '../../api/org';
import {
  percent,
  useAssign,
  useAwards,
  useCertificationOverview,
  useCertifications,
  useCohorts,
  useCompletion,
  useCourses,
  useCreateCertification,
  useCreateProgram,
  useCreateRule,
  useEnrolmentRules,
  useSetRuleStatus,
  useItemAnalysis,
  usePrograms,
  type Award,
  type Certification,
  type CompletionRow,
  type EnrolmentRule,
  type ItemStatistics,
  type PhaseKind,
  type Program,
} from '../../api/training';
import { useCan } from '../../auth/session';
import { TeamSelect, WorkflowSelect } from '../../components/EntityPickers';
import { ListTable, type Column } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { EmptyMessage, NotFoundState } from '../../components/States';
import { formatDate } from '../../lib/format';
import { AwardBadge, RateWithInterval, TrainingLinks } from './trainingParts';

function ErrorText({ error }: { error: unknown }) {
  return error ? (
    <Text c="red" size="sm" role="alert">
      {errorMessage(error)}
    </Text>
  ) : null;
}

export function PeopleMultiSelect({ value, onChange, label }: { value: string[]; onChange: (v: string[]) => void; label: string }) {
  const people = usePeople({ limit: 500, status: 'active' });
  const data = (people.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.fullName} — ${p.siteName}` }));
  return <MultiSelect label={label} searchable data={data} value={value} onChange={onChange} placeholder={people.isPending ? 'Loading…' : 'Type a name'} />;
}

function CourseSelect({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const courses = useCourses();
  const data = (courses.data ?? []).filter((c) => c.publishedVersion).map((c) => ({ value: c.id, label: `${c.title} (v${c.publishedVersion!.version})` }));
  return <Select label="Course (published)" required searchable data={data} value={value} onChange={onChange} />;
}

/** Assign a course to people, a team or a cohort, with a due date. */
export function TrainingAssignPage() {
  const [params] = useSearchParams();
  const assign = useAssign();
  const [courseId, setCourseId] = useState<string | null>(params.get('courseId'));
  const [target, setTarget] = useState<'people' | 'team' | 'cohort'>('cohort');
  const [personIds, setPersonIds] = useState<string[]>([]);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [cohortId, setCohortId] = useState<string | null>(null);
  const [dueAt, setDueAt] = useState('');
  const cohorts = useCohorts();
  return (
    <>
      <PageHeader title="Assign training" crumbs={[{ label: 'Training', to: '/training/courses' }]} description="People keep the version published when they were enrolled. Assigning again leaves open enrolments as they are." />
      <TrainingLinks />
      <Paper withBorder p="md" radius="md" maw={720}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!courseId) return;
            assign.mutate({
              courseId,
              ...(target === 'people' && { personIds }),
              ...(target === 'team' && teamId && { teamId }),
              ...(target === 'cohort' && cohortId && { cohortId }),
              dueAt: dueAt || null,
            });
          }}
        >
          <Stack gap="sm">
            <CourseSelect value={courseId} onChange={setCourseId} />
            <SegmentedControl
              aria-label="Assign to"
              value={target}
              onChange={(v) => setTarget(v as typeof target)}
              data={[
                { value: 'cohort', label: 'A cohort' },
                { value: 'team', label: 'A team' },
                { value: 'people', label: 'People' },
              ]}
              w="fit-content"
            />
            {target === 'people' && <PeopleMultiSelect label="People" value={personIds} onChange={setPersonIds} />}
            {target === 'team' && <TeamSelect label="Team" value={teamId} onChange={setTeamId} />}
            {target === 'cohort' && (
              <Select label="Cohort" searchable data={(cohorts.data ?? []).map((c) => ({ value: c.id, label: `${c.name} — ${c.siteName}` }))} value={cohortId} onChange={setCohortId} />
            )}
            <TextInput label="Due date" type="date" value={dueAt} onChange={(e) => setDueAt(e.currentTarget.value)} w={200} />
            <Group>
              <Button type="submit" loading={assign.isPending} disabled={!courseId}>
                Assign
              </Button>
            </Group>
            <ErrorText error={assign.error} />
            {assign.data && (
              <Text size="sm" role="status">
                {assign.data.created} enrolled; {assign.data.alreadyEnrolled} already had it open.
              </Text>
            )}
          </Stack>
        </form>
      </Paper>
      <RulesSection />
    </>
  );
}

/** New-hire rules: everyone who joins a workflow (hired on or after a day) gets the course. */
function RulesSection() {
  const rules = useEnrolmentRules();
  const create = useCreateRule();
  const setStatus = useSetRuleStatus();
  const courses = useCourses();
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [courseId, setCourseId] = useState<string | null>(null);
  const [hiredOnOrAfter, setHired] = useState('');
  const [dueDays, setDueDays] = useState<number>(14);
  const columns: Column<EnrolmentRule>[] = [
    { key: 'workflow', header: 'New hires of', render: (r) => `${r.workflowName}${r.siteName ? ` at ${r.siteName}` : r.vendorName ? ` at ${r.vendorName}` : ''}` },
    { key: 'since', header: 'Hired on or after', nowrap: true, render: (r) => formatDate(r.hiredOnOrAfter) },
    { key: 'course', header: 'Course', render: (r) => r.courseTitle },
    { key: 'due', header: 'Due after', nowrap: true, render: (r) => `${r.dueDays} days` },
    {
      key: 'status',
      header: 'Status',
      render: (r) => (
        <Button size="xs" variant="subtle" onClick={() => setStatus.mutate({ id: r.id, status: r.status === 'active' ? 'inactive' : 'active' })}>
          {r.status === 'active' ? 'Active: switch off' : 'Off: switch on'}
        </Button>
      ),
    },
  ];
  return (
    <Paper withBorder p="md" radius="md" mt="lg" component="section" aria-labelledby="rules-heading">
      <Title order={2} size="h4" id="rules-heading" mb="sm">
        Enrolment rules
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (workflowId && courseId && hiredOnOrAfter) create.mutate({ workflowId, courseId, hiredOnOrAfter, dueDays });
        }}
      >
        <Group align="flex-end">
          <WorkflowSelect label="New hires of workflow" value={workflowId} onChange={setWorkflowId} />
          <Select label="Get course" searchable data={(courses.data ?? []).filter((c) => c.publishedVersion && (!workflowId || c.workflowId === workflowId)).map((c) => ({ value: c.id, label: c.title }))} value={courseId} onChange={setCourseId} />
          <TextInput label="Hired on or after" type="date" value={hiredOnOrAfter} onChange={(e) => setHired(e.currentTarget.value)} />
          <NumberInput label="Due after (days)" min={1} max={365} w={140} value={dueDays} onChange={(v) => setDueDays(Number(v) || 14)} />
          <Button type="submit" variant="default" loading={create.isPending} disabled={!workflowId || !courseId || !hiredOnOrAfter}>
            Add rule
          </Button>
        </Group>
        <ErrorText error={create.error ?? setStatus.error} />
        {create.data && (
          <Text size="sm" role="status" mt="xs">
            Rule added; {create.data.enrolled} people enrolled now. People who join the workflow later are enrolled when they do.
          </Text>
        )}
      </form>
      <Stack mt="md" />
      <ListTable caption="Enrolment rules" columns={columns} rows={rules.data} rowKey={(r) => r.id} isPending={rules.isPending} error={rules.error} empty={<EmptyMessage title="No rules" description="Add one to enrol new hires automatically." />} />
    </Paper>
  );
}

const PHASES: Array<{ kind: PhaseKind; name: string; durationDays: number }> = [
  { kind: 'classroom', name: 'Classroom', durationDays: 10 },
  { kind: 'nesting', name: 'Nesting', durationDays: 10 },
  { kind: 'production', name: 'Production', durationDays: 30 },
];

export function TrainingProgramsPage() {
  const can = useCan();
  const programs = usePrograms();
  const create = useCreateProgram();
  const [name, setName] = useState('');
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [kind, setKind] = useState<'new_hire' | 'continuous'>('new_hire');
  const [days, setDays] = useState<number[]>(PHASES.map((p) => p.durationDays));
  const columns: Column<Program>[] = [
    { key: 'name', header: 'Program', render: (p) => p.name },
    { key: 'kind', header: 'Kind', render: (p) => (p.kind === 'new_hire' ? 'New hire' : 'Continuous') },
    { key: 'workflow', header: 'Workflow', render: (p) => p.workflowName },
    { key: 'phases', header: 'Phases', render: (p) => (p.phases.length ? p.phases.map((ph) => `${ph.name} (${ph.durationDays} d)`).join(' → ') : '—') },
    { key: 'owner', header: 'Owner', render: (p) => p.vendorName ?? 'Whole organisation' },
  ];
  return (
    <>
      <PageHeader title="Programs" crumbs={[{ label: 'Training', to: '/training/courses' }]} description="New-hire paths (classroom → nesting → production) and continuous-learning programs." />
      <TrainingLinks />
      <Stack gap="lg">
        {can('training.write') && (
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-program">
            <Title order={2} size="h4" id="new-program" mb="sm">
              New program
            </Title>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                if (!workflowId) return;
                create.mutate({ name, workflowId, kind, phases: kind === 'new_hire' ? PHASES.map((p, i) => ({ ...p, durationDays: days[i] })) : [] });
              }}
            >
              <Group align="flex-end">
                <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
                <WorkflowSelect label="Workflow" required value={workflowId} onChange={setWorkflowId} />
                <Select label="Kind" data={[{ value: 'new_hire', label: 'New hire' }, { value: 'continuous', label: 'Continuous learning' }]} value={kind} onChange={(v) => setKind((v as typeof kind) ?? 'new_hire')} />
                {kind === 'new_hire' &&
                  PHASES.map((p, i) => (
                    <NumberInput key={p.kind} label={`${p.name} (days)`} min={1} max={365} w={130} value={days[i]} onChange={(v) => setDays(days.map((d, j) => (j === i ? Number(v) || 1 : d)))} />
                  ))}
                <Button type="submit" loading={create.isPending} disabled={!name.trim() || !workflowId}>
                  Create program
                </Button>
              </Group>
              <ErrorText error={create.error} />
            </form>
          </Paper>
        )}
        <ListTable caption="Programs" columns={columns} rows={programs.data} rowKey={(p) => p.id} isPending={programs.isPending} error={programs.error} empty={<EmptyMessage title="No programs yet" />} />
      </Stack>
    </>
  );
}

export function TrainingCertificationsPage() {
  const can = useCan();
  const certs = useCertifications();
  const overview = useCertificationOverview();
  const [state, setState] = useState<string>('');
  const awards = useAwards(state ? { state } : {});
  const courses = useCourses();
  const create = useCreateCertification();
  const [name, setName] = useState('');
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [courseId, setCourseId] = useState<string | null>(null);
  const [validityDays, setValidityDays] = useState<number>(365);
  const [holdsOff, setHoldsOff] = useState(true);
  const certColumns: Column<Certification>[] = [
    { key: 'name', header: 'Certification', render: (c) => c.name },
    { key: 'workflow', header: 'Workflow', render: (c) => c.workflowName + (c.policyName ? ` / ${c.policyName}` : '') },
    { key: 'course', header: 'Earned by', render: (c) => c.requiredCourseTitle },
    { key: 'validity', header: 'Valid for', nowrap: true, render: (c) => `${c.validityDays} days` },
    { key: 'hold', header: 'Holds off workflow', render: (c) => (c.holdsOffWorkflow ? <Badge color="orange" variant="light">Yes</Badge> : 'No') },
  ];
  const awardColumns: Column<Award>[] = [
    { key: 'person', header: 'Person', render: (a) => `${a.personName} — ${a.siteName}` },
    { key: 'cert', header: 'Certification', render: (a) => a.certificationName },
    { key: 'awarded', header: 'Awarded', nowrap: true, render: (a) => formatDate(a.awardedAt) },
    { key: 'expires', header: 'Expires', nowrap: true, render: (a) => formatDate(a.expiresAt) },
    { key: 'state', header: 'State', render: (a) => <AwardBadge state={a.state} /> },
  ];
  return (
    <>
      <PageHeader title="Certifications" crumbs={[{ label: 'Training', to: '/training/courses' }]} description="Per workflow (and policy), earned by passing a course, valid for a period; recertifying early extends from the old expiry." />
      <TrainingLinks />
      <Stack gap="lg">
        <section aria-labelledby="cert-overview">
          <Title order={2} size="h4" id="cert-overview" mb="sm">
            People by state{overview.data ? ` (expiring soon: within ${overview.data.expiringSoonDays} days)` : ''}
          </Title>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Vendor</Table.Th>
                <Table.Th>Certification</Table.Th>
                <Table.Th ta="right">Valid</Table.Th>
                <Table.Th ta="right">Expiring soon</Table.Th>
                <Table.Th ta="right">Expired</Table.Th>
                <Table.Th ta="right">Revoked</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(overview.data?.rows ?? []).map((r) => (
                <Table.Tr key={`${r.vendorId}:${r.certificationId}`}>
                  <Table.Td>{r.vendorName}</Table.Td>
                  <Table.Td>{r.certificationName}</Table.Td>
                  <Table.Td ta="right">{r.valid}</Table.Td>
                  <Table.Td ta="right">{r.expiringSoon}</Table.Td>
                  <Table.Td ta="right">{r.expired}</Table.Td>
                  <Table.Td ta="right">{r.revoked}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
        {can('training.write') && (
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-cert">
            <Title order={2} size="h4" id="new-cert" mb="sm">
              New certification
            </Title>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                if (!workflowId || !courseId) return;
                create.mutate({ name, workflowId, requiredCourseId: courseId, validityDays, holdsOffWorkflow: holdsOff }, { onSuccess: () => setName('') });
              }}
            >
              <Group align="flex-end">
                <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
                <WorkflowSelect label="Workflow" required value={workflowId} onChange={setWorkflowId} />
                <Select label="Earned by course" required searchable data={(courses.data ?? []).filter((c) => !workflowId || c.workflowId === workflowId).map((c) => ({ value: c.id, label: c.title }))} value={courseId} onChange={setCourseId} />
                <NumberInput label="Valid for (days)" min={1} max={3660} value={validityDays} onChange={(v) => setValidityDays(Number(v) || 365)} w={140} />
                <Switch label="Hold people off the workflow until certified" checked={holdsOff} onChange={(e) => setHoldsOff(e.currentTarget.checked)} />
                <Button type="submit" loading={create.isPending} disabled={!name.trim() || !workflowId || !courseId}>
                  Create certification
                </Button>
              </Group>
              <ErrorText error={create.error} />
            </form>
          </Paper>
        )}
        <ListTable caption="Certification definitions" columns={certColumns} rows={certs.data} rowKey={(c) => c.id} isPending={certs.isPending} error={certs.error} empty={<EmptyMessage title="No certifications yet" />} />
        <section aria-labelledby="awards-heading">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4" id="awards-heading">
              Awards
            </Title>
            <SegmentedControl
              aria-label="Award state"
              value={state}
              onChange={setState}
              data={[
                { value: '', label: 'All' },
                { value: 'valid', label: 'Valid' },
                { value: 'expiring_soon', label: 'Expiring soon' },
                { value: 'expired', label: 'Expired' },
                { value: 'revoked', label: 'Revoked' },
              ]}
            />
          </Group>
          <ListTable caption="Certification awards" columns={awardColumns} rows={awards.data} rowKey={(a) => a.id} isPending={awards.isPending} error={awards.error} empty={<EmptyMessage title="No awards" />} />
        </section>
      </Stack>
    </>
  );
}

const GROUP_HEADERS = { vendor: 'Vendor', site: 'Site', cohort: 'Cohort', trainer: 'Trainer' } as const;

export function TrainingCompletionPage() {
  const [params, setParams] = useSearchParams();
  const groupBy = (['vendor', 'site', 'cohort', 'trainer'] as const).find((g) => g === params.get('groupBy')) ?? 'vendor';
  const completion = useCompletion(groupBy);
  const columns: Column<CompletionRow>[] = [
    { key: 'group', header: GROUP_HEADERS[groupBy], render: (r) => r.groupName ?? '—' },
    { key: 'course', header: 'Course', render: (r) => r.courseTitle },
    { key: 'enrolled', header: 'Enrolled (n)', numeric: true, render: (r) => r.enrolled },
    { key: 'completed', header: 'Completed', numeric: true, render: (r) => r.completed },
    { key: 'rate', header: 'Completion rate [95% CI]', render: (r) => <RateWithInterval interval={r.completionRate} /> },
    { key: 'overdue', header: 'Overdue', numeric: true, render: (r) => r.overdue },
    { key: 'overdueRate', header: 'Overdue rate [95% CI]', render: (r) => <RateWithInterval interval={r.overdueRate} /> },
  ];
  return (
    <>
      <PageHeader title="Training completion" crumbs={[{ label: 'Training', to: '/training/courses' }]} description="Completion of assigned courses in your scope, with Wilson 95% intervals; small groups have wide intervals. By trainer, a cohort's enrolments count for each of its trainers." />
      <TrainingLinks />
      <Stack gap="md">
        <SegmentedControl
          aria-label="Group by"
          value={groupBy}
          onChange={(v) => setParams({ groupBy: v })}
          data={[
            { value: 'vendor', label: 'By vendor' },
            { value: 'site', label: 'By site' },
            { value: 'cohort', label: 'By cohort' },
            { value: 'trainer', label: 'By trainer' },
          ]}
          w="fit-content"
        />
        <ListTable caption="Completion" columns={columns} rows={completion.data} rowKey={(r) => `${r.groupId}:${r.courseId}`} isPending={completion.isPending} error={completion.error} empty={<EmptyMessage title="No enrolments in scope" />} />
      </Stack>
    </>
  );
}

const FLAG_LABELS: Record<string, string> = {
  too_easy: 'Too easy',
  too_hard: 'Too hard',
  low_discrimination: 'Low discrimination',
  negative_discrimination: 'Negative discrimination',
  few_responses: 'Few responses',
};

export function ItemAnalysisPage() {
  const { id = '' } = useParams();
  const analysis = useItemAnalysis(id);
  if (isNotFound(analysis.error)) return <NotFoundState what="assessment" backTo="/training/courses" backLabel="Go to Training" />;
  const columns: Column<ItemStatistics>[] = [
    { key: 'item', header: 'Item', render: (i) => `${i.position + 1}. ${i.stem}` },
    { key: 'n', header: 'n', numeric: true, render: (i) => i.n },
    { key: 'facility', header: 'Facility (p correct) [95% CI]', render: (i) => <RateWithInterval interval={i.facility} /> },
    { key: 'rpb', header: 'Point-biserial (corrected)', numeric: true, render: (i) => (i.pointBiserial === null ? '—' : i.pointBiserial.toFixed(2)) },
    { key: 'd', header: 'Upper–lower 27% D', numeric: true, render: (i) => (i.upperLower ? `${i.upperLower.index.toFixed(2)} (g = ${i.upperLower.groupSize})` : '—') },
    { key: 'flags', header: 'Look at', render: (i) => i.flags.map((f) => <Badge key={f} variant="light" color={f === 'few_responses' ? 'gray' : 'orange'} mr={4}>{FLAG_LABELS[f] ?? f}</Badge>) },
  ];
  return (
    <>
      <PageHeader
        title="Item analysis"
        crumbs={[{ label: 'Training', to: '/training/courses' }]}
        description={`Submitted attempts in your scope: ${analysis.data?.attempts ?? '…'}. Facility near 1 or 0 says little; discrimination below 0.2 means the item does not separate stronger from weaker learners.`}
      />
      <ListTable caption="Items" columns={columns} rows={analysis.data?.items} rowKey={(i) => i.itemId} isPending={analysis.isPending} error={analysis.error} empty={<EmptyMessage title="No items" />} />
      <Text size="xs" c="dimmed" mt="sm">
        D compares the top and bottom {percent(0.27)} of examinees by total score; the point-biserial correlates each item with the rest of the form. Forms are randomised, so each item has its own n.
      </Text>
    </>
  );
}
