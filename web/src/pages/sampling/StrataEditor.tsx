import { ActionIcon, Button, Fieldset, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { STRATIFY_DIMENSIONS } from '../../api/sampling';
import { ConditionsFields, type ConditionOptions } from './ConditionsFields';
import { DIMENSION_LABELS, MODE_LABELS } from './planDescribe';
import { newStratum, type PlanFormValues } from './planForm';

const MODE_OPTIONS = (Object.keys(MODE_LABELS) as Array<keyof typeof MODE_LABELS>).map((value) => ({ value, label: MODE_LABELS[value] }));
const PERIOD_OPTIONS = [
  { value: 'day', label: 'Per day' },
  { value: 'week', label: 'Per week' },
  { value: 'month', label: 'Per month' },
];
const DIMENSION_OPTIONS = STRATIFY_DIMENSIONS.map((value) => ({ value, label: DIMENSION_LABELS[value] }));
const MONO = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

interface StrataEditorProps {
  form: UseFormReturnType<PlanFormValues>;
  options: ConditionOptions;
}

/** The ordered strata: a decision falls in the first stratum whose conditions it matches. */
export function StrataEditor({ form, options }: StrataEditorProps) {
  const strata = form.values.strata;
  const listError = form.errors.strata;
  // Errors are addressed by position: after a move or removal they would point at the wrong stratum.
  const move = (from: number, to: number) => {
    form.clearErrors();
    form.reorderListItem('strata', { from, to });
  };

  return (
    <Stack gap="md">
      {listError && (
        <Text c="red.9" size="sm" role="alert">
          {listError}
        </Text>
      )}
      {strata.map((stratum, index) => {
        const n = index + 1;
        const last = index === strata.length - 1;
        const title = `Stratum ${n}${stratum.name ? `: ${stratum.name}` : ''}`;
        return (
          <Fieldset key={stratum.rowId} legend={title} radius="md" variant="default" bg="white">
            <Stack gap="sm">
              <Group justify="space-between" align="flex-start" gap="xs">
                <Text size="xs" c="dimmed">
                  {last ? 'The last stratum catches every decision the others did not: leave its conditions empty.' : 'Decisions matching every condition below, unless an earlier stratum took them.'}
                </Text>
                <Group gap={4}>
                  <Tooltip label="Move up">
                    <ActionIcon variant="subtle" color="gray" aria-label={`Move stratum ${n} up`} disabled={index === 0} onClick={() => move(index, index - 1)}>
                      <IconArrowUp size={18} aria-hidden="true" />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Move down">
                    <ActionIcon variant="subtle" color="gray" aria-label={`Move stratum ${n} down`} disabled={last} onClick={() => move(index, index + 1)}>
                      <IconArrowDown size={18} aria-hidden="true" />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Remove">
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove stratum ${n}${stratum.name ? ` (${stratum.name})` : ''}`}
                      disabled={strata.length === 1}
                      onClick={() => {
                        form.clearErrors();
                        form.removeListItem('strata', index);
                      }}
                    >
                      <IconTrash size={18} aria-hidden="true" />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Group>
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
                <TextInput label="Name" required {...form.getInputProps(`strata.${index}.name`)} />
                <TextInput
                  label="Key"
                  description="Lower case, digits and _"
                  required
                  styles={MONO}
                  {...form.getInputProps(`strata.${index}.key`)}
                />
                <Select label="Selection" data={MODE_OPTIONS} allowDeselect={false} {...form.getInputProps(`strata.${index}.mode`)} />
                <MultiSelect
                  label="Stratify by"
                  description="One stratum per value"
                  placeholder={stratum.stratifyBy.length ? undefined : 'Not split'}
                  clearable
                  data={DIMENSION_OPTIONS}
                  {...form.getInputProps(`strata.${index}.stratifyBy`)}
                />
              </SimpleGrid>
              {stratum.mode === 'rate' && (
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
                  <NumberInput
                    label="Rate (%)"
                    description="Share picked at random, above 0 and at most 100"
                    decimalScale={4}
                    min={0}
                    clampBehavior="none"
                    suffix="%"
                    {...form.getInputProps(`strata.${index}.ratePct`)}
                  />
                  <NumberInput
                    label="Daily cap"
                    description="Most picked per stratum per day; blank for none"
                    placeholder="No cap"
                    allowDecimal={false}
                    min={1}
                    clampBehavior="none"
                    {...form.getInputProps(`strata.${index}.dailyCap`)}
                  />
                </SimpleGrid>
              )}
              {stratum.mode === 'quota' && (
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
                  <NumberInput
                    label="Quota per agent"
                    description="Decisions per agent per period"
                    allowDecimal={false}
                    min={1}
                    clampBehavior="none"
                    {...form.getInputProps(`strata.${index}.quotaPerAgent`)}
                  />
                  <Select label="Period" data={PERIOD_OPTIONS} allowDeselect={false} {...form.getInputProps(`strata.${index}.quotaPeriod`)} />
                </SimpleGrid>
              )}
              {stratum.mode === 'all' && (
                <Text size="sm" c="dimmed">
                  Every decision in this stratum goes to QA (inclusion probability 1).
                </Text>
              )}
              <Fieldset legend="Conditions" variant="unstyled" p={0}>
                <ConditionsFields form={form} path={`strata.${index}.when`} options={options} />
              </Fieldset>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button
          variant="light"
          leftSection={<IconPlus size={16} aria-hidden="true" />}
          onClick={() => form.insertListItem('strata', newStratum(strata.length), Math.max(0, strata.length - 1))}
        >
          Add stratum
        </Button>
        <Text size="xs" c="dimmed">
          New strata go before the last (catch-all) one.
        </Text>
      </Group>
    </Stack>
  );
}
