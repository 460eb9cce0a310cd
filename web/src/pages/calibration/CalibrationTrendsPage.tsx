import { useState } from 'react';
import { Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useCalibrationTrends, type TrendSeries, type TrendsResponse } from '../../api/calibration';
import { ChartFigure, type ChartOption } from '../../components/charts/ChartFigure';
import { WorkflowSelect } from '../../components/EntityPickers';
import { PageHeader } from '../../components/PageHeader';
import { ScrollRegion } from '../../components/ScrollRegion';
import { EmptyMessage, ErrorState, LoadingState } from '../../components/States';
import { formatDate } from '../../lib/format';
import { Coefficient, groupLabel, ShareText } from './calibrationParts';
import type { ParticipantGroupKey } from '../../api/calibration';

const PALETTE = ['#1971c2', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#0b7285', '#5c940d', '#495057'];
const BAND_ALPHA = '33';

function seriesName(s: TrendSeries): string {
  return s.kind === 'group' ? groupLabel(s.key as ParticipantGroupKey) : s.name;
}

/** One line per series with its 95% Wilson band (lower line plus a stacked, filled width), by session close date. */
function chartOption(data: TrendsResponse, series: TrendSeries[]): ChartOption {
  const sessions = data.sessions.map((s) => s.sessionId);
  // Sessions of several workflows alternate on one axis: each point names its workflow, so a dip reads as that workflow's.
  const mixed = new Set(data.sessions.map((s) => s.workflowName)).size > 1;
  const axis = data.sessions.map((s) => (mixed && s.workflowName ? `${formatDate(s.closedAt)}\n${s.workflowName}` : formatDate(s.closedAt)));
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  return {
    grid: { left: 56, right: 24, top: 48, bottom: mixed ? 52 : 28 },
    legend: { top: 0, data: series.map(seriesName), textStyle: { color: '#343a40' } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—') },
    xAxis: { type: 'category', data: axis, axisLabel: { color: '#495057', interval: 0, lineHeight: 16, margin: 10 } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: '#495057', formatter: '{value}%' } },
    series: series.flatMap((s, i) => {
      const color = PALETTE[i % PALETTE.length]!;
      const at = new Map(s.points.map((p) => [p.sessionId, p]));
      const name = seriesName(s);
      return [
        { name: `${name} lower`, type: 'line', stack: `band-${i}`, data: sessions.map((id) => pct(at.get(id)?.label.lower)), lineStyle: { opacity: 0 }, symbol: 'none', silent: true, tooltip: { show: false } },
        {
          name: `${name} interval`,
          type: 'line',
          stack: `band-${i}`,
          data: sessions.map((id) => {
            const p = at.get(id);
            return p && p.label.n > 0 ? pct(p.label.upper - p.label.lower) : null;
          }),
          lineStyle: { opacity: 0 },
          areaStyle: { color: `${color}${BAND_ALPHA}` },
          symbol: 'none',
          silent: true,
          tooltip: { show: false },
        },
        { name, type: 'line', data: sessions.map((id) => pct(at.get(id)?.label.value)), itemStyle: { color }, lineStyle: { color, width: 2 }, symbolSize: 6, connectNulls: true },
      ];
    }),
  };
}

function describe(data: TrendsResponse, series: TrendSeries[]): string {
  return series
    .map((s) => {
      const first = s.points[0];
      const last = s.points.at(-1);
      if (!first || !last || first.label.value === null || last.label.value === null) return `${seriesName(s)}: no expert comparisons.`;
      return `${seriesName(s)}: ${Math.round(100 * first.label.value)}% matching the expert in ${first.title}, ${Math.round(100 * last.label.value)}% in ${last.title}.`;
    })
    .join(' ') || `${data.sessions.length} sessions.`;
}

/** Calibration over time: how often each vendor, group or person matched the expert, session by session, with intervals. */
export function CalibrationTrendsPage() {
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [view, setView] = useState<'vendors' | 'groups' | 'people'>('vendors');
  const trends = useCalibrationTrends(workflowId);
  const data = trends.data;
  const series = data ? data[view].slice(0, view === 'people' ? 8 : 12) : [];
  return (
    <>
      <PageHeader
        title="Calibration trends"
        crumbs={[{ label: 'Calibration', to: '/calibration' }]}
        description="Share of label answers matching the expert answer in each closed session, with 95% Wilson intervals; and each session's agreement among participants."
      />
      <Stack gap="md">
        <WorkflowSelect label="Workflow" clearable placeholder="All workflows" value={workflowId} onChange={setWorkflowId} w={320} />
        {!workflowId && data && new Set(data.sessions.map((s) => s.workflowName)).size > 1 && (
          <Text size="sm" c="dimmed">
            Sessions of every workflow are shown in the order they closed, each point under its workflow; choose a workflow to follow one
            policy area over time.
          </Text>
        )}
        <SegmentedControl
          aria-label="Series"
          w="fit-content"
          value={view}
          onChange={(v) => setView(v as typeof view)}
          data={[
            { value: 'vendors', label: 'Per vendor' },
            { value: 'groups', label: 'Per group' },
            { value: 'people', label: 'Per person' },
          ]}
        />
        {trends.isPending ? (
          <LoadingState label="Loading the trends" />
        ) : trends.error ? (
          <ErrorState error={trends.error} onRetry={() => void trends.refetch()} />
        ) : !data || data.sessions.length === 0 ? (
          <EmptyMessage title="No revealed sessions yet" description="Trends appear once calibration sessions are closed." />
        ) : (
          <>
            <Paper withBorder radius="md" p="md">
              <ChartFigure
                label={`Share matching the expert answer per ${view === 'vendors' ? 'vendor' : view === 'groups' ? 'participant group' : 'person'}, by session, with 95% intervals`}
                description={describe(data, series)}
                option={chartOption(data, series)}
                height={340}
              />
              {view === 'people' && data.people.length > 8 && (
                <Text size="xs" c="dimmed">
                  The chart shows the first 8 people; the table lists everyone.
                </Text>
              )}
            </Paper>
            <Paper withBorder radius="md">
              <ScrollRegion label="Matching the expert, by session" minWidth={720}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{view === 'vendors' ? 'Vendor' : view === 'groups' ? 'Group' : 'Person'}</Table.Th>
                      {data.sessions.map((s) => (
                        <Table.Th scope="col" key={s.sessionId}>
                          {s.title}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data[view].map((s) => {
                      const at = new Map(s.points.map((p) => [p.sessionId, p]));
                      return (
                        <Table.Tr key={s.key}>
                          <Table.Th scope="row">{seriesName(s)}</Table.Th>
                          {data.sessions.map((session) => (
                            <Table.Td key={session.sessionId}>{at.get(session.sessionId) ? <ShareText share={at.get(session.sessionId)!.label} /> : '—'}</Table.Td>
                          ))}
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </ScrollRegion>
            </Paper>
            <section aria-labelledby="sessions-heading">
              <Title order={2} size="h4" id="sessions-heading" mb="xs">
                Agreement per session
              </Title>
              <Paper withBorder radius="md">
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Session</Table.Th>
                      <Table.Th scope="col">Closed</Table.Th>
                      <Table.Th scope="col">Participants</Table.Th>
                      <Table.Th scope="col">Label alpha</Table.Th>
                      <Table.Th scope="col">Label AC1</Table.Th>
                      <Table.Th scope="col">Action AC1</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.sessions.map((s) => (
                      <Table.Tr key={s.sessionId}>
                        <Table.Th scope="row">{s.title}</Table.Th>
                        <Table.Td>{formatDate(s.closedAt)}</Table.Td>
                        <Table.Td>{s.participants}</Table.Td>
                        <Table.Td>
                          <Coefficient figure={s.label.alpha} />
                        </Table.Td>
                        <Table.Td>
                          <Coefficient figure={s.label.ac1} />
                        </Table.Td>
                        <Table.Td>
                          <Coefficient figure={s.action?.ac1} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Paper>
            </section>
          </>
        )}
      </Stack>
    </>
  );
}
