import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { Group, Paper, Stack, Text } from '@mantine/core';
import { paretoParams, usePareto, type MetricFilter, type ParetoItem, type ParetoKind, type ParetoResponse } from '../../api/metrics';
import { ChartFigure, type ChartClick, type ChartOption } from '../../components/charts/ChartFigure';
import { ListTable, type Column } from '../../components/ListTable';
import { EmptyMessage, ErrorState } from '../../components/States';
import { formatNumber } from '../../lib/format';
import { QualityFilterBar, QualityPage } from './QualityLayout';
import { drillHref, useQualityFilters, type BaseFilters } from './qualityFilters';
import { errorTypeLabel, formatShare } from './qualityFormat';
import { CountLink, CsvButton, FigureLink, SectionHeader, serverCsv } from './qualityParts';
import { useRootCauseLabels } from './useRootCauseLabels';

const BAR = '#1971c2';
const CUMULATIVE = '#d9480f';

function paretoOption(data: ParetoResponse, label: (key: string) => string): ChartOption {
  return {
    grid: { left: 48, right: 48, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: '#343a40' } },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const item = data.items[(params as Array<{ dataIndex: number }>)[0]?.dataIndex ?? 0];
        if (!item) return '';
        return `${label(item.key)}<br/>${formatNumber(item.n)} reviews (${formatShare(item.share)})<br/>Cumulative ${formatShare(item.cumulativeShare)}`;
      },
    },
    xAxis: {
      type: 'category',
      data: data.items.map((i) => label(i.key)),
      axisLabel: { color: '#495057', interval: 0, width: 120, overflow: 'break', fontSize: 11, lineHeight: 14 },
    },
    yAxis: [
      { type: 'value', name: 'Reviews', nameTextStyle: { color: '#495057' }, axisLabel: { color: '#495057' }, minInterval: 1 },
      { type: 'value', name: 'Cumulative', min: 0, max: 100, nameTextStyle: { color: '#495057' }, axisLabel: { color: '#495057', formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: 'Reviews', type: 'bar', data: data.items.map((i) => i.n), itemStyle: { color: BAR }, barMaxWidth: 48 },
      {
        name: 'Cumulative share',
        type: 'line',
        yAxisIndex: 1,
        data: data.items.map((i) => Math.round(i.cumulativeShare * 1000) / 10),
        itemStyle: { color: CUMULATIVE },
        lineStyle: { color: CUMULATIVE, width: 2 },
        symbolSize: 6,
      },
    ],
  };
}

function describe(data: ParetoResponse, label: (key: string) => string, noun: string): string {
  if (data.items.length === 0) return `No ${noun} recorded.`;
  const top = data.items[0]!;
  const eighty = data.items.findIndex((i) => i.cumulativeShare >= 0.8) + 1;
  return `${formatNumber(data.total)} ${noun} in all. The largest is ${label(top.key)} with ${formatNumber(top.n)} (${formatShare(top.share)}).${
    eighty > 0 ? ` The first ${eighty} of ${data.items.length} account for 80% or more.` : ''
  }`;
}

interface ParetoSectionProps {
  kind: ParetoKind;
  title: string;
  noun: string;
  base: BaseFilters;
  filter: MetricFilter;
  range: { from?: string; to?: string };
  label: (key: string) => string;
}

function ParetoSection({ kind, title, noun, base, filter, range, label }: ParetoSectionProps) {
  const navigate = useNavigate();
  const query = { kind, filter, ...range };
  const pareto = usePareto(query);
  const data = pareto.data;
  const option = useMemo(() => (data ? paretoOption(data, label) : null), [data, label]);
  const headingId = `pareto-${kind}`;
  // A row opens its reviews: the page's filters and days, and the error type or root cause.
  const hrefOf = (item: ParetoItem) => drillHref(base, { [kind]: item.key });
  const what = kind === 'error_type' ? 'the error' : 'the root cause';
  const onClick = (click: ChartClick) => {
    const item = data?.items[click.dataIndex];
    if (item) navigate(hrefOf(item));
  };
  const columns: Column<ParetoItem>[] = [
    {
      key: 'key',
      header: title.replace(/^By /, '').replace(/^\w/, (c) => c.toUpperCase()),
      render: (i) => <FigureLink to={hrefOf(i)}>{label(i.key)}</FigureLink>,
    },
    {
      key: 'n',
      header: 'Reviews',
      numeric: true,
      render: (i) => <CountLink to={hrefOf(i)} n={i.n} label={`${formatNumber(i.n)} reviews with ${what} ${label(i.key)}`} />,
    },
    { key: 'share', header: 'Share', numeric: true, render: (i) => formatShare(i.share) },
    { key: 'cumulative', header: 'Cumulative', numeric: true, render: (i) => formatShare(i.cumulativeShare) },
    { key: 'weighted', header: 'Weighted', numeric: true, render: (i) => formatNumber(Math.round(i.weighted)) },
  ];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <SectionHeader id={headingId} title={title}>
        <CsvButton download={serverCsv('/metrics/pareto', paretoParams(query), `pareto-${kind}.csv`)} what={`${noun} ${title.toLowerCase()}`} />
      </SectionHeader>
      {pareto.error && !data ? (
        <ErrorState error={pareto.error} onRetry={() => void pareto.refetch()} />
      ) : data && option && data.items.length > 0 ? (
        <>
          <Text size="sm" c="dimmed" mb="xs">
            {describe(data, label, noun)}
          </Text>
          <ChartFigure
            label={`Pareto chart of ${noun} ${title.toLowerCase()}`}
            description={describe(data, label, noun)}
            option={option}
            height={300}
            onClick={onClick}
          />
        </>
      ) : null}
      <ListTable
        caption={`${noun} ${title.toLowerCase()}`}
        columns={columns}
        rows={data?.items}
        rowKey={(i) => i.key}
        isPending={pareto.isPending}
        isFetching={pareto.isPlaceholderData}
        empty={<EmptyMessage title={`No ${noun} in this period`} />}
        minWidth={520}
      />
    </Paper>
  );
}

export function QualityErrorsPage() {
  const { base, filter, range, setFilters } = useQualityFilters();
  const period = usePareto({ kind: 'error_type', filter, ...range }).data;
  const rootCause = useRootCauseLabels();
  return (
    <QualityPage
      title="Errors"
      base={base}
      description="Which errors QA finds most often and why they happen: bars count the reviews with each error type or root cause (a review can have several), the line adds them up from the largest. Select a bar or a row to list its reviews."
    >
      <QualityFilterBar base={base} setFilters={setFilters} showGrain={false} period={period ? { from: period.from, to: period.to } : null} />
      <Stack gap="md">
        <ParetoSection kind="error_type" title="By error type" noun="errors" base={base} filter={filter} range={range} label={errorTypeLabel} />
        <ParetoSection kind="root_cause" title="By root cause" noun="root causes" base={base} filter={filter} range={range} label={rootCause} />
      </Stack>
      <Group mt="sm">
        <Text size="xs" c="dimmed">
          Counts are of reviews in the sample; the weighted column estimates how many decisions of the whole population they stand for.
        </Text>
      </Group>
    </QualityPage>
  );
}
