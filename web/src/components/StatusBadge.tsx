import { Badge, type MantineColor } from '@mantine/core';
import { humanize } from '../lib/format';

const COLORS: Record<string, MantineColor> = {
  active: 'green',
  inactive: 'gray',
  disabled: 'gray',
  on_leave: 'yellow',
  revoked: 'red',
  expired: 'orange',
  draft: 'blue',
  retired: 'gray',
};

/** A status word in a coloured badge ("Active", "On leave", ...). */
export function StatusBadge({ status }: { status: string }) {
  return <Badge color={COLORS[status] ?? 'gray'}>{humanize(status)}</Badge>;
}
