import { Group, Paper, SimpleGrid, Text, Title, Tooltip } from '@mantine/core';
import type { WorkflowQueue } from '../../api/qa';
import { EmptyMessage } from '../../components/ListTable';
import { formatDateTime, formatNumber } from '../../lib/format';

function Figure({ label, value, tone, hint }: { label: string; value: number; tone?: 'alert' | 'warn'; hint?: string }) {
  const color = tone === 'alert' && value > 0 ? 'red.9' : tone === 'warn' && value > 0 ? 'orange.9' : 'blue.9';
  const body = (
    <div>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={22} fw={700} c={color} lh={1.2}>
        {formatNumber(value)}
      </Text>
    </div>
  );
  return hint ? <Tooltip label={hint}>{body}</Tooltip> : body;
}

/** "3 d 4 h ago" / "in 5 h": how far a due time is from now. */
export function relativeDue(iso: string, now: Date): string {
  const ms = new Date(iso).getTime() - now.getTime();
  const abs = Math.abs(ms);
  const hours = Math.floor(abs / 3_600_000);
  const days = Math.floor(hours / 24);
  const text = days > 0 ? `${days} d ${hours % 24} h` : hours > 0 ? `${hours} h` : `${Math.max(1, Math.round(abs / 60_000))} min`;
  return ms < 0 ? `${text} ago` : `in ${text}`;
}

/** One tile per workflow: how much is waiting, how much is late, what got done. */
export function QueueTiles({ workflows, now }: { workflows: WorkflowQueue[]; now: Date }) {
  if (workflows.length === 0) {
    return <EmptyMessage title="No QA tasks" description="Tasks appear when a sampling plan picks decisions for review." />;
  }
  return (
    <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md">
      {workflows.map((w) => {
        const headingId = `queue-${w.workflowId}`;
        return (
          <Paper key={w.workflowId} withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
            <Group justify="space-between" align="baseline" mb="sm">
              <Title order={3} size="h5" id={headingId}>
                {w.workflowName}
              </Title>
              <Text size="xs" c={w.oldestDueAt && new Date(w.oldestDueAt) < now ? 'red.9' : 'dimmed'}>
                {w.oldestDueAt ? (
                  <Tooltip label={formatDateTime(w.oldestDueAt)}>
                    <span>Oldest due {relativeDue(w.oldestDueAt, now)}</span>
                  </Tooltip>
                ) : (
                  'Nothing waiting'
                )}
              </Text>
            </Group>
            <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="sm" verticalSpacing="sm">
              <Figure label="Open" value={w.open} hint="Waiting for a reviewer (assigned or in the pool), not claimed" />
              <Figure label="In review" value={w.claimed} hint="Claimed under a live lease" />
              <Figure label="Unassigned" value={w.unassigned} tone="warn" hint="In the workflow pool: nobody assigned yet" />
              <Figure label="Overdue" value={w.overdue} tone="alert" hint="Still to do and past the due time" />
              <Figure label="Due next 24 h" value={w.dueNext24h} />
              <Figure label="Done last 7 days" value={w.completedLast7d} />
            </SimpleGrid>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
