import { Badge } from '@mantine/core';
import type { Severity } from '../../../api/types';

const COLORS: Record<Severity, string> = { critical: 'red', high: 'orange', medium: 'yellow', low: 'gray' };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge color={COLORS[severity] ?? 'gray'} variant={severity === 'critical' ? 'filled' : 'light'}>
      {severity}
    </Badge>
  );
}
