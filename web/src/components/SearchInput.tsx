import { useEffect, useState } from 'react';
import { CloseButton, TextInput, type TextInputProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';

interface DebouncedTextInputProps extends Omit<TextInputProps, 'value' | 'onChange'> {
  value: string;
  onChange: (value: string) => void;
  delay?: number;
}

/** A text filter that reports changes after the person stops typing. */
export function DebouncedTextInput({ value, onChange, delay = 300, ...props }: DebouncedTextInputProps) {
  const [text, setText] = useState(value);
  const [debounced] = useDebouncedValue(text, delay);

  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (debounced !== value) onChange(debounced);
    // Only the debounced text should trigger a change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);

  return <TextInput value={text} onChange={(event) => setText(event.currentTarget.value)} {...props} />;
}

interface SearchInputProps {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  placeholder?: string;
}

/** The "Search" box of list pages (text search `q`). */
export function SearchInput({ value, onChange, label = 'Search', placeholder }: SearchInputProps) {
  return (
    <DebouncedTextInput
      type="search"
      label={label}
      placeholder={placeholder}
      value={value}
      onChange={onChange}
      leftSection={<IconSearch size={16} aria-hidden="true" />}
      rightSection={value ? <CloseButton size="sm" aria-label="Clear search" onClick={() => onChange('')} /> : undefined}
      w={{ base: '100%', sm: 260 }}
    />
  );
}
