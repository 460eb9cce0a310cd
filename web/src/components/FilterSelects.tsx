import { Select, type SelectProps } from '@mantine/core';

interface StatusFilterProps extends Omit<SelectProps, 'data' | 'onChange' | 'value'> {
  value: string;
  onChange: (value: string | null) => void;
  options?: Array<{ value: string; label: string }>;
}

const ACTIVE_INACTIVE = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
];

/** "Status" filter for list pages (clearable; empty means any status). */
export function StatusFilter({ value, onChange, options = ACTIVE_INACTIVE, ...props }: StatusFilterProps) {
  return (
    <Select
      label="Status"
      placeholder="Any status"
      clearable
      data={options}
      value={value || null}
      onChange={onChange}
      w={{ base: '100%', sm: 170 }}
      {...props}
    />
  );
}
