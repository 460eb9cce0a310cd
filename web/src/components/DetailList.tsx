import type { ReactNode } from 'react';
import { SimpleGrid, Text } from '@mantine/core';

export interface DetailItem {
  label: string;
  value: ReactNode;
}

/** Key-value facts about a record, as an accessible description list. */
export function DetailList({ items, cols = 3 }: { items: DetailItem[]; cols?: number }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 1, xs: 2, md: cols }} spacing="md" verticalSpacing="sm" m={0}>
      {items.map((item) => (
        <div key={item.label}>
          <Text component="dt" size="xs" fw={600} c="dimmed" tt="uppercase">
            {item.label}
          </Text>
          {/* Long emails and ids wrap inside their column instead of running into the next one. */}
          <Text component="dd" m={0} size="sm" style={{ overflowWrap: 'anywhere' }}>
            {item.value ?? '—'}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}

/** An email that, when its column is narrow, wraps after the "@" rather than mid-word. */
export function Email({ address }: { address: string }) {
  const at = address.indexOf('@');
  if (at < 0) return <>{address}</>;
  return (
    <>
      {address.slice(0, at + 1)}
      <wbr />
      {address.slice(at + 1)}
    </>
  );
}
