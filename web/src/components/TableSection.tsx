import type { ReactNode } from 'react';
import { Paper, Table, Text, Title } from '@mantine/core';
import { ScrollRegion } from './ScrollRegion';

export interface TableColumn {
  label: ReactNode;
  align?: 'left' | 'right' | 'center';
}

export interface TableSectionProps {
  /** The heading's id: the section is labelled by it. */
  id: string;
  title: ReactNode;
  /** h3 on a page whose sections are its main parts, h4 under a larger page's groups. */
  titleSize?: 'h3' | 'h4';
  /** A line under the heading saying what the table shows. */
  description?: ReactNode;
  columns: ReadonlyArray<string | TableColumn>;
  /** With a minimum width the table scrolls sideways on narrow screens, in a region named `scrollLabel`. */
  minWidth?: number;
  scrollLabel?: string;
  testId?: string;
  /** The body rows. */
  children: ReactNode;
}

/**
 * A titled section holding one bordered table with a header row: the shape of most detail and
 * results screens (a review's answers and revisions, a calibration's alignment, questions and
 * divergent items), so headings, labelling and sideways scrolling are the same everywhere.
 */
export function TableSection({ id, title, titleSize = 'h4', description, columns, minWidth, scrollLabel, testId, children }: TableSectionProps) {
  const table = (
    <Table data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column, i) => {
            const { label, align } = typeof column === 'string' ? { label: column, align: undefined } : column;
            return (
              <Table.Th key={i} scope="col" ta={align}>
                {label}
              </Table.Th>
            );
          })}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
  return (
    <section aria-labelledby={id}>
      <Title order={2} size={titleSize} id={id} mb={titleSize === 'h3' ? 'sm' : 'xs'}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="xs">
          {description}
        </Text>
      )}
      <Paper withBorder radius="md">
        {minWidth === undefined ? (
          table
        ) : (
          <ScrollRegion label={scrollLabel ?? (typeof title === 'string' ? title : id)} minWidth={minWidth}>
            {table}
          </ScrollRegion>
        )}
      </Paper>
    </section>
  );
}
