import { ActionIcon, Button, Fieldset, Group, NumberInput, Stack, Text, Tooltip } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { ConditionsFields, type ConditionOptions } from './ConditionsFields';
import { newWeight, type PlanFormValues } from './planForm';

/** Multipliers on the rate of 'rate' strata for riskier decisions (new hires, uncertain model scores...). */
export function RiskWeightsEditor({ form, options }: { form: UseFormReturnType<PlanFormValues>; options: ConditionOptions }) {
  const weights = form.values.riskWeights;
  const listError = form.errors.riskWeights;
  return (
    <Stack gap="md">
      {listError && (
        <Text c="red.9" size="sm" role="alert">
          {listError}
        </Text>
      )}
      {weights.length === 0 && (
        <Text size="sm" c="dimmed">
          No risk weights: every decision in a rate stratum has the same chance.
        </Text>
      )}
      {weights.map((weight, index) => {
        const n = index + 1;
        return (
          <Fieldset key={weight.rowId} legend={`Risk weight ${n}`} radius="md" bg="white">
            <Stack gap="sm">
              <Group align="flex-end" justify="space-between">
                <NumberInput
                  label="Multiplier"
                  description="Multiplies the rate; the chance is capped at 100%"
                  prefix="×"
                  decimalScale={2}
                  min={0}
                  clampBehavior="none"
                  w={{ base: '100%', sm: 260 }}
                  {...form.getInputProps(`riskWeights.${index}.weight`)}
                />
                <Tooltip label={`Remove risk weight ${n}`}>
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove risk weight ${n}`} onClick={() => form.removeListItem('riskWeights', index)}>
                    <IconTrash size={18} aria-hidden="true" />
                  </ActionIcon>
                </Tooltip>
              </Group>
              <Fieldset legend="Applies to" variant="unstyled" p={0}>
                <ConditionsFields form={form} path={`riskWeights.${index}.when`} options={options} />
              </Fieldset>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => form.insertListItem('riskWeights', newWeight())}>
          Add risk weight
        </Button>
      </Group>
    </Stack>
  );
}
