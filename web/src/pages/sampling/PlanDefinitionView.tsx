import { Code, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { Band, SamplingPlanDefinition } from '../../api/sampling';
import { ScrollRegion } from '../../components/ScrollRegion';
import { DIMENSION_LABELS, MODE_LABELS, describeConditions, describeSelection, type NameOf } from './planDescribe';

function BandsText({ bands, unit }: { bands: Band[]; unit: string }) {
  let lower: number | null = null;
  return (
    <Text size="sm">
      {bands.map((band, i) => {
        const range = band.below === null ? `${lower ?? 0}${unit} and above` : lower === null ? `below ${band.below}${unit}` : `${lower}–${band.below}${unit}`;
        lower = band.below;
        return (
          <span key={band.key}>
            {i > 0 && ' · '}
            <Code>{band.key}</Code> {range}
          </span>
        );
      })}
    </Text>
  );
}

/** A plan version's definition, read-only: strata in order, risk weights, bands and the assumed accuracy. */
export function PlanDefinitionView({ definition, nameOf, idPrefix }: { definition: SamplingPlanDefinition; nameOf: NameOf; idPrefix: string }) {
  return (
    <Stack gap="md">
      <section aria-labelledby={`${idPrefix}-strata`}>
        <Title order={3} size="h5" id={`${idPrefix}-strata`} mb="xs">
          Strata, in order (a decision falls in the first that matches)
        </Title>
        <Paper withBorder radius="md">
          <ScrollRegion label="Strata" minWidth={720}>
            <Table>
              <caption>
                <VisuallyHidden>Strata of this plan version</VisuallyHidden>
              </caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w={40}>
                    #
                  </Table.Th>
                  <Table.Th scope="col">Stratum</Table.Th>
                  <Table.Th scope="col">Conditions</Table.Th>
                  <Table.Th scope="col">Selection</Table.Th>
                  <Table.Th scope="col">Stratified by</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {definition.strata.map((rule, i) => (
                  <Table.Tr key={rule.key}>
                    <Table.Td>{i + 1}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {rule.name}
                      </Text>
                      <Code>{rule.key}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {i === definition.strata.length - 1 && Object.keys(rule.when ?? {}).length === 0
                          ? 'everything the strata above did not take'
                          : describeConditions(rule.when ?? {}, nameOf)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{MODE_LABELS[rule.mode]}</Text>
                      {rule.mode !== 'all' && (
                        <Text size="xs" c="dimmed">
                          {describeSelection(rule)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{rule.stratifyBy?.length ? rule.stratifyBy.map((d) => DIMENSION_LABELS[d]).join(' × ') : '—'}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        </Paper>
      </section>
      <section aria-labelledby={`${idPrefix}-weights`}>
        <Title order={3} size="h5" id={`${idPrefix}-weights`} mb="xs">
          Risk weights (multiply the rate of rate strata)
        </Title>
        {definition.riskWeights.length === 0 ? (
          <Text size="sm" c="dimmed">
            None.
          </Text>
        ) : (
          <Stack gap={4}>
            {definition.riskWeights.map((w, i) => (
              <Text size="sm" key={i}>
                ×{w.weight} for {describeConditions(w.when ?? {}, nameOf)}
              </Text>
            ))}
          </Stack>
        )}
      </section>
      <Group gap="xl" align="flex-start">
        <div>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            Tenure bands
          </Text>
          <BandsText bands={definition.tenureBands} unit=" d" />
        </div>
        <div>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            Model-score bands
          </Text>
          <BandsText bands={definition.modelScoreBands} unit="" />
        </div>
        <div>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            Assumed accuracy
          </Text>
          <Text size="sm">{Number((definition.assumedAccuracy * 100).toPrecision(6))}%</Text>
        </div>
      </Group>
    </Stack>
  );
}
