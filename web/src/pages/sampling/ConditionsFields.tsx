import { MultiSelect, Select, SimpleGrid, Text } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { SEVERITY_VALUES } from '../../api/sampling';
import type { LabelOptionGroup } from '../decisions/usePolicyLabels';
import type { PlanFormValues } from './planForm';

export interface ConditionOptions {
  labels: LabelOptionGroup[];
  vendors: Array<{ value: string; label: string }>;
  sites: Array<{ value: string; label: string }>;
  tenureBands: string[];
  modelScoreBands: string[];
}

const POSITIVE_OPTIONS = [
  { value: 'any', label: 'Any decision' },
  { value: 'yes', label: 'Positives (a label applied)' },
  { value: 'no', label: 'Negatives (no label)' },
];
const SEVERITY_OPTIONS = SEVERITY_VALUES.map((value) => ({
  value,
  label: value === 'none' ? 'None (no label)' : value.charAt(0).toUpperCase() + value.slice(1),
}));

/** Keeps options that are no longer offered (a band renamed, a label from an older policy version) visible. */
function withSelected(options: Array<{ value: string; label: string }>, selected: string[]) {
  const seen = new Set<string>();
  const unique = options.filter((o) => (seen.has(o.value) ? false : (seen.add(o.value), true)));
  return [...unique, ...selected.filter((v) => !seen.has(v)).map((v) => ({ value: v, label: v }))];
}

function withSelectedGroups(groups: LabelOptionGroup[], selected: string[]) {
  const known = new Set(groups.flatMap((g) => g.items.map((i) => i.value)));
  const missing = selected.filter((v) => !known.has(v));
  return missing.length ? [...groups, { group: 'Other', items: missing.map((v) => ({ value: v, label: v })) }] : groups;
}

interface ConditionsFieldsProps {
  form: UseFormReturnType<PlanFormValues>;
  /** Form path of the conditions object, e.g. `strata.2.when`. */
  path: string;
  options: ConditionOptions;
}

/**
 * The conditions of a stratum or risk weight. Every field that is set must
 * match (AND); values within a field are alternatives (OR); empty means any.
 */
export function ConditionsFields({ form, path, options }: ConditionsFieldsProps) {
  const value = (field: string) => (form.getInputProps(`${path}.${field}`).value as string[] | undefined) ?? [];
  const wholeError = form.errors[path];
  return (
    <>
      {wholeError && (
        <Text c="red.9" size="sm" role="alert" mb="xs">
          {wholeError}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
        <Select label="Positive" data={POSITIVE_OPTIONS} allowDeselect={false} {...form.getInputProps(`${path}.positive`)} />
        <MultiSelect
          label="Labels"
          placeholder={value('labels').length ? undefined : 'Any label'}
          searchable
          clearable
          data={withSelectedGroups(options.labels, value('labels'))}
          nothingFoundMessage="No labels"
          {...form.getInputProps(`${path}.labels`)}
        />
        <MultiSelect
          label="Severities"
          placeholder={value('severities').length ? undefined : 'Any severity'}
          clearable
          data={SEVERITY_OPTIONS}
          {...form.getInputProps(`${path}.severities`)}
        />
        <MultiSelect
          label="Vendors"
          placeholder={value('vendorIds').length ? undefined : 'Any vendor'}
          searchable
          clearable
          data={withSelected(options.vendors, value('vendorIds'))}
          nothingFoundMessage="No vendors"
          {...form.getInputProps(`${path}.vendorIds`)}
        />
        <MultiSelect
          label="Sites"
          placeholder={value('siteIds').length ? undefined : 'Any site'}
          searchable
          clearable
          data={withSelected(options.sites, value('siteIds'))}
          nothingFoundMessage="No sites"
          {...form.getInputProps(`${path}.siteIds`)}
        />
        <MultiSelect
          label="Tenure bands"
          placeholder={value('tenureBands').length ? undefined : 'Any tenure'}
          clearable
          data={withSelected(options.tenureBands.filter(Boolean).map((k) => ({ value: k, label: k })), value('tenureBands'))}
          {...form.getInputProps(`${path}.tenureBands`)}
        />
        <MultiSelect
          label="Model-score bands"
          placeholder={value('modelScoreBands').length ? undefined : 'Any score'}
          clearable
          data={withSelected(
            [...options.modelScoreBands.filter(Boolean).map((k) => ({ value: k, label: k })), { value: 'none', label: 'none (no score)' }],
            value('modelScoreBands'),
          )}
          {...form.getInputProps(`${path}.modelScoreBands`)}
        />
      </SimpleGrid>
    </>
  );
}
