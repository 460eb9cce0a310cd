import { useMemo } from 'react';
import { Group, Select, Text } from '@mantine/core';
import { metricsParams, useMetrics, type Dimension, type Measure, type MetricGroup, type VersusOverall } from '../../api/metrics';
import { useSeesAllVendors } from '../../auth/session';
import { ListPagination } from '../../components/ListPagination';
import { ListTable, type Column } from '../../components/ListTable';
import { EmptyMessage } from '../../components/States';
import { formatNumber } from '../../lib/format';
import { QualityFilterBar, QualityPage } from './QualityLayout';
import { drillHref, isMeasure, useQualityFilters } from './qualityFilters';
import { drillMeasure, formatEstimate, formatValue, isWorse, MEASURE_DIRECTION, MEASURE_HELP, MEASURE_KINDS, MEASURE_LABELS } from './qualityFormat';
import { CountLink, CsvButton, EstimateLink, MeasureSelect, serverCsv, VersusBadge } from './qualityParts';

const AGENT_MEASURES: Measure[] = [
  'accuracy',
  'critical_error_rate',
  'pass_rate',
  'qa_score',
  'over_enforcement_rate',
  'under_enforcement_rate',
  'dispute_rate',
];

const EXTRA_KEYS = ['measure', 'sort'] as const;
const PAGE = 50;
type Sort = 'concern' | 'value-asc' | 'value-desc' | 'name';

function concernRank(measure: Measure, g: MetricGroup): number {
  if (g.tooFew || g.credibleVersusOverall === 'within') return 1;
  return isWorse(measure, g.credibleVersusOverall) ? 0 : 2;
}

const byName = (a: MetricGroup, b: MetricGroup) => (a.names.agent ?? '').localeCompare(b.names.agent ?? '');

function sortGroups(groups: MetricGroup[], measure: Measure, sort: Sort): MetricGroup[] {
  const rows = [...groups];
  if (sort === 'name') return rows.sort(byName);
  if (sort === 'concern') return rows.sort((a, b) => concernRank(measure, a) - concernRank(measure, b) || byName(a, b));
  const sign = sort === 'value-asc' ? 1 : -1;
  return rows.sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === null ? (b.value === null ? byName(a, b) : 1) : -1;
    return sign * (a.value - b.value) || byName(a, b);
  });
}

/** Which side is the worrying one, in the sort's words. */
function concernWords(measure: Measure): string {
  const worse: VersusOverall = MEASURE_DIRECTION[measure] === 'down' ? 'above' : 'below';
  return worse === 'below' ? 'Credibly below first' : 'Credibly above first';
}

export function QualityAgentsPage() {
  const { base, filters, filter, range, setFilters, offset, setOffset } = useQualityFilters(EXTRA_KEYS);
  const measure: Measure = isMeasure(filters.measure) && AGENT_MEASURES.includes(filters.measure) ? filters.measure : 'accuracy';
  const sort: Sort = (['value-asc', 'value-desc', 'name'] as const).find((s) => s === filters.sort) ?? 'concern';
  const seesAllVendors = useSeesAllVendors();
  // An agent works for one vendor: adding it to `by` changes no figure, it only names the agent's vendor.
  const query = { measure, by: seesAllVendors ? (['agent', 'vendor'] as Dimension[]) : (['agent'] as Dimension[]), filter, ...range };
  const metrics = useMetrics(query);
  const kind = MEASURE_KINDS[measure];
  const failingMeasure = drillMeasure(measure);
  const data = metrics.data;

  const sorted = useMemo(() => sortGroups(data?.groups ?? [], measure, sort), [data, measure, sort]);
  const rows = sorted.slice(offset, offset + PAGE);
  const worse = sorted.filter((g) => concernRank(measure, g) === 0).length;
  // Intervals that exclude the overall on the worse side, each agent taken alone (before the count of agents compared).
  const worseAlone = sorted.filter((g) => !g.tooFew && g.versusOverall !== 'within' && isWorse(measure, g.versusOverall)).length;
  const tested = sorted.filter((g) => g.pValue !== null).length;

  const columns: Column<MetricGroup>[] = [
    { key: 'agent', header: 'Agent', render: (g) => g.names.agent ?? '—' },
    ...(seesAllVendors ? [{ key: 'vendor', header: 'Vendor', render: (g: MetricGroup) => g.names.vendor ?? '—' }] : []),
    {
      key: 'value',
      header: `${MEASURE_LABELS[measure]} (interval)`,
      numeric: true,
      render: (g) => <EstimateLink to={drillHref(base, { agent: g.key.agent, measure: failingMeasure })} kind={kind} estimate={g} />,
    },
    {
      key: 'n',
      header: 'Reviews (n)',
      numeric: true,
      render: (g) => <CountLink to={drillHref(base, { agent: g.key.agent, measure: failingMeasure, failing: false })} n={g.n} />,
    },
    {
      key: 'shrunk',
      header: 'Shrunk estimate',
      numeric: true,
      render: (g) => formatValue(kind, g.shrunk),
    },
    { key: 'versus', header: 'Against overall', nowrap: true, render: (g) => <VersusBadge measure={measure} versus={g.credibleVersusOverall} tooFew={g.tooFew} qValue={g.qValue} /> },
  ];

  const overall = data?.overall;
  return (
    <QualityPage
      title="Agents"
      base={base}
      description="Each agent’s figure with its interval and the number of reviews behind it, and whether it is credibly different from the overall figure."
    >
      <QualityFilterBar base={base} setFilters={setFilters} showGrain={false} period={data ? { from: data.from, to: data.to } : null}>
        <MeasureSelect measures={AGENT_MEASURES} value={measure} onChange={(m) => setFilters({ measure: m === 'accuracy' ? null : m })} />
        <Select
          label="Order"
          data={[
            { value: 'concern', label: concernWords(measure) },
            { value: 'value-asc', label: 'Lowest value first' },
            { value: 'value-desc', label: 'Highest value first' },
            { value: 'name', label: 'Name' },
          ]}
          value={sort}
          allowDeselect={false}
          onChange={(v) => setFilters({ sort: v === 'concern' ? null : v })}
          w={{ base: '100%', sm: 200 }}
        />
      </QualityFilterBar>
      <Text size="sm" mb={4}>
        Agents are grouped, not ranked: with a few dozen reviews each, most gaps between agents are sampling noise. An agent is
        marked credibly different when the interval excludes the overall figure and the mark survives the number of agents
        compared: among the agents marked, at most {data ? Math.round((1 - data.confidence) * 100) : 5}% are expected to be noise
        (false discovery rate, Benjamini–Hochberg).
      </Text>
      <Text size="sm" c="dimmed" mb="sm">
        {MEASURE_HELP[measure]}{' '}
        {overall &&
          `Overall ${formatEstimate(kind, overall)}, n = ${formatNumber(overall.n)}. ${formatNumber(worse)} of ${formatNumber(tested)} agents compared are credibly on the worse side` +
            (worseAlone > worse ? ` (${formatNumber(worseAlone)} intervals exclude the overall on that side, each taken alone).` : '.') +
            ' The shrunk estimate pulls small samples toward the overall figure.'}
      </Text>
      <ListTable
        caption={`Agents by ${MEASURE_LABELS[measure].toLowerCase()}`}
        columns={columns}
        rows={data ? rows : undefined}
        rowKey={(g) => `${g.key.agent}|${g.key.vendor ?? ''}`}
        isPending={metrics.isPending}
        isFetching={metrics.isPlaceholderData}
        error={metrics.error}
        onRetry={() => void metrics.refetch()}
        minWidth={760}
        empty={<EmptyMessage title="No reviewed agents in this period" description="Choose a longer period or fewer filters." />}
        footer={
          <Group justify="space-between" wrap="wrap" gap={0}>
            <ListPagination
              total={sorted.length}
              limit={PAGE}
              offset={offset}
              onOffsetChange={setOffset}
              noun="agents"
            />
            <Group p="xs" ml="auto">
              <CsvButton download={serverCsv('/metrics', metricsParams(query), `agents-${measure}.csv`)} what={`agents by ${MEASURE_LABELS[measure].toLowerCase()}`} />
            </Group>
          </Group>
        }
      />
    </QualityPage>
  );
}
