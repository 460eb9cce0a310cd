import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { Group, Paper, Stack, Switch, Text } from '@mantine/core';
import { MEASURES, metricsParams, useMetrics, type Grain, type Measure, type MeasureKind, type MetricGroup, type MetricsResponse } from '../../api/metrics';
import { useSeesAllVendors } from '../../auth/session';
import { ChartFigure, type ChartClick, type ChartOption } from '../../components/charts/ChartFigure';
import { ListTable, type Column } from '../../components/ListTable';
import { EmptyMessage, ErrorState } from '../../components/States';
import { formatNumber } from '../../lib/format';
import { QualityFilterBar, QualityPage } from './QualityLayout';
import { figureHref, isMeasure, useQualityFilters, type BaseFilters } from './qualityFilters';
import {
  axisPeriod,
  chartScale,
  formatEstimate,
  formatPeriod,
  formatValue,
  MEASURE_HELP,
  periodInWords,
  MEASURE_KINDS,
  MEASURE_LABELS,
  unitSuffix,
} from './qualityFormat';
import { CountLink, CsvButton, EstimateLink, MeasureSelect, SectionHeader, serverCsv } from './qualityParts';

const EXTRA_KEYS = ['measure', 'split'] as const;
const LINE = '#1971c2';
const BAND = 'rgba(25, 113, 194, 0.18)';
/** Distinct at 3:1 against white, and distinct from each other for the common colour-vision deficiencies as far as eight hues allow. */
const PALETTE = ['#1971c2', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#5c940d', '#495057'];

const round = (value: number | null, scale: number) => (value === null ? null : Math.round(value * scale * 100) / 100);

function periodsOf(groups: MetricGroup[]): string[] {
  return [...new Set(groups.map((g) => g.period ?? ''))].filter(Boolean).sort();
}

function vendorsOf(groups: MetricGroup[]): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  for (const g of groups) if (g.key.vendor) seen.set(g.key.vendor, g.names.vendor ?? g.key.vendor);
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

function chartOption(data: MetricsResponse, kind: MeasureKind, split: boolean): ChartOption {
  const scale = chartScale(kind);
  const suffix = unitSuffix(kind);
  const periods = periodsOf(data.groups);
  const axis = { type: 'category', data: periods.map((p) => axisPeriod(p, data.grain)), axisLabel: { color: '#495057' } };
  const yAxis = { type: 'value', scale: true, axisLabel: { color: '#495057', formatter: `{value}${suffix}` } };
  const tooltip = { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}${suffix}` : '—') };
  if (split) {
    const vendors = vendorsOf(data.groups);
    return {
      grid: { left: 56, right: 24, top: 48, bottom: 28 },
      legend: { top: 0, textStyle: { color: '#343a40' } },
      tooltip,
      xAxis: axis,
      yAxis,
      series: vendors.map((vendor, i) => {
        const byPeriod = new Map(data.groups.filter((g) => g.key.vendor === vendor.id).map((g) => [g.period, g]));
        const color = PALETTE[i % PALETTE.length];
        return {
          name: vendor.name,
          type: 'line',
          data: periods.map((p) => round(byPeriod.get(p)?.value ?? null, scale)),
          itemStyle: { color },
          lineStyle: { color, width: 2 },
          symbolSize: 6,
          connectNulls: false,
        };
      }),
    };
  }
  const byPeriod = new Map(data.groups.map((g) => [g.period, g]));
  const at = (p: string) => byPeriod.get(p);
  const hasBand = data.groups.some((g) => g.se !== null);
  return {
    grid: { left: 56, right: 24, top: 32, bottom: 28 },
    legend: { top: 0, textStyle: { color: '#343a40' }, data: hasBand ? [MEASURE_LABELS[data.measure], `${Math.round(data.confidence * 100)}% interval`] : [MEASURE_LABELS[data.measure]] },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const index = (params as Array<{ dataIndex: number }>)[0]?.dataIndex ?? 0;
        const g = at(periods[index] ?? '');
        if (!g) return '';
        return `${formatPeriod(g.period, data.grain)}<br/>${formatEstimate(kind, g)}<br/>n = ${formatNumber(g.n)}`;
      },
    },
    xAxis: axis,
    yAxis,
    series: [
      // The band: an invisible lower line with (upper − lower) stacked on it and filled.
      ...(hasBand
        ? [
            {
              name: 'lower',
              type: 'line',
              stack: 'band',
              data: periods.map((p) => round(at(p)?.lower ?? null, scale)),
              lineStyle: { opacity: 0 },
              symbol: 'none',
              silent: true,
              tooltip: { show: false },
            },
            {
              name: `${Math.round(data.confidence * 100)}% interval`,
              type: 'line',
              stack: 'band',
              data: periods.map((p) => {
                const g = at(p);
                return g && g.lower !== null && g.upper !== null ? round(g.upper - g.lower, scale) : null;
              }),
              lineStyle: { opacity: 0 },
              areaStyle: { color: BAND },
              itemStyle: { color: BAND },
              symbol: 'none',
              silent: true,
            },
          ]
        : []),
      {
        name: MEASURE_LABELS[data.measure],
        type: 'line',
        // Periods with too few reviews are drawn hollow.
        data: periods.map((p) => {
          const g = at(p);
          return { value: round(g?.value ?? null, scale), symbol: g?.tooFew ? 'emptyCircle' : 'circle' };
        }),
        itemStyle: { color: LINE },
        lineStyle: { color: LINE, width: 2 },
        symbolSize: 7,
        connectNulls: false,
      },
    ],
  };
}

function describe(data: MetricsResponse, kind: MeasureKind, split: boolean): string {
  const periods = periodsOf(data.groups);
  if (periods.length === 0) return 'No reviews in this period.';
  const range = `${formatPeriod(periods[0], data.grain)} to ${periodInWords(periods[periods.length - 1], data.grain)}`;
  if (split) return `One line per vendor, ${range}. The table below lists every value with its interval and n.`;
  const valued = data.groups.filter((g) => g.value !== null);
  const first = valued[0];
  const last = valued[valued.length - 1];
  const low = valued.reduce<MetricGroup | null>((m, g) => (m === null || (g.value ?? 0) < (m.value ?? 0) ? g : m), null);
  const high = valued.reduce<MetricGroup | null>((m, g) => (m === null || (g.value ?? 0) > (m.value ?? 0) ? g : m), null);
  return `${range}: from ${formatValue(kind, first?.value)} to ${formatValue(kind, last?.value)}; lowest ${formatValue(kind, low?.value)} (${periodInWords(low?.period, data.grain)}), highest ${formatValue(kind, high?.value)} (${periodInWords(high?.period, data.grain)}). Overall ${formatEstimate(kind, data.overall)}.`;
}

function trendColumns(measure: Measure, kind: MeasureKind, grain: Grain, base: BaseFilters): Column<MetricGroup>[] {
  const census = measure === 'aht' || measure === 'volume';
  return [
    { key: 'period', header: 'Period', nowrap: true, render: (g) => formatPeriod(g.period, grain) },
    {
      key: 'value',
      header: census ? MEASURE_LABELS[measure] : `${MEASURE_LABELS[measure]} (interval)`,
      numeric: true,
      render: (g) => <EstimateLink to={figureHref(base, measure, { vendor: g.key.vendor, period: g.period, grain }, true)} kind={kind} estimate={g} />,
    },
    {
      key: 'n',
      header: census ? 'Decisions (n)' : 'Reviews (n)',
      numeric: true,
      render: (g) => <CountLink to={figureHref(base, measure, { vendor: g.key.vendor, period: g.period, grain }, false)} n={g.n} />,
    },
    { key: 'note', header: 'Note', render: (g) => (g.tooFew ? 'Too few reviews to judge' : '') },
  ];
}

interface PeriodRow {
  period: string;
  byVendor: Map<string, MetricGroup>;
}

/** With one line per vendor: a period per row, a vendor per column, each cell the value, interval and n. */
function splitColumns(data: MetricsResponse | undefined, measure: Measure, kind: MeasureKind, grain: Grain, base: BaseFilters): Column<PeriodRow>[] {
  const vendors = vendorsOf(data?.groups ?? []);
  return [
    { key: 'period', header: 'Period', nowrap: true, render: (row) => formatPeriod(row.period, grain) },
    ...vendors.map(
      (vendor): Column<PeriodRow> => ({
        key: vendor.id,
        header: vendor.name,
        numeric: true,
        render: (row) => {
          const g = row.byVendor.get(vendor.id);
          if (!g) return '—';
          const target = { vendor: vendor.id, period: g.period, grain };
          return (
            <Stack gap={0} align="flex-end">
              <EstimateLink to={figureHref(base, measure, target, true)} kind={kind} estimate={g} />
              <Text size="xs" c="dimmed">
                n = <CountLink to={figureHref(base, measure, target, false)} n={g.n} />
                {g.tooFew ? ', too few' : ''}
              </Text>
            </Stack>
          );
        },
      }),
    ),
  ];
}

function periodRows(data: MetricsResponse | undefined): PeriodRow[] | undefined {
  if (!data) return undefined;
  return periodsOf(data.groups).map((period) => ({
    period,
    byVendor: new Map(data.groups.filter((g) => g.period === period && g.key.vendor).map((g) => [g.key.vendor!, g])),
  }));
}

export function QualityTrendsPage() {
  const navigate = useNavigate();
  const seesAllVendors = useSeesAllVendors();
  const { base, filters, filter, range, grain, setFilters } = useQualityFilters(EXTRA_KEYS);
  const measure: Measure = isMeasure(filters.measure) ? filters.measure : 'accuracy';
  const split = seesAllVendors && filters.split === 'vendor';
  const kind = MEASURE_KINDS[measure];
  const query = { measure, by: split ? ['vendor' as const] : [], filter, grain, ...range };
  const metrics = useMetrics(query);
  const data = metrics.data;
  const option = useMemo(() => (data ? chartOption(data, kind, split) : null), [data, kind, split]);
  const columns = trendColumns(measure, kind, grain, base);
  const csv = (
    <Group justify="flex-end" p="xs">
      <CsvButton
        download={serverCsv('/metrics', metricsParams(query), `${measure}-by-${grain}.csv`)}
        what={`${MEASURE_LABELS[measure].toLowerCase()} by ${grain}${split ? ' and vendor' : ''}`}
      />
    </Group>
  );

  const onClick = (click: ChartClick) => {
    if (!data) return;
    const period = periodsOf(data.groups)[click.dataIndex];
    if (!period) return;
    const vendor = split ? vendorsOf(data.groups).find((v) => v.name === click.seriesName)?.id : undefined;
    navigate(figureHref(base, measure, { vendor, period, grain }, true));
  };

  return (
    <QualityPage
      title="Trends"
      base={base}
      description="A measure over time with its interval band. Select a point, or a row of the table, to list the reviews behind it."
    >
      <QualityFilterBar base={base} setFilters={setFilters} period={data ? { from: data.from, to: data.to } : null}>
        <MeasureSelect measures={MEASURES} value={measure} onChange={(m) => setFilters({ measure: m === 'accuracy' ? null : m })} />
        {seesAllVendors && (
          <Switch
            label="One line per vendor"
            checked={split}
            onChange={(event) => setFilters({ split: event.currentTarget.checked ? 'vendor' : null })}
            mb={8}
          />
        )}
      </QualityFilterBar>
      <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="trend-heading">
        <SectionHeader id="trend-heading" title={`${MEASURE_LABELS[measure]} by ${grain}`} />
        <Text size="sm" c="dimmed" mb="sm">
          {MEASURE_HELP[measure]} {split ? 'Bands are left out with one line per vendor; the table gives each interval.' : kind === 'duration' || kind === 'count' ? 'Every decision is counted, so there is no sampling interval.' : `Hollow points: fewer than ${data?.minN ?? 30} reviews.`}
        </Text>
        {metrics.error && !data ? (
          <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />
        ) : data && option && data.groups.length > 0 ? (
          <ChartFigure
            label={`Chart of ${MEASURE_LABELS[measure].toLowerCase()} by ${grain}${split ? ', one line per vendor' : ' with its interval band'}`}
            description={describe(data, kind, split)}
            option={option}
            height={320}
            onClick={onClick}
          />
        ) : data ? (
          <EmptyMessage title="No reviews in this period" />
        ) : null}
      </Paper>
      {split ? (
        <ListTable
          caption={`${MEASURE_LABELS[measure]} by ${grain} and vendor`}
          columns={splitColumns(data, measure, kind, grain, base)}
          rows={periodRows(data)}
          rowKey={(row) => row.period}
          isPending={metrics.isPending}
          isFetching={metrics.isPlaceholderData}
          error={metrics.error}
          empty={<EmptyMessage title="No reviews in this period" />}
          minWidth={200 + vendorsOf(data?.groups ?? []).length * 170}
          footer={csv}
        />
      ) : (
        <ListTable
          caption={`${MEASURE_LABELS[measure]} by ${grain}`}
          columns={columns}
          rows={data?.groups}
          rowKey={(g) => `${g.period}`}
          isPending={metrics.isPending}
          isFetching={metrics.isPlaceholderData}
          error={metrics.error}
          empty={<EmptyMessage title="No reviews in this period" />}
          minWidth={620}
          footer={csv}
        />
      )}
    </QualityPage>
  );
}
