import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCourses, useCreateCourse, type Course } from '../../api/training';
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
                create.mutate(
                  { title, workflowId },
                  { onSuccess: (course) => navigate(`/training/versions/${course.draftVersion!.id}`) },
                );
              }}
            >
              <Group align="flex-end">
                <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} w={320} />
                <WorkflowSelect label="Workflow" required value={workflowId} onChange={setWorkflowId} w={240} />
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
