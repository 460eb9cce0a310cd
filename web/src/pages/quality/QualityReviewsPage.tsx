import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Anchor, Badge, CloseButton, Group, Switch, Text } from '@mantine/core';
import { metricReviewsParams, useMetricReviews, type ReviewDimension, type ReviewFilter } from '../../api/metrics';
import { useSite, useTeam, useVendor, usePerson } from '../../api/org';
import { usePolicy, useWorkflow } from '../../api/policy';
import type { ReviewSummary } from '../../api/reviews';
import { useSeesAllVendors } from '../../auth/session';
import { ListPagination } from '../../components/ListPagination';
import { ListTable, type Column } from '../../components/ListTable';
import { EmptyMessage } from '../../components/States';
import { formatDate, formatNumber, humanize } from '../../lib/format';
import { ErrorTypeBadges, formatScore, PassBadge } from '../reviews/reviewFormat';
import { QualityFilterBar, QualityPage } from './QualityLayout';
import { baseFilter, DRILL_DIMENSIONS, grainOf, isMeasure, useQualityFilters } from './qualityFilters';
import { DENOMINATOR_WORDS, errorTypeLabel, FAILING_WORDS, formatPeriod, MEASURE_LABELS } from './qualityFormat';
import { CsvButton, serverCsv } from './qualityParts';
import { useRootCauseLabels } from './useRootCauseLabels';

const EXTRA_KEYS = [...DRILL_DIMENSIONS, 'period', 'measure', 'outcome'] as const;
type ExtraKey = (typeof EXTRA_KEYS)[number];
const PERIOD = /^\d{4}-\d{2}-\d{2}$/;

/** One narrowing of the list, with a button to drop it. */
function Chip({ label, value, onRemove }: { label: string; value: ReactNode; onRemove: () => void }) {
  return (
    <Badge
      size="lg"
      color="blue"
      variant="light"
      tt="none"
      fw={500}
      rightSection={<CloseButton size="xs" aria-label={`Remove ${label.toLowerCase()}`} onClick={onRemove} variant="transparent" c="blue.9" />}
    >
      {label}: {value}
    </Badge>
  );
}

function useNames(filters: Record<string, string>) {
  const workflow = useWorkflow(filters.workflow || undefined);
  const vendor = useVendor(filters.vendor || undefined);
  const site = useSite(filters.site || undefined);
  const team = useTeam(filters.team || undefined);
  const agent = usePerson(filters.agent || undefined);
  const policy = usePolicy(filters.policy || undefined);
  return {
    workflow: workflow.data?.name,
    vendor: vendor.data?.name,
    site: site.data?.name,
    team: team.data?.name,
    agent: agent.data?.fullName,
    policy: policy.data?.name,
  } as Record<string, string | undefined>;
}

/** The reviews behind a figure of the dashboards: same filters, period and measure; by default only those counting against it. */
export function QualityReviewsPage() {
  const seesAllVendors = useSeesAllVendors();
  const { base, filters, range, setFilters, offset, setOffset, limit } = useQualityFilters<ExtraKey>(EXTRA_KEYS);
  const names = useNames(filters);
  const rootCause = useRootCauseLabels();
  const measure = isMeasure(filters.measure) ? filters.measure : undefined;
  const failing = Boolean(measure) && filters.outcome === 'failing';
  const period = PERIOD.test(filters.period) ? filters.period : undefined;
  const grain = grainOf(filters.grain);
  const filter: ReviewFilter = [...baseFilter(base), ...DRILL_DIMENSIONS.filter((d) => filters[d]).map((d) => [d, filters[d]] as const satisfies readonly [ReviewDimension, string])];
  const query = { filter, ...range, period, grain, measure, outcome: failing ? ('failing' as const) : undefined };
  const reviews = useMetricReviews({ ...query, limit, offset });
  const total = reviews.data?.total;

  const chips: Array<{ key: ExtraKey | 'workflow' | 'vendor' | 'site'; label: string; value: ReactNode }> = [];
  if (base.workflow) chips.push({ key: 'workflow', label: 'Workflow', value: names.workflow ?? '…' });
  if (base.vendor) chips.push({ key: 'vendor', label: 'Vendor', value: names.vendor ?? '…' });
  if (base.site) chips.push({ key: 'site', label: 'Site', value: names.site ?? '…' });
  if (filters.team) chips.push({ key: 'team', label: 'Team', value: names.team ?? '…' });
  if (filters.agent) chips.push({ key: 'agent', label: 'Agent', value: names.agent ?? '…' });
  if (filters.policy) chips.push({ key: 'policy', label: 'Policy', value: names.policy ?? '…' });
  if (filters.label) chips.push({ key: 'label', label: 'Label', value: filters.label });
  if (filters.severity) chips.push({ key: 'severity', label: 'Severity', value: humanize(filters.severity) });
  if (filters.error_type) chips.push({ key: 'error_type', label: 'Error type', value: errorTypeLabel(filters.error_type) });
  if (filters.root_cause) chips.push({ key: 'root_cause', label: 'Root cause', value: rootCause(filters.root_cause) });
  if (period) chips.push({ key: 'period', label: 'Period', value: formatPeriod(period, grain) });

  const columns: Column<ReviewSummary>[] = [
    {
      key: 'reviewed',
      header: 'Reviewed',
      nowrap: true,
      render: (r) => (
        <Anchor component={Link} to={`/reviews/${r.id}`} size="sm">
          {formatDate(r.submittedAt.slice(0, 10))}
        </Anchor>
      ),
    },
    { key: 'decided', header: 'Decided', nowrap: true, render: (r) => formatDate(r.decision.decidedAt.slice(0, 10)) },
    { key: 'workflow', header: 'Workflow', nowrap: true, render: (r) => r.workflowName },
    ...(seesAllVendors ? [{ key: 'vendor', header: 'Vendor', nowrap: true, render: (r: ReviewSummary) => r.vendorName ?? '—' }] : []),
    { key: 'agent', header: 'Agent', nowrap: true, render: (r) => r.agentName ?? '—' },
    {
      key: 'correct',
      header: 'Decision',
      nowrap: true,
      render: (r) => <Badge color={r.correct ? 'green' : 'red'}>{r.correct ? 'Correct' : 'Incorrect'}</Badge>,
    },
    {
      key: 'score',
      header: 'Score',
      nowrap: true,
      render: (r) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" w={52} ta="right">
            {formatScore(r.score)}
          </Text>
          <PassBadge passed={r.passed} criticalFailed={r.criticalFailed} />
        </Group>
      ),
    },
    { key: 'errors', header: 'Error types', render: (r) => <ErrorTypeBadges types={r.errorTypes} /> },
  ];

  const what = measure
    ? `${MEASURE_LABELS[measure]}: ${failing ? (FAILING_WORDS[measure] ?? 'reviews counting against it') : (DENOMINATOR_WORDS[measure] ?? 'every review behind the figure')}`
    : 'Every review in these filters';

  return (
    <QualityPage
      title="Reviews behind the figure"
      base={base}
      description="The reviews a dashboard figure is computed from, with the same filters, period and measure. Open a review to see its answers."
    >
      <QualityFilterBar base={base} setFilters={setFilters} showGrain={false} />
      <Group gap="xs" mb="sm" align="center">
        <Text size="sm" fw={600}>
          {what}
        </Text>
        {chips.map((chip) => (
          <Chip
            key={chip.key}
            label={chip.label}
            value={chip.value}
            onRemove={() => setFilters(chip.key === 'period' ? { period: null, grain: null } : chip.key === 'vendor' ? { vendor: null, site: null } : { [chip.key]: null })}
          />
        ))}
      </Group>
      {measure && FAILING_WORDS[measure] && (
        <Switch
          mb="sm"
          label={`Only ${FAILING_WORDS[measure]}`}
          checked={failing}
          onChange={(event) => setFilters({ outcome: event.currentTarget.checked ? 'failing' : null })}
        />
      )}
      <Text size="sm" mb="xs" aria-live="polite" data-testid="drill-total">
        {total === undefined ? '' : `${formatNumber(total)} ${total === 1 ? 'review' : 'reviews'}`}
      </Text>
      <ListTable
        caption="Reviews behind the figure"
        columns={columns}
        rows={reviews.data?.items}
        rowKey={(r) => r.id}
        isPending={reviews.isPending}
        isFetching={reviews.isPlaceholderData}
        error={reviews.error}
        onRetry={() => void reviews.refetch()}
        minWidth={1000}
        empty={<EmptyMessage title="No reviews match" description="Widen the period or remove a filter." />}
        footer={
          <Group justify="space-between" wrap="wrap" gap={0}>
            <ListPagination total={total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="reviews" />
            <Group p="xs" ml="auto">
              <CsvButton download={serverCsv('/metrics/reviews', metricReviewsParams(query), 'metric-reviews.csv')} what="these reviews" />
            </Group>
          </Group>
        }
      />
    </QualityPage>
  );
}
