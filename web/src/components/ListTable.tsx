import type { ReactNode } from 'react';
import { Box, LoadingOverlay, Paper, Table, VisuallyHidden } from '@mantine/core';
import { ScrollRegion } from './ScrollRegion';
import { EmptyMessage, ErrorState, LoadingState } from './States';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  /** Right-align numbers. */
  numeric?: boolean;
  width?: number | string;
  /** Keep the cell on one line (short values: dates, durations, statuses, icons). */
  nowrap?: boolean;
}

const NOWRAP = { whiteSpace: 'nowrap' } as const;

interface ListTableProps<T> {
  /** Accessible name of the table (visually hidden caption). */
  caption: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  isPending: boolean;
  /** A refetch is running while old rows are shown. */
  isFetching?: boolean;
  error?: unknown;
  onRetry?: () => void;
  empty: ReactNode;
  footer?: ReactNode;
  /** Below this width the table scrolls sideways instead of squeezing (default 720px). */
  minWidth?: number;
}

/** A table with header cells, loading, error and empty states. */
export function ListTable<T>(props: ListTableProps<T>) {
  const { caption, columns, rows, rowKey, isPending, isFetching, error, onRetry, empty, footer, minWidth = 720 } = props;
  if (isPending) return <LoadingState label={`Loading ${caption.toLowerCase()}`} />;
  if (error && !rows) return <ErrorState error={error} onRetry={onRetry} />;
  return (
    <Paper withBorder radius="md" pos="relative">
      <LoadingOverlay visible={Boolean(isFetching)} overlayProps={{ blur: 0, backgroundOpacity: 0.4 }} loaderProps={{ size: 'sm' }} />
      {rows && rows.length > 0 ? (
        <ScrollRegion label={caption} minWidth={minWidth}>
          <Table striped={false} aria-busy={isFetching ? true : undefined}>
            <caption>
              <VisuallyHidden>{caption}</VisuallyHidden>
            </caption>
            <Table.Thead>
              <Table.Tr>
                {columns.map((column) => (
                  <Table.Th
                    key={column.key}
                    scope="col"
                    ta={column.numeric ? 'right' : undefined}
                    w={column.width}
                    style={column.nowrap || column.numeric ? NOWRAP : undefined}
                  >
                    {column.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={rowKey(row)}>
                  {columns.map((column) => (
                    <Table.Td
                      key={column.key}
                      ta={column.numeric ? 'right' : undefined}
                      style={column.nowrap || column.numeric ? NOWRAP : undefined}
                    >
                      {column.render(row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      ) : (
        <Box p="md">{empty}</Box>
      )}
      {footer}
    </Paper>
  );
}

export { EmptyMessage };
