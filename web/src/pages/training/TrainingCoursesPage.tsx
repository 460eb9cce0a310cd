import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Anchor, Badge, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCourses, useCreateCourse, usePrograms, type Course } from '../../api/training';
import { errorMessage } from '../../api/client';
import { useCan } from '../../auth/session';
import { WorkflowSelect } from '../../components/EntityPickers';
import { ListTable, type Column } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { EmptyMessage } from '../../components/States';
import { formatDate } from '../../lib/format';
import { TrainingLinks } from './trainingParts';

/** Trainers' home: every course with its published and draft versions, and a new course. */
export function TrainingCoursesPage() {
  const can = useCan();
  const courses = useCourses();
  const create = useCreateCourse();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  // "programId:phaseId" (or "programId:" for the program without a phase); only the chosen workflow's programs.
  const [placement, setPlacement] = useState<string | null>(null);
  const programs = usePrograms();
  const phaseName = new Map((programs.data ?? []).flatMap((p) => p.phases.map((ph) => [ph.id, `${p.name} · ${ph.position + 1}. ${ph.name}`] as const)));
  const placementOptions = (programs.data ?? [])
    .filter((p) => p.status === 'active' && p.workflowId === workflowId)
    .map((p) => ({ group: p.name, items: [{ value: `${p.id}:`, label: `${p.name} (no phase)` }, ...p.phases.map((ph) => ({ value: `${p.id}:${ph.id}`, label: `${p.name} · ${ph.position + 1}. ${ph.name} (${ph.kind})` }))] }));
  const columns: Column<Course>[] = [
    {
      key: 'title',
      header: 'Course',
      render: (c) => {
        const versionId = c.draftVersion?.id ?? c.publishedVersion?.id;
        return versionId ? (
          <Anchor component={Link} to={`/training/versions/${versionId}`} size="sm">
            {c.title}
          </Anchor>
        ) : (
          c.title
        );
      },
    },
    { key: 'workflow', header: 'Workflow', render: (c) => c.workflowName },
    { key: 'program', header: 'Program phase', render: (c) => (c.programPhaseId ? phaseName.get(c.programPhaseId) ?? c.programName : c.programName) ?? '—' },
    { key: 'owner', header: 'Owner', render: (c) => c.vendorName ?? 'Whole organisation' },
    { key: 'published', header: 'Published', nowrap: true, render: (c) => (c.publishedVersion ? `v${c.publishedVersion.version}, ${formatDate(c.publishedVersion.publishedAt)}` : '—') },
    { key: 'draft', header: 'Draft', nowrap: true, render: (c) => (c.draftVersion ? <Badge variant="light">v{c.draftVersion.version} draft</Badge> : '—') },
  ];
  return (
    <>
      <PageHeader title="Training" description="Courses tied to workflows and policy versions; publishing freezes a version, and people keep the version they were enrolled on." />
      <TrainingLinks />
      <Stack gap="lg">
        {can('training.write') && (
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-course">
            <Title order={2} size="h4" id="new-course" mb="sm">
              New course
            </Title>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                if (!workflowId) return;
                const [programId, phaseId] = placement ? placement.split(':') : [null, null];
                create.mutate(
                  { title, workflowId, programId: programId || null, programPhaseId: phaseId || null },
                  { onSuccess: (course) => navigate(`/training/versions/${course.draftVersion!.id}`) },
                );
              }}
            >
              <Group align="flex-end">
                <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} w={320} />
                <WorkflowSelect label="Workflow" required value={workflowId} onChange={(v) => { setWorkflowId(v); setPlacement(null); }} w={240} />
                <Select
                  label="Program phase (optional)"
                  placeholder={!workflowId ? 'Choose a workflow first' : placementOptions.length === 0 ? 'No programs for this workflow' : 'Not in a program'}
                  data={placementOptions}
                  value={placement}
                  onChange={setPlacement}
                  disabled={!workflowId || placementOptions.length === 0}
                  clearable
                  searchable
                  w={320}
                />
                <Button type="submit" loading={create.isPending} disabled={!title.trim() || !workflowId}>
                  Create course
                </Button>
              </Group>
              {create.error && <Text c="red" size="sm" role="alert">{errorMessage(create.error)}</Text>}
            </form>
          </Paper>
        )}
        <ListTable
          caption="Courses"
          columns={columns}
          rows={courses.data}
          rowKey={(c) => c.id}
          isPending={courses.isPending}
          error={courses.error}
          onRetry={() => void courses.refetch()}
          empty={<EmptyMessage title="No courses yet" description="Create one above." />}
        />
      </Stack>
    </>
  );
}
