import type { ReactNode } from 'react';
import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { formatShare, type Estimate, type GraduationReadiness, type Interval } from '../../../api/training-operations';

const READINESS: Record<GraduationReadiness, { label: string; color: string }> = {
  met: { label: 'Targets met', color: 'green' },
  not_yet: { label: 'Not yet', color: 'gray' },
  credibly_not_met: { label: 'Credibly not met', color: 'red' },
};

export function ReadinessBadge({ status }: { status: GraduationReadiness }) {
  const r = READINESS[status];
  return <Badge color={r.color} variant={status === 'not_yet' ? 'outline' : 'filled'}>{r.label}</Badge>;
}

/** A rate with its 95% interval and n, as people read it. */
export function EstimateText({ estimate }: { estimate: Estimate }) {
  if (estimate.n === 0 || estimate.value === null) return <Text size="sm" c="dimmed">No reviews</Text>;
  return (
    <Text size="sm">
      {formatShare(estimate.value, estimate.lower, estimate.upper)} <Text span size="xs" c="dimmed">n = {estimate.n}</Text>
    </Text>
  );
}

export function IntervalText({ interval }: { interval: Interval }) {
  if (interval.n === 0 || interval.estimate === null) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Text size="sm">
      {formatShare(interval.estimate, interval.lower, interval.upper)} <Text span size="xs" c="dimmed">{interval.x} of {interval.n}</Text>
    </Text>
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">{title}</Title>
          {actions}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

export const ATTENDANCE_OPTIONS = [
  { value: 'present', label: 'Present' },
  { value: 'late', label: 'Late' },
  { value: 'absent', label: 'Absent' },
  { value: 'excused', label: 'Excused' },
];

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
