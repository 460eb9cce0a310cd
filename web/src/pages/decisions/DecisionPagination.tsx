import { Group, Pagination, Text } from '@mantine/core';
import { formatNumber } from '../../lib/format';

/** The decisions API pages up to this offset; past it, filters narrow the list instead. */
export const MAX_OFFSET = 100_000;

interface DecisionPaginationProps {
  total: number | undefined;
  limit: number;
  offset: number;
  onOffsetChange: (offset: number) => void;
}

/**
 * "Showing 51–100 of 230 decisions" plus page controls, like ListPagination,
 * but with the pages capped where the API stops (a very large queue is
 * explored with filters, not by paging to its end).
 */
export function DecisionPagination({ total, limit, offset, onOffsetChange }: DecisionPaginationProps) {
  if (total === undefined || total === 0) return null;
  const pages = Math.max(1, Math.min(Math.ceil(total / limit), Math.floor(MAX_OFFSET / limit) + 1));
  const capped = pages * limit < total;
  const page = Math.min(pages, Math.floor(offset / limit) + 1);
  const first = offset + 1;
  const last = Math.min(total, offset + limit);
  return (
    <Group justify="space-between" p="sm" gap="sm">
      <div>
        <Text size="sm" c="dimmed" aria-live="polite">
          Showing {formatNumber(first)}–{formatNumber(last)} of {formatNumber(total)} decisions
        </Text>
        {capped && (
          <Text size="xs" c="dimmed">
            Pages stop at {formatNumber(pages * limit)}: narrow the filters to see older decisions.
          </Text>
        )}
      </div>
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
