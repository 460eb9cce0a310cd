import { Link } from 'react-router-dom';
import { Box, Group, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { metricsParams, useMetrics, type Measure, type MetricGroup, type MetricsResponse } from '../../api/metrics';
import { ScrollRegion } from '../../components/ScrollRegion';
import { EmptyMessage, ErrorState, LoadingState } from '../../components/States';
import { formatNumber } from '../../lib/format';
import { QualityFilterBar, QualityPage } from './QualityLayout';
import { drillHref, isMeasure, useQualityFilters, type BaseFilters } from './qualityFilters';
import { drillMeasure, formatInterval, formatValue, isWorse, MEASURE_DIRECTION, MEASURE_HELP, MEASURE_LABELS } from './qualityFormat';
import { CsvButton, MeasureSelect, serverCsv } from './qualityParts';
import classes from './Quality.module.css';

const HEATMAP_MEASURES: Measure[] = ['recall', 'precision', 'under_enforcement_rate', 'over_enforcement_rate'];
const EXTRA_KEYS = ['measure'] as const;

/** Orange shades, light to dark: darker is worse. Dark text stays above 4.5:1 on every one. */
const SHADES = ['#fff4e6', '#ffe8cc', '#ffd8a8', '#ffc078', '#ffa94d'];

/**
 * Fixed bins, so a colour means the same whatever the filters: for rates where
 * higher is better (precision, recall) the lower edges of the four worse bins;
 * where lower is better (over-/under-enforcement), the upper edges of the four better bins.
 */
const HIGH_IS_GOOD = [0.95, 0.9, 0.8, 0.7];
const LOW_IS_GOOD = [0.02, 0.05, 0.1, 0.2];

function shadeStep(measure: Measure, value: number): number {
  if (MEASURE_DIRECTION[measure] === 'down') {
    const i = LOW_IS_GOOD.findIndex((edge) => value <= edge);
    return i < 0 ? 4 : i;
  }
  const i = HIGH_IS_GOOD.findIndex((edge) => value >= edge);
  return i < 0 ? 4 : i;
}

function binWords(measure: Measure): string[] {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  if (MEASURE_DIRECTION[measure] === 'down') {
    const [a, b, c, d] = LOW_IS_GOOD.map(pct);
    return [`${a} or less`, `${a}–${b}`, `${b}–${c}`, `${c}–${d}`, `over ${d}`];
  }
  const [a, b, c, d] = HIGH_IS_GOOD.map(pct);
  return [`${a} or more`, `${b}–${a}`, `${c}–${b}`, `${d}–${c}`, `under ${d}`];
}

interface Axis {
  id: string;
  name: string;
}

function axes(groups: MetricGroup[]): { vendors: Axis[]; policies: Axis[] } {
  const vendors = new Map<string, string>();
  const policies = new Map<string, string>();
  for (const g of groups) {
    if (g.key.vendor) vendors.set(g.key.vendor, g.names.vendor ?? g.key.vendor);
    if (g.key.policy) policies.set(g.key.policy, g.names.policy ?? g.key.policy);
  }
  const sorted = (map: Map<string, string>) => [...map].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  return { vendors: sorted(vendors), policies: sorted(policies) };
}

function Cell({ group, data, base }: { group: MetricGroup | undefined; data: MetricsResponse; base: BaseFilters }) {
  if (!group || group.n === 0) {
    return (
      <Table.Td className={classes.heatCell} ta="center">
        <Text size="xs" c="dimmed">
          No reviews
        </Text>
      </Table.Td>
    );
  }
  const interval = group.se === null ? null : formatInterval('proportion', group.lower, group.upper);
  const worse = !group.tooFew && isWorse(data.measure, group.credibleVersusOverall);
  const better = !group.tooFew && group.credibleVersusOverall !== 'within' && !worse;
  const background = group.tooFew || group.value === null ? undefined : SHADES[shadeStep(data.measure, group.value)];
  return (
    <Table.Td className={group.tooFew ? `${classes.heatCell} ${classes.tooFew}` : classes.heatCell} style={{ background }} ta="center">
      <Link className={classes.heatLink} to={drillHref(base, { vendor: group.key.vendor, policy: group.key.policy, measure: drillMeasure(data.measure) })}>
        <span className={classes.heatValue}>
          {formatValue('proportion', group.value)}
          {worse && <span aria-hidden="true"> ▼</span>}
          {better && <span aria-hidden="true"> ▲</span>}
        </span>
        {interval && <span className={classes.heatSub}>({interval})</span>}
        <span className={classes.heatSub}>
          n = {formatNumber(group.n)}
          {group.tooFew && ', too few'}
        </span>
        {(worse || better) && <VisuallyHidden>, credibly {worse ? 'worse' : 'better'} than overall</VisuallyHidden>}
      </Link>
    </Table.Td>
  );
}

function Legend({ data }: { data: MetricsResponse }) {
  const words = binWords(data.measure);
  return (
    <Group gap="lg" mt="sm" align="flex-start" wrap="wrap">
      <Group gap={6} wrap="wrap" aria-label="Colour scale" role="group">
        <Text size="xs">Better</Text>
        {SHADES.map((shade, i) => (
          <Group key={shade} gap={4} wrap="nowrap">
            <Box w={18} h={14} style={{ background: shade, border: '1px solid #adb5bd' }} aria-hidden="true" />
            <Text size="xs">{words[i]}</Text>
          </Group>
        ))}
        <Text size="xs">Worse</Text>
      </Group>
      <Group gap={6} wrap="nowrap">
        <Box w={18} h={14} className={classes.tooFew} style={{ border: '1px solid #adb5bd' }} aria-hidden="true" />
        <Text size="xs">Hatched: fewer than {formatNumber(data.minN)} reviews, too few to judge</Text>
      </Group>
      <Text size="xs">
        ▼ credibly worse than overall ({formatValue('proportion', data.overall.value)}) · ▲ credibly better (false discovery rate{' '}
        {Math.round((1 - data.confidence) * 100)}% over the cells)
      </Text>
    </Group>
  );
}

export function QualityHeatmapPage() {
  const { base, filters, filter, range, setFilters } = useQualityFilters(EXTRA_KEYS);
  const measure: Measure = isMeasure(filters.measure) && HEATMAP_MEASURES.includes(filters.measure) ? filters.measure : 'recall';
  const query = { measure, by: ['vendor' as const, 'policy' as const], filter, ...range };
  const metrics = useMetrics(query);
  const data = metrics.data;
  const { vendors, policies } = axes(data?.groups ?? []);
  const cells = new Map((data?.groups ?? []).map((g) => [`${g.key.vendor}|${g.key.policy}`, g]));

  return (
    <QualityPage
      title="Vendor × policy"
      base={base}
      description="How each vendor enforces each policy against QA’s verdict. Each cell shows the value, its interval and the number of reviews; select a cell to list the reviews that count against it."
    >
      <QualityFilterBar base={base} setFilters={setFilters} showGrain={false} period={data ? { from: data.from, to: data.to } : null}>
        <MeasureSelect measures={HEATMAP_MEASURES} value={measure} onChange={(m) => setFilters({ measure: m === 'recall' ? null : m })} />
      </QualityFilterBar>
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="heatmap-heading">
        <Group justify="space-between" mb="xs">
          <Text component="h2" id="heatmap-heading" fw={650} fz="lg" m={0}>
            {MEASURE_LABELS[measure]} by policy and vendor
          </Text>
          <CsvButton download={serverCsv('/metrics', metricsParams(query), `${measure}-by-vendor-and-policy.csv`)} what={`${MEASURE_LABELS[measure].toLowerCase()} by vendor and policy`} />
        </Group>
        <Text size="sm" c="dimmed" mb="sm">
          {MEASURE_HELP[measure]}
        </Text>
        {metrics.isPending ? (
          <LoadingState label="Loading the heatmap" />
        ) : metrics.error && !data ? (
          <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />
        ) : data && vendors.length > 0 ? (
          <>
            <ScrollRegion label="Policy by vendor heatmap" minWidth={200 + vendors.length * 130}>
              <Table withTableBorder withColumnBorders highlightOnHover={false} aria-busy={metrics.isPlaceholderData ? true : undefined}>
                <caption>
                  <VisuallyHidden>
                    {MEASURE_LABELS[measure]} by policy (rows) and vendor (columns), with interval and number of reviews
                  </VisuallyHidden>
                </caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Policy</Table.Th>
                    {vendors.map((v) => (
                      <Table.Th key={v.id} scope="col" ta="center">
                        {v.name}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {policies.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Th scope="row">{p.name}</Table.Th>
                      {vendors.map((v) => (
                        <Cell key={v.id} group={cells.get(`${v.id}|${p.id}`)} data={data} base={base} />
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
            <Legend data={data} />
          </>
        ) : (
          <EmptyMessage title="No reviews in this period" description="Choose a longer period or fewer filters." />
        )}
      </Paper>
    </QualityPage>
  );
}
