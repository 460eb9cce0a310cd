import { ActionIcon, Button, Fieldset, Group, NumberInput, Stack, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { newRowId, type PlanFormValues } from './planForm';

interface BandsEditorProps {
  form: UseFormReturnType<PlanFormValues>;
  field: 'tenureBands' | 'modelScoreBands';
  legend: string;
  /** What the bound measures ("days since hire", "model score"). */
  unit: string;
  step?: number;
  max?: number;
}

/** Ascending bands: a key and an exclusive upper bound; the last band is open. */
export function BandsEditor({ form, field, legend, unit, step, max }: BandsEditorProps) {
  const rows = form.values[field];
  const listError = form.errors[field];
  const singular = legend.replace(/s$/, '').toLowerCase();
  return (
    <Fieldset legend={legend} radius="md" bg="white">
      <Stack gap="xs">
        {listError && (
          <Text c="red.9" size="sm" role="alert">
            {listError}
          </Text>
        )}
        <Table verticalSpacing={4} highlightOnHover={false} withRowBorders={false}>
          <caption>
            <VisuallyHidden>{legend}</VisuallyHidden>
          </caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Key</Table.Th>
              <Table.Th scope="col">Below ({unit})</Table.Th>
              <Table.Th scope="col" w={44}>
                <VisuallyHidden>Remove</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, index) => {
              const n = index + 1;
              const last = index === rows.length - 1;
              return (
                <Table.Tr key={row.rowId}>
                  <Table.Td>
                    <TextInput
                      aria-label={`${legend}: band ${n} key`}
                      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                      {...form.getInputProps(`${field}.${index}.key`)}
                    />
                  </Table.Td>
                  <Table.Td>
                    {last ? (
                      <Text size="sm" c="dimmed" px="xs">
                        and above (open)
                      </Text>
                    ) : (
                      <NumberInput
                        aria-label={`${legend}: band ${n} upper bound (${unit}, exclusive)`}
                        step={step}
                        min={0}
                        max={max}
                        clampBehavior="none"
                        {...form.getInputProps(`${field}.${index}.below`)}
                      />
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={`Remove ${singular} ${n}`}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${singular} ${n}${row.key ? ` (${row.key})` : ''}`}
                        disabled={rows.length === 1}
                        onClick={() => form.removeListItem(field, index)}
                      >
                        <IconTrash size={16} aria-hidden="true" />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Group>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} aria-hidden="true" />}
            onClick={() => form.insertListItem(field, { rowId: newRowId('band'), key: '', below: '' }, Math.max(0, rows.length - 1))}
          >
            Add band
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
