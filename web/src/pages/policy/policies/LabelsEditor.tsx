import { ActionIcon, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { SEVERITIES, type Severity } from '../../../api/types';
import { slugify } from '../../../lib/slug';

export interface LabelRow {
  /** Client-only row id for React keys; stripped before submit. */
  rowId: string;
  key: string;
  name: string;
  severity: Severity;
  description: string;
}

export interface VersionFormValues {
  effectiveFrom: string;
  summary: string;
  labels: LabelRow[];
  allowedActions: string[];
}

const SEVERITY_OPTIONS = SEVERITIES.map((value) => ({ value, label: value.charAt(0).toUpperCase() + value.slice(1) }));

let counter = 0;
export function newRowId(): string {
  counter += 1;
  return `label-${Date.now().toString(36)}-${counter}`;
}

/** Editable rows of labels: key, name, severity, description. */
export function LabelsEditor({ form }: { form: UseFormReturnType<VersionFormValues> }) {
  const labels = form.values.labels;
  const labelsError = form.errors.labels;

  // Label keys are dotted (hate.slur): reuse the prefix the other labels share.
  const prefix = labels.map((l) => l.key.split('.')).find((parts) => parts.length > 1)?.[0];
  const suggestKey = (name: string) => {
    const slug = slugify(name);
    return slug && prefix ? `${prefix}.${slug}` : slug;
  };

  const add = () =>
    form.insertListItem('labels', { rowId: newRowId(), key: '', name: '', severity: 'medium', description: '' });

  return (
    <Stack gap="xs">
      {labelsError && (
        <Text c="red.9" size="sm" role="alert">
          {labelsError}
        </Text>
      )}
      <Paper withBorder radius="md">
        <ScrollRegion label="Labels of the new version" minWidth={760}>
          <Table verticalSpacing="xs" highlightOnHover={false}>
            <caption>
              <VisuallyHidden>Labels of the new version</VisuallyHidden>
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w="24%">Name</Table.Th>
                <Table.Th scope="col" w="20%">Key</Table.Th>
                <Table.Th scope="col" w={140}>Severity</Table.Th>
                <Table.Th scope="col">Description</Table.Th>
                <Table.Th scope="col" w={60}>
                  <VisuallyHidden>Remove</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {labels.map((label, index) => {
                const n = index + 1;
                const nameProps = form.getInputProps(`labels.${index}.name`);
                return (
                  <Table.Tr key={label.rowId}>
                    <Table.Td>
                      <TextInput
                        aria-label={`Label ${n} name`}
                        {...nameProps}
                        onChange={(event) => {
                          const name = event.currentTarget.value;
                          nameProps.onChange(event);
                          const key = form.values.labels[index]?.key ?? '';
                          const previousName = form.values.labels[index]?.name ?? '';
                          if (!key || key === suggestKey(previousName)) form.setFieldValue(`labels.${index}.key`, suggestKey(name));
                        }}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={`Label ${n} key`}
                        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                        {...form.getInputProps(`labels.${index}.key`)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={`Label ${n} severity`}
                        data={SEVERITY_OPTIONS}
                        allowDeselect={false}
                        {...form.getInputProps(`labels.${index}.severity`)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput aria-label={`Label ${n} description`} {...form.getInputProps(`labels.${index}.description`)} />
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={`Remove label ${n}`}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove label ${n}${label.name ? ` (${label.name})` : ''}`}
                          onClick={() => form.removeListItem('labels', index)}
                        >
                          <IconTrash size={18} aria-hidden="true" />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
              {labels.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text size="sm" c="dimmed" ta="center" py="sm">
                      No labels. A policy version usually has at least one.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      </Paper>
      <Group>
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={add}>
          Add label
        </Button>
      </Group>
    </Stack>
  );
}
