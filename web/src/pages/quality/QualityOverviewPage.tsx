import { useMemo } from 'react';
import { Badge, Group, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { metricsParams, useMetrics, type Grain, type Measure, type MetricFilter, type MetricGroup, type MetricsResponse } from '../../api/metrics';
import { ChartFigure, type ChartOption } from '../../components/charts/ChartFigure';
import { ListTable, type Column } from '../../components/ListTable';
import { EmptyMessage, ErrorState } from '../../components/States';
import { formatNumber } from '../../lib/format';
import { QualityFilterBar, QualityPage } from './QualityLayout';
import { drillHref, isMeasure, useQualityFilters, type BaseFilters } from './qualityFilters';
import {
  drillMeasure,
  formatInterval,
  periodInWords,
  formatValue,
  MEASURE_HELP,
  MEASURE_KINDS,
  MEASURE_LABELS,
} from './qualityFormat';
import { CountLink, CsvButton, EstimateLink, FigureLink, MeasureSelect, SectionHeader, serverCsv, VersusBadge } from './qualityParts';

const TILE_MEASURES: Measure[] = [
  'accuracy',
  'critical_error_rate',
  'over_enforcement_rate',
  'under_enforcement_rate',
  'qa_score',
  'dispute_rate',
  'overturn_rate',
];

const EXTRA_KEYS = ['measure'] as const;
const SPARK_COLOR = '#1971c2';

function sparklineOption(groups: MetricGroup[], scale: number): ChartOption {
  return {
    grid: { left: 2, right: 2, top: 4, bottom: 4 },
    xAxis: { type: 'category', show: false, data: groups.map((g) => g.period ?? '') },
    yAxis: { type: 'value', show: false, scale: true },
    series: [
      {
        type: 'line',
        data: groups.map((g) => (g.value === null ? null : g.value * scale)),
        symbol: 'none',
        lineStyle: { color: SPARK_COLOR, width: 2 },
        connectNulls: false,
      },
    ],
  };
}

interface TileProps {
  measure: Measure;
  filter: MetricFilter;
  range: { from?: string; to?: string };
  grain: Grain;
  base: BaseFilters;
}

/** One measure: value, interval, n, the trend by period, and the unweighted sample figure as a footnote. */
function MeasureTile({ measure, filter, range, grain, base }: TileProps) {
  const query = useMetrics({ measure, filter, grain, ...range });
  const kind = MEASURE_KINDS[measure];
  const headingId = `tile-${measure}`;
  const data = query.data;
  const overall = data?.overall;
  const points = (data?.groups ?? []).filter((g) => g.value !== null);
  const scale = kind === 'proportion' ? 100 : 1;
  const spark = useMemo(() => sparklineOption(data?.groups ?? [], scale), [data, scale]);
  const interval = overall && overall.se !== null ? formatInterval(kind, overall.lower, overall.upper) : null;
  const last = points[points.length - 1];
  const values = points.map((g) => g.value as number);
  // The latest period with its n, and the range: weekly figures from a sample swing, so no "from ... to ..." story.
  const trendWords =
    last && points.length > 1
      ? `Latest ${grain} (${periodInWords(last.period, grain).replace(/^week of /, '')}): ${formatValue(kind, last.value)}, n = ${formatNumber(last.n)}. Range ${formatValue(kind, Math.min(...values))}–${formatValue(kind, Math.max(...values))} over ${points.length} ${grain}s.`
      : 'Too few periods for a trend.';
  const trendLabel = `${MEASURE_LABELS[measure]} by ${grain}`;
  const failingMeasure = drillMeasure(measure);

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap={4}>
        <Text component="h2" id={headingId} fw={600} size="sm" m={0}>
          {MEASURE_LABELS[measure]}
        </Text>
        {query.isPending ? (
          <Skeleton h={96} />
        ) : query.error && !data ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : overall ? (
          <>
            <Group gap="xs" align="baseline" wrap="nowrap">
              <FigureLink
                to={drillHref(base, { measure: failingMeasure })}
                label={`${MEASURE_LABELS[measure]} ${formatValue(kind, overall.value)}: list the reviews behind it`}
              >
                <Text span fz={28} fw={700} c="blue.9" lh={1.1}>
                  {formatValue(kind, overall.value)}
                </Text>
              </FigureLink>
              {overall.tooFew && (
                <Badge color="gray" variant="outline">
                  Too few reviews
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {interval ? `${Math.round((data.confidence ?? 0.95) * 100)}% interval ${interval}` : 'No interval'} ·{' '}
              <FigureLink to={drillHref(base, { measure: failingMeasure, failing: false })} label={`n = ${formatNumber(overall.n)} reviews: list them`}>
                n = {formatNumber(overall.n)}
              </FigureLink>
            </Text>
            {points.length > 1 && (
              <ChartFigure
                label={trendLabel}
                description={trendWords}
                option={spark}
                height={44}
              />
            )}
            <Text size="xs" c="dimmed">
              {trendWords}
            </Text>
            {overall.sampleValue !== null && (
              <Text size="xs" c="dimmed">
                Sample {MEASURE_LABELS[measure].toLowerCase()} (unweighted): {formatValue(kind, overall.sampleValue)}
              </Text>
            )}
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}

const BREAKDOWN_MEASURES = TILE_MEASURES;

function VendorBreakdown({ measure, data, base, params }: { measure: Measure; data: MetricsResponse | undefined; base: BaseFilters; params: ReturnType<typeof metricsParams> }) {
  const kind = MEASURE_KINDS[measure];
  const failingMeasure = drillMeasure(measure);
  const columns: Column<MetricGroup>[] = [
    { key: 'vendor', header: 'Vendor', render: (g) => g.names.vendor ?? '—' },
    {
      key: 'value',
      header: MEASURE_LABELS[measure],
      numeric: true,
      render: (g) => <EstimateLink to={drillHref(base, { vendor: g.key.vendor, measure: failingMeasure })} kind={kind} estimate={g} />,
    },
    {
      key: 'n',
      header: 'Reviews (n)',
      numeric: true,
      render: (g) => <CountLink to={drillHref(base, { vendor: g.key.vendor, measure: failingMeasure, failing: false })} n={g.n} />,
    },
    { key: 'versus', header: 'Against overall', render: (g) => <VersusBadge measure={measure} versus={g.credibleVersusOverall} tooFew={g.tooFew} qValue={g.qValue} /> },
  ];
  return (
    <ListTable
      caption={`${MEASURE_LABELS[measure]} by vendor`}
      columns={columns}
      rows={data?.groups}
      rowKey={(g) => g.key.vendor ?? ''}
      isPending={!data}
      empty={<EmptyMessage title="No reviews in this period" />}
      minWidth={560}
      footer={
        <Group justify="flex-end" p="xs">
          <CsvButton download={serverCsv('/metrics', params, `${measure}-by-vendor.csv`)} what={`${MEASURE_LABELS[measure].toLowerCase()} by vendor`} />
        </Group>
      }
    />
  );
}

export function QualityOverviewPage() {
  const { base, filters, filter, range, grain, setFilters } = useQualityFilters(EXTRA_KEYS);
  const measure: Measure = isMeasure(filters.measure) && BREAKDOWN_MEASURES.includes(filters.measure) ? filters.measure : 'accuracy';
  const breakdownQuery = { measure, by: ['vendor' as const], filter, ...range };
  const breakdown = useMetrics(breakdownQuery);
  const params = metricsParams(breakdownQuery);

  return (
    <QualityPage
      title="Quality overview"
      base={base}
      description="The program’s quality figures, weighted from the QA sample to all decisions, each with its interval and the number of reviews (n) behind it. Select a figure to list those reviews."
    >
      <QualityFilterBar base={base} setFilters={setFilters} period={breakdown.data ? { from: breakdown.data.from, to: breakdown.data.to } : null} />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="xl">
        {TILE_MEASURES.map((m) => (
          <MeasureTile key={m} measure={m} filter={filter} range={range} grain={grain} base={base} />
        ))}
      </SimpleGrid>
      <section aria-labelledby="breakdown-heading">
        <SectionHeader id="breakdown-heading" title="By vendor">
          <MeasureSelect
            measures={BREAKDOWN_MEASURES}
            value={measure}
            onChange={(m) => setFilters({ measure: m === 'accuracy' ? null : m })}
            label="Measure"
            size="xs"
            w={220}
          />
        </SectionHeader>
        <Text size="sm" c="dimmed" mb="xs">
          {MEASURE_HELP[measure]}
        </Text>
        {breakdown.error && !breakdown.data ? (
          <ErrorState error={breakdown.error} onRetry={() => void breakdown.refetch()} />
        ) : (
          <VendorBreakdown measure={measure} data={breakdown.data} base={base} params={params} />
        )}
      </section>
    </QualityPage>
  );
}
