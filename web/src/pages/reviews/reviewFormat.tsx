import { Badge, Group, Text } from '@mantine/core';
import { humanize } from '../../lib/format';

/** Small shared pieces of the review and dispute screens. */

export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? '—' : `${score.toFixed(score % 1 === 0 ? 0 : 2)}%`;
}

export function PassBadge({ passed, criticalFailed = false }: { passed: boolean; criticalFailed?: boolean }) {
  if (criticalFailed) return <Badge color="red">Critical fail</Badge>;
  return <Badge color={passed ? 'green' : 'orange'}>{passed ? 'Passed' : 'Not passed'}</Badge>;
}

export function ErrorTypeBadges({ types }: { types: string[] }) {
  if (types.length === 0) return <Text size="sm" c="dimmed">None</Text>;
  return (
    <Group gap={4}>
      {types.map((type) => (
        <Badge key={type} variant="light" color="gray">
          {humanize(type)}
        </Badge>
      ))}
    </Group>
  );
}

export function VerdictText({ labels, action }: { labels: string[]; action: string }) {
  return (
    <Text size="sm" component="span">
      {labels.length === 0 ? 'No violation' : labels.join(', ')} · {humanize(action)}
    </Text>
  );
}

const DISPUTE_COLORS: Record<string, string> = { open: 'blue', resolved: 'gray', withdrawn: 'gray', upheld: 'gray', overturned: 'green', partly: 'teal' };

/** Open, withdrawn, or the outcome of a resolved dispute. */
export function DisputeStatusBadge({ status, outcome }: { status: string; outcome: string | null }) {
  const word = status === 'resolved' && outcome ? (outcome === 'partly' ? 'Partly overturned' : humanize(outcome)) : humanize(status);
  return <Badge color={DISPUTE_COLORS[outcome ?? status] ?? 'gray'}>{word}</Badge>;
}
