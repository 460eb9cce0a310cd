import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Group, List, Paper, Text } from '@mantine/core';
import {
  CONTROL_MEASURES,
  controlChartParams,
  useControlChart,
  type ControlChartResponse,
  type ControlMeasure,
  type ControlPoint,
} from '../../api/metrics';
import { ChartFigure, type ChartClick, type ChartOption } from '../../components/charts/ChartFigure';
import { ListTable, type Column } from '../../components/ListTable';
import { EmptyMessage, ErrorState } from '../../components/States';
import { formatNumber } from '../../lib/format';
import { QualityFilterBar, QualityPage } from './QualityLayout';
import { drillHref, useQualityFilters, type BaseFilters } from './qualityFilters';
import { axisPeriod, formatPeriod, formatShare, MEASURE_LABELS, periodInWords } from './qualityFormat';
import { CountLink, CsvButton, FigureLink, MeasureSelect, SectionHeader, serverCsv } from './qualityParts';

const EXTRA_KEYS = ['measure'] as const;
const RATE = '#1971c2';
const LIMIT = '#495057';
const CENTRE = '#2b8a3e';
const SIGNAL = '#c92a2a';

const pct = (value: number | null) => (value === null ? null : Math.round(value * 10000) / 100);

/** What the chart plots, in words: accuracy is charted as its error rate so that up is always bad. */
function chartedName(data: Pick<ControlChartResponse, 'measure' | 'charted'>): string {
  return data.charted === 'error_rate' ? 'Error rate (100% − accuracy)' : MEASURE_LABELS[data.measure];
}

function rulesWords(point: ControlPoint): string {
  return point.rules.length === 0 ? '' : point.rules.map((r) => `Rule ${r}`).join(', ');
}

function chartOption(data: ControlChartResponse): ChartOption {
  const periods = data.points.map((p) => axisPeriod(p.period, data.grain));
  const name = chartedName(data);
  return {
    grid: { left: 56, right: 24, top: 40, bottom: 28 },
    legend: { top: 0, textStyle: { color: '#343a40' }, data: [name, 'Centre line', 'Control limits (3σ)', 'Rule broken'] },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const index = (params as Array<{ dataIndex: number }>)[0]?.dataIndex ?? 0;
        const point = data.points[index];
        if (!point) return '';
        const rules = point.rules.map((r) => `Rule ${r}: ${data.rules[String(r)] ?? ''}`).join('<br/>');
        return `${formatPeriod(point.period, data.grain)}<br/>${name}: ${formatShare(point.p)} (n = ${formatNumber(point.n)})<br/>Limits ${formatShare(point.lower)}–${formatShare(point.upper)}${rules ? `<br/>${rules}` : ''}`;
      },
    },
    xAxis: { type: 'category', data: periods, axisLabel: { color: '#495057' } },
    yAxis: { type: 'value', min: 0, axisLabel: { color: '#495057', formatter: '{value}%' } },
    series: [
      {
        name: 'Control limits (3σ)',
        type: 'line',
        step: 'middle',
        data: data.points.map((p) => pct(p.upper)),
        symbol: 'none',
        itemStyle: { color: LIMIT },
        lineStyle: { color: LIMIT, type: 'dashed', width: 1.5 },
      },
      {
        name: 'Control limits (3σ)',
        type: 'line',
        step: 'middle',
        data: data.points.map((p) => pct(p.lower)),
        symbol: 'none',
        itemStyle: { color: LIMIT },
        lineStyle: { color: LIMIT, type: 'dashed', width: 1.5 },
        tooltip: { show: false },
      },
      {
        name: 'Centre line',
        type: 'line',
        data: data.points.map(() => pct(data.centre)),
        symbol: 'none',
        itemStyle: { color: CENTRE },
        lineStyle: { color: CENTRE, width: 1.5 },
      },
      {
        name,
        type: 'line',
        data: data.points.map((p) => pct(p.p)),
        itemStyle: { color: RATE },
        lineStyle: { color: RATE, width: 2 },
        symbolSize: 6,
        connectNulls: false,
      },
      {
        name: 'Rule broken',
        type: 'scatter',
        data: data.points.map((p) => (p.signal ? pct(p.p) : null)),
        symbol: 'diamond',
        symbolSize: 14,
        itemStyle: { color: SIGNAL, borderColor: '#fff', borderWidth: 1 },
        label: {
          show: true,
          position: 'top',
          color: SIGNAL,
          fontWeight: 'bold',
          formatter: (params: { dataIndex: number }) => (data.points[params.dataIndex]?.rules ?? []).join(','),
        },
        z: 5,
      },
    ],
  };
}

function describe(data: ControlChartResponse): string {
  const signals = data.points.filter((p) => p.signal);
  const name = chartedName(data).toLowerCase();
  const head = `${name} by ${data.grain}, ${data.points.length} periods, centre line ${formatShare(data.centre)}.`;
  if (signals.length === 0) return `${head} No rule is broken: the variation looks like common-cause noise.`;
  return `${head} ${signals.length} ${signals.length === 1 ? 'period breaks' : 'periods break'} a rule: ${signals
    .map((p) => `${periodInWords(p.period, data.grain)} (${rulesWords(p).toLowerCase()})`)
    .join('; ')}.`;
}

function columns(data: ControlChartResponse | undefined, base: BaseFilters, measure: ControlMeasure): Column<ControlPoint>[] {
  const grain = data?.grain ?? 'week';
  return [
    { key: 'period', header: 'Period', nowrap: true, render: (p) => formatPeriod(p.period, grain) },
    {
      key: 'p',
      header: data ? chartedName(data) : 'Rate',
      numeric: true,
      render: (p) => <FigureLink to={drillHref(base, { period: p.period, grain, measure })}>{formatShare(p.p)}</FigureLink>,
    },
    { key: 'n', header: 'Reviews (n)', numeric: true, render: (p) => <CountLink to={drillHref(base, { period: p.period, grain, measure, failing: false })} n={p.n} /> },
    { key: 'neff', header: 'Effective n', numeric: true, render: (p) => (p.nEffective === null ? '—' : formatNumber(Math.round(p.nEffective))) },
    { key: 'limits', header: 'Limits', numeric: true, render: (p) => (p.lower === null || p.upper === null ? '—' : `${formatShare(p.lower)}–${formatShare(p.upper)}`) },
    { key: 'z', header: 'z', numeric: true, render: (p) => (p.z === null ? '—' : p.z.toFixed(2)) },
    {
      key: 'rules',
      header: 'Rules broken',
      render: (p) =>
        p.rules.length === 0 ? (
          <Text size="sm" c="dimmed">
            None
          </Text>
        ) : (
          <Group gap={4}>
            {p.rules.map((r) => (
              <Badge key={r} color="red">
                Rule {r}
              </Badge>
            ))}
          </Group>
        ),
    },
  ];
}

export function QualityControlPage() {
  const navigate = useNavigate();
  const { base, filters, filter, range, grain, setFilters } = useQualityFilters(EXTRA_KEYS);
  const measure: ControlMeasure = CONTROL_MEASURES.find((m) => m === filters.measure) ?? 'accuracy';
  const query = { measure, grain, filter, ...range };
  const chart = useControlChart(query);
  const data = chart.data;
  const option = useMemo(() => (data ? chartOption(data) : null), [data]);
  const broken = new Map<number, number>();
  for (const rule of (data?.points ?? []).flatMap((p) => p.rules)) broken.set(rule, (broken.get(rule) ?? 0) + 1);

  const onClick = (click: ChartClick) => {
    const point = data?.points[click.dataIndex];
    if (point) navigate(drillHref(base, { period: point.period, grain: data?.grain, measure }));
  };

  return (
    <QualityPage
      title="Control chart"
      base={base}
      description="A p-chart: each period’s rate against limits three standard errors from the centre line, with the Western Electric rules that flag a change worth investigating. Select a point to list its reviews."
    >
      <QualityFilterBar base={base} setFilters={setFilters} period={data ? { from: data.from, to: data.to } : null}>
        <MeasureSelect measures={CONTROL_MEASURES} value={measure} onChange={(m) => setFilters({ measure: m === 'accuracy' ? null : m })} />
      </QualityFilterBar>
      <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="control-heading">
        <SectionHeader id="control-heading" title={data ? `${chartedName(data)} by ${data.grain}` : MEASURE_LABELS[measure]} />
        {chart.error && !data ? (
          <ErrorState error={chart.error} onRetry={() => void chart.refetch()} />
        ) : data && option && data.points.length > 0 ? (
          <>
            <ChartFigure label={`Control chart of the ${chartedName(data).toLowerCase()}`} description={describe(data)} option={option} height={340} onClick={onClick} />
            <Text size="sm" fw={600} mt="sm" component="h3">
              Rules
            </Text>
            <List size="sm" spacing={2}>
              {Object.entries(data.rules).map(([number, words]) => (
                <List.Item key={number}>
                  <Text span fw={broken.has(Number(number)) ? 700 : 400} size="sm" c={broken.has(Number(number)) ? 'red.9' : undefined}>
                    Rule {number}: {words}
                    {broken.has(Number(number)) ? ` — broken in ${broken.get(Number(number))} ${broken.get(Number(number)) === 1 ? 'period' : 'periods'}` : ' — not broken'}
                  </Text>
                </List.Item>
              ))}
            </List>
            {data.reason && (
              <Text size="sm" mt="xs">
                {data.reason}
              </Text>
            )}
            <Text size="xs" c="dimmed" mt="xs">
              Red diamonds mark periods that break a rule; the number above each is the rule. Limits widen when a period has fewer reviews.
              {data.charted === 'error_rate' ? ' Accuracy is charted as its error rate, so a rise is a deterioration.' : ''}
            </Text>
          </>
        ) : data ? (
          <EmptyMessage title="No reviews in this period" />
        ) : null}
      </Paper>
      <ListTable
        caption={data ? `${chartedName(data)} by ${data.grain}` : 'Control chart points'}
        columns={columns(data, base, measure)}
        rows={data?.points}
        rowKey={(p) => p.period}
        isPending={chart.isPending}
        isFetching={chart.isPlaceholderData}
        error={chart.error}
        empty={<EmptyMessage title="No reviews in this period" />}
        minWidth={760}
        footer={
          <Group justify="flex-end" p="xs">
            <CsvButton download={serverCsv('/metrics/control-chart', controlChartParams(query), `control-chart-${measure}.csv`)} what="the control chart points" />
          </Group>
        }
      />
    </QualityPage>
  );
}
