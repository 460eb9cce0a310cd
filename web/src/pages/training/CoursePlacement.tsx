/**
 * Where a course sits in the training programs of its workflow (a phase of a
 * new-hire path, a program without a phase, or none), and moving it. Shown
 * on the course page; the server checks the program trains the same workflow.
 */
import { useEffect, useState } from 'react';
import { Button, Group, Paper, Select, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage, isApiError } from '../../api/client';
import { useCourses, useMoveCourse, usePrograms, type Program } from '../../api/training';
import { useCan, useSeesAllVendors } from '../../auth/session';

const NONE = 'none';
const valueOf = (programId: string | null, phaseId: string | null) => (programId ? `${programId}:${phaseId ?? ''}` : NONE);

export function placementLabel(programs: readonly Program[], programId: string | null, phaseId: string | null, programName?: string | null): string {
  if (!programId) return 'Not in a program';
  const program = programs.find((p) => p.id === programId);
  const phase = program?.phases.find((ph) => ph.id === phaseId);
  const name = program?.name ?? programName ?? 'A program';
  return phase ? `${name} · ${phase.position + 1}. ${phase.name}` : `${name} (no phase)`;
}

export function CoursePlacement({ courseId, workflowId }: { courseId: string; workflowId: string }) {
  const can = useCan();
  const seesAllVendors = useSeesAllVendors();
  const courses = useCourses();
  const programs = usePrograms();
  const move = useMoveCourse(courseId);
  const course = courses.data?.find((c) => c.id === courseId);
  const current = course ? valueOf(course.programId, course.programPhaseId) : null;
  const [value, setValue] = useState<string | null>(current);
  useEffect(() => setValue(current), [current]);
  if (!course) return null;
  // A vendor's trainers see only their vendor's courses and the organisation's, and edit only the former.
  const editable = can('training.write') && (seesAllVendors || course.vendorId !== null);
  const options = [
    { group: 'No program', items: [{ value: NONE, label: 'Not in a program' }] },
    ...(programs.data ?? [])
      .filter((p) => p.workflowId === workflowId && (p.status === 'active' || p.id === course.programId))
      .map((p) => ({
        group: p.name,
        items: [{ value: `${p.id}:`, label: `${p.name} (no phase)` }, ...p.phases.map((ph) => ({ value: `${p.id}:${ph.id}`, label: `${p.name} · ${ph.position + 1}. ${ph.name} (${ph.kind})` }))],
      })),
  ];
  const fieldError = isApiError(move.error) ? move.error.details.map((d) => d.message).join(' ') || errorMessage(move.error) : move.error ? errorMessage(move.error) : undefined;
  const save = () => {
    const [programId, phaseId] = value && value !== NONE ? value.split(':') : [null, null];
    move.mutate(
      { programId: programId || null, programPhaseId: phaseId || null },
      { onSuccess: (c) => notifications.show({ color: 'green', message: `"${c.title}" is now: ${placementLabel(programs.data ?? [], c.programId, c.programPhaseId, c.programName)}.` }) },
    );
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="course-placement-heading" mb="md">
      <Title order={2} size="h4" id="course-placement-heading" mb="xs">
        Program phase
      </Title>
      {editable ? (
        <Group align="flex-start">
          <Select
            label="Where this course sits"
            description="Applies to the course, every version; enrolments already made are not changed."
            data={options}
            value={value}
            onChange={(v) => { move.reset(); setValue(v); }}
            allowDeselect={false}
            searchable
            w={420}
            error={fieldError}
          />
          <Button mt={46} onClick={save} loading={move.isPending} disabled={!value || value === current}>
            Move course
          </Button>
        </Group>
      ) : (
        <Text size="sm">{placementLabel(programs.data ?? [], course.programId, course.programPhaseId, course.programName)}</Text>
      )}
    </Paper>
  );
}
