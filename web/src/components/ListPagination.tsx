import { Group, Pagination, Text } from '@mantine/core';
import { formatNumber } from '../lib/format';

interface ListPaginationProps {
  total: number | undefined;
  limit: number;
  offset: number;
  onOffsetChange: (offset: number) => void;
  noun?: string;
}

/** "Showing 51–100 of 230" plus page controls for offset-based lists. */
export function ListPagination({ total, limit, offset, onOffsetChange, noun = 'rows' }: ListPaginationProps) {
  if (total === undefined || total === 0) return null;
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.min(pages, Math.floor(offset / limit) + 1);
  const first = offset + 1;
  const last = Math.min(total, offset + limit);
  return (
    <Group justify="space-between" p="sm" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        Showing {formatNumber(first)}–{formatNumber(last)} of {formatNumber(total)} {noun}
      </Text>
      {pages > 1 && (
        <nav aria-label="Pagination">
          <Pagination
            total={pages}
            value={page}
            onChange={(next) => onOffsetChange((next - 1) * limit)}
            size="sm"
            withEdges
            getItemProps={(item) => ({
              'aria-label': `Page ${item}`,
              'aria-current': item === page ? 'page' : undefined,
            })}
            getControlProps={(control) => ({ 'aria-label': `${control[0]?.toUpperCase()}${control.slice(1)} page` })}
          />
        </nav>
      )}
    </Group>
  );
}
