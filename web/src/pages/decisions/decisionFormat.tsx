/** Display helpers shared by the decision explorer, its detail page and the QA queue. */
import { Badge, Group, Text, Tooltip, VisuallyHidden, type MantineColor } from '@mantine/core';
import type { DecisionSample, DecisionSeverity, QaTaskStatus } from '../../api/decisions';
import { formatDateTime } from '../../lib/format';

export const SEVERITY_COLORS: Record<DecisionSeverity, MantineColor> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'gray',
  none: 'teal',
};

export const SEVERITY_LABELS: Record<DecisionSeverity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  none: 'None (no violation)',
};

/** 42_300 -> "42 s", 125_000 -> "2 min 05 s", 5_400_000 -> "1 h 30 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A probability as a percentage with sensible precision: 1 -> "100%", 0.02 -> "2.0%", 0.0004 -> "0.04%". */
export function formatProbability(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  const pct = p * 100;
  if (pct >= 99.95) return '100%';
  if (pct >= 10) return `${pct.toFixed(0)}%`;
  if (pct >= 0.1) return `${pct.toFixed(1)}%`;
  return `${pct.toPrecision(1)}%`;
}

/** "2026-11-24 14:05:09 GMT+08:00 (Asia/Manila)": the instant in the viewer's zone with its offset. */
export function withOffset(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ` +
    `UTC${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)} (${zone})`
  );
}

/** A moment in the viewer's locale; hovering shows the exact time with its UTC offset. */
export function DateTimeWithOffset({ value }: { value: string }) {
  return (
    <Tooltip label={withOffset(value)}>
      <time dateTime={value}>{formatDateTime(value)}</time>
    </Tooltip>
  );
}

export interface LabelInfo {
  name: string;
  severity: DecisionSeverity;
  policyName: string;
}

/** Label keys as badges coloured by their policy severity (or the decision's, when unknown). */
/** Badges that may wrap after the dot of a long key (policy.label), for narrow table columns. */
const WRAPPING_BADGE = {
  root: { height: 'auto', minHeight: 'var(--badge-height)', minWidth: 0, maxWidth: '100%', paddingBlock: 2 },
  label: { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip', lineHeight: 1.25 },
} as const;

function breakableKey(key: string) {
  const dot = key.indexOf('.');
  if (dot < 0) return key;
  return (
    <>
      {key.slice(0, dot + 1)}
      <wbr />
      {key.slice(dot + 1)}
    </>
  );
}

export function LabelBadges({
  labels,
  severity,
  labelInfo,
  wrap = false,
}: {
  labels: string[];
  severity: Exclude<DecisionSeverity, 'none'> | null;
  labelInfo: Map<string, LabelInfo>;
  /** Let a long key break after its dot (table cells). */
  wrap?: boolean;
}) {
  if (labels.length === 0) {
    return (
      <Badge color="teal" variant="outline" tt="none">
        No violation
      </Badge>
    );
  }
  return (
    <Group gap={4}>
      {labels.map((key) => {
        const info = labelInfo.get(key);
        const level: DecisionSeverity = info?.severity ?? severity ?? 'medium';
        return (
          <Tooltip key={key} label={`${info ? `${info.name} · ${info.policyName}` : key} · ${SEVERITY_LABELS[level]} severity`}>
            <Badge
              color={SEVERITY_COLORS[level]}
              variant={level === 'critical' ? 'filled' : 'light'}
              tt="none"
              styles={wrap ? WRAPPING_BADGE : undefined}
            >
              {wrap ? breakableKey(key) : key}
              <VisuallyHidden> ({level} severity)</VisuallyHidden>
            </Badge>
          </Tooltip>
        );
      })}
    </Group>
  );
}

export function SeverityBadge({ severity }: { severity: DecisionSeverity | null }) {
  const level = severity ?? 'none';
  return (
    <Badge color={SEVERITY_COLORS[level]} variant={level === 'critical' ? 'filled' : 'light'}>
      {level === 'none' ? 'No violation' : level}
    </Badge>
  );
}

const METHOD_LABELS: Record<string, string> = {
  all: 'every decision in the stratum',
  rate: 'random at a fixed rate',
  capped_rate: 'random at a rate with a daily cap',
  quota: 'per-agent quota',
};

/** "Sampled · 2.0%": the decision was picked for QA, with its inclusion probability. */
/** The rule part of a stratum key: `baseline|vendor=…|severity=none` -> `baseline`. */
export function stratumRule(stratumKey: string | null | undefined): string {
  return (stratumKey ?? '').split('|')[0] ?? '';
}

export function SampleBadge({ sample }: { sample: DecisionSample | null }) {
  if (!sample) {
    return (
      <Text size="sm" c="dimmed">
        Not sampled
      </Text>
    );
  }
  return (
    <Tooltip
      multiline
      w={280}
      label={`Stratum ${sample.stratumKey}; ${METHOD_LABELS[sample.method] ?? sample.method}. Inclusion probability ${sample.inclusionProbability.toPrecision(3)}, so it stands for about ${formatWeight(sample.inclusionProbability)} decisions.`}
    >
      <Badge color="violet" tt="none">
        <VisuallyHidden>Sampled, inclusion probability </VisuallyHidden>π {formatProbability(sample.inclusionProbability)}
      </Badge>
    </Tooltip>
  );
}

function formatWeight(p: number): string {
  const w = 1 / p;
  return w >= 10 ? Math.round(w).toLocaleString() : w.toFixed(1);
}

const TASK_COLORS: Record<QaTaskStatus, MantineColor> = {
  open: 'blue',
  claimed: 'violet',
  completed: 'green',
  cancelled: 'gray',
};

const TASK_LABELS: Record<QaTaskStatus, string> = {
  open: 'Open',
  claimed: 'In review',
  completed: 'Reviewed',
  cancelled: 'Cancelled',
};

/** A QA task's state; open or claimed tasks past their due time say "Overdue". */
export function TaskStatusBadge({ status, dueAt, now = new Date() }: { status: QaTaskStatus; dueAt?: string | null; now?: Date }) {
  const overdue = (status === 'open' || status === 'claimed') && dueAt && new Date(dueAt) < now;
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={TASK_COLORS[status] ?? 'gray'}>{TASK_LABELS[status] ?? status}</Badge>
      {overdue && (
        <Tooltip label={`Was due ${formatDateTime(dueAt)}`}>
          <Badge color="red" variant="outline">
            Overdue
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
