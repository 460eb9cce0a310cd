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
          <Text component="dd" m={0} size="sm">
            {item.value ?? '—'}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}
