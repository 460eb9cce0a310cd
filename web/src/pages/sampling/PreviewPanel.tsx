import { Alert, Group, Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { PlanPreview } from '../../api/sampling';
import { ScrollRegion } from '../../components/ScrollRegion';
import { formatDate, formatNumber } from '../../lib/format';
import { formatProbability } from '../decisions/decisionFormat';
import { MODE_LABELS, prettyStratumKey, type NameOf } from './planDescribe';

/** ±x.x pp: a margin of error (a proportion) in percentage points. */
export function formatMargin(moe: number | null | undefined): string {
  if (moe === null || moe === undefined || !Number.isFinite(moe)) return '—';
  return `±${(moe * 100).toFixed(1)} pp`;
}

function formatVolume(n: number): string {
  if (n >= 100) return formatNumber(Math.round(n));
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Text fz={22} fw={700} c="blue.9">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </div>
  );
}

/** What a plan would have done over recent production: volumes per stratum and the precision it buys. */
export function PreviewPanel({ preview, nameOf }: { preview: PlanPreview; nameOf: NameOf }) {
  const totals = preview.total;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="preview-heading">
      <Stack gap="md">
        <div>
          <Title order={2} size="h4" id="preview-heading">
            Preview
          </Title>
          <Text size="sm" c="dimmed">
            History window: the last {preview.days} days ({formatDate(preview.from)} to {formatDate(preview.to)}),{' '}
            {formatNumber(preview.decisions)} decisions
            {preview.observedDays < preview.days ? `, averaged over the ${preview.observedDays} days that had any` : ''}. What this
            definition would send to QA per day, and how precise the weighted accuracy estimate would be if accuracy were{' '}
            {formatProbability(preview.assumedAccuracy)} (95% confidence).
            {preview.sampledFraction < 1 && ` Estimated from a deterministic ${formatProbability(preview.sampledFraction)} subset of the history, scaled up.`}
          </Text>
        </div>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="md">
          <Figure label="Daily population" value={formatVolume(totals.dailyPopulation)} hint="decisions a day" />
          <Figure label="Expected daily QA volume" value={formatVolume(totals.dailyExpectedSample)} hint="reviews a day" />
          <Figure label="Margin of error, day" value={formatMargin(totals.marginOfErrorDay)} hint="accuracy estimate" />
          <Figure label="Margin of error, week" value={formatMargin(totals.marginOfErrorWeek)} hint="accuracy estimate" />
          <Figure label="Margin of error, month" value={formatMargin(totals.marginOfErrorMonth)} hint="accuracy estimate" />
        </SimpleGrid>
        {preview.note && (
          <Alert color="blue" icon={<IconInfoCircle aria-hidden="true" />} role="note">
            {preview.note}
          </Alert>
        )}
        {totals.dailyPopulation === 0 && (
          <Alert color="yellow" icon={<IconInfoCircle aria-hidden="true" />} role="note">
            No decisions in the history window: the preview cannot estimate volumes yet.
          </Alert>
        )}
        <Paper withBorder radius="md">
          <ScrollRegion label="Preview per stratum" minWidth={760}>
            <Table>
              <caption>
                <VisuallyHidden>Expected volumes per stratum</VisuallyHidden>
              </caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Stratum</Table.Th>
                  <Table.Th scope="col">Selection</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Daily population
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Expected daily QA
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Expected rate
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Margin of error, week
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.strata.map((s) => (
                  <Table.Tr key={s.stratumKey}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {s.name}
                      </Text>
                      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {prettyStratumKey(s.stratumKey, nameOf)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{MODE_LABELS[s.mode as keyof typeof MODE_LABELS] ?? s.mode}</Table.Td>
                    <Table.Td ta="right">{formatVolume(s.dailyPopulation)}</Table.Td>
                    <Table.Td ta="right">{formatVolume(s.dailyExpectedSample)}</Table.Td>
                    <Table.Td ta="right">{formatProbability(s.expectedRate)}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatMargin(s.marginOfErrorWeek)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th scope="row" colSpan={2}>
                    Total
                  </Table.Th>
                  <Table.Td ta="right" fw={700}>
                    {formatVolume(totals.dailyPopulation)}
                  </Table.Td>
                  <Table.Td ta="right" fw={700}>
                    {formatVolume(totals.dailyExpectedSample)}
                  </Table.Td>
                  <Table.Td ta="right" fw={700}>
                    {totals.dailyPopulation > 0 ? formatProbability(totals.dailyExpectedSample / totals.dailyPopulation) : '—'}
                  </Table.Td>
                  <Table.Td ta="right" fw={700} style={{ whiteSpace: 'nowrap' }}>
                    {formatMargin(totals.marginOfErrorWeek)}
                  </Table.Td>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </ScrollRegion>
        </Paper>
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            Margins assume the sample is weighted by inclusion probability (stratified estimate); strata with few decisions add the most uncertainty.
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}
