import { Select, SimpleGrid } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { SCOPE_KINDS, SCOPE_LABELS, type ScopeKind } from '../../../../../src/domain/access/scope.ts';
import { PersonSelect, SiteSelect, TeamSelect, VendorSelect } from '../../../components/EntityPickers';
import type { UserFormValues } from './userForm';

const KIND_OPTIONS = SCOPE_KINDS.map((value) => ({ value, label: SCOPE_LABELS[value] }));
const REF_LABELS: Record<Exclude<ScopeKind, 'all'>, string> = {
  vendor: 'Scope vendor',
  site: 'Scope site',
  team: 'Scope team',
  self: 'Scope person',
};

/** Scope kind plus the vendor / site / team / person it points at. */
export function ScopeFields({
  form,
  currentRefLabel,
}: {
  form: UseFormReturnType<UserFormValues>;
  /** Label of the saved ref (for people, who are searched rather than listed). */
  currentRefLabel?: string | null;
}) {
  const kind = form.values.scopeKind;
  const isAdmin = form.values.role === 'admin';
  const kindProps = form.getInputProps('scopeKind');
  const refProps = { ...form.getInputProps('scopeRefId'), required: true };

  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Select
        label="Scope"
        description={isAdmin ? 'Administrators always see everything.' : 'What this user may see.'}
        data={KIND_OPTIONS}
        allowDeselect={false}
        disabled={isAdmin}
        {...kindProps}
        onChange={(value, option) => {
          kindProps.onChange(value, option);
          form.setFieldValue('scopeRefId', null);
        }}
      />
      {kind === 'vendor' && <VendorSelect label={REF_LABELS.vendor} {...refProps} />}
      {kind === 'site' && <SiteSelect label={REF_LABELS.site} {...refProps} />}
      {kind === 'team' && <TeamSelect label={REF_LABELS.team} {...refProps} />}
      {kind === 'self' && (
        <PersonSelect
          label={REF_LABELS.self}
          placeholder="Type a name to search"
          currentLabel={currentRefLabel}
          {...refProps}
        />
      )}
    </SimpleGrid>
  );
}
