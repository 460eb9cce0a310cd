import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { Coefficient, Difference, Interval } from '../../api/auditing';

/** Shared bits of the auditing screens: figures with n and intervals, difference plots, flags. */

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const pts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(1)}`;

/** A proportion with its interval and x/n; a dash when there is nothing to estimate. */
export function IntervalText({ interval, tooFew }: { interval: Interval; tooFew?: boolean }) {
  if (interval.n === 0 || interval.estimate === null) {
    return (
      <Text span c="dimmed" size="sm">
        — <Text span size="xs">(n = 0)</Text>
      </Text>
    );
  }
  return (
    <Text span size="sm" c={tooFew ? 'dimmed' : undefined}>
      <Text span fw={600}>
        {pct(interval.estimate)}
      </Text>
      <Text span c="dimmed" size="xs">
        {' '}
        [{pct(interval.lower)}, {pct(interval.upper)}] · {interval.x}/{interval.n}
      </Text>
    </Text>
  );
}

/** Two decimals, without the "-0.00" that a rounding-noise negative would print. */
const fixed2 = (value: number): string => (Math.abs(value) < 0.005 ? 0 : value).toFixed(2);

export function CoefficientText({ figure }: { figure: Coefficient }) {
  if (figure.value === null) {
    return (
      <Tooltip label={figure.reason ?? 'Not defined'} withArrow>
        <Text span c="dimmed" size="sm" tabIndex={0}>
          n/a
        </Text>
      </Tooltip>
    );
  }
  return (
    <Text span size="sm">
      <Text span fw={600}>
        {fixed2(figure.value)}
      </Text>
      {figure.lower !== null && figure.upper !== null && (
        <Text span c="dimmed" size="xs">
          {' '}
          [{fixed2(figure.lower)}, {fixed2(Math.min(1, figure.upper))}]
        </Text>
      )}
    </Text>
  );
}

/** A difference in percentage points with its paired interval. */
export function DifferenceText({ difference }: { difference: Difference }) {
  if (difference.estimate === null) return <Text span c="dimmed" size="sm">—</Text>;
  return (
    <Text span size="sm">
      <Text span fw={600}>
        {pts(difference.estimate)} pts
      </Text>
      <Text span c="dimmed" size="xs">
        {' '}
        [{pts(difference.lower)}, {pts(difference.upper)}]
      </Text>
    </Text>
  );
}

const SPAN = 0.3;

/**
 * The leniency interval on a fixed scale from −30 to +30 points, with zero and
 * the tolerance marked, so vendors compare at a glance without a ranking.
 */
export function DifferencePlot({ difference, tolerance, label }: { difference: Difference; tolerance: number; label: string }) {
  const width = 150;
  const x = (v: number) => ((Math.max(-SPAN, Math.min(SPAN, v)) + SPAN) / (2 * SPAN)) * width;
  const described =
    difference.estimate === null
      ? `${label}: no pairs yet.`
      : `${label}: ${pts(difference.estimate)} points, interval ${pts(difference.lower)} to ${pts(difference.upper)}; tolerance +${(100 * tolerance).toFixed(0)}.`;
  return (
    <svg width={width} height={22} role="img" aria-label={described} style={{ display: 'block' }}>
      <title>{described}</title>
      <line x1={0} x2={width} y1={11} y2={11} stroke="#dee2e6" />
      <line x1={x(0)} x2={x(0)} y1={2} y2={20} stroke="#495057" />
      <line x1={x(tolerance)} x2={x(tolerance)} y1={4} y2={18} stroke="#e8590c" strokeDasharray="3 2" />
      {difference.estimate !== null && (
        <>
          <line x1={x(difference.lower)} x2={x(difference.upper)} y1={11} y2={11} stroke="#1864ab" strokeWidth={3} />
          <circle cx={x(difference.estimate)} cy={11} r={4} fill="#1864ab" />
        </>
      )}
    </svg>
  );
}

export function FlagBadges({ inflated, inflatedAlone, tooFew, compared }: { inflated: boolean; inflatedAlone: boolean; tooFew: boolean; compared?: number }) {
  return (
    <Group gap={4} wrap="nowrap">
      {inflated && (
        <Badge color="red" variant="light" size="sm">
          Credibly inflated
        </Badge>
      )}
      {!inflated && inflatedAlone && (
        <Tooltip
          label={`The leniency interval lies above the tolerance, but not once the ${compared ?? 'several'} reviewers compared are allowed for: one of that many can look lenient by chance.`}
          withArrow
          multiline
          w={280}
        >
          <Badge color="yellow" variant="light" size="sm" tabIndex={0}>
            Watch
          </Badge>
        </Tooltip>
      )}
      {tooFew && (
        <Badge color="gray" variant="light" size="sm">
          Too few pairs
        </Badge>
      )}
      {!inflated && !inflatedAlone && !tooFew && (
        <Tooltip label="No credible inflation: the leniency interval does not lie wholly above the tolerance" withArrow>
          <Badge color="teal" variant="light" size="sm" tabIndex={0}>
            Not flagged
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
