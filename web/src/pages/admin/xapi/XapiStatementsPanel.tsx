import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useXapiStatements, type XapiStatementSummary } from '../../../api/xapi';
import { EmptyMessage, ListTable, type Column } from '../../../components/ListTable';
import { formatDateTime } from '../../../lib/format';

function outcome(s: XapiStatementSummary) {
  if (s.voided) return <Badge color="gray">Voided</Badge>;
  if (s.success === null && s.scaled === null) return null;
  const score = s.scaled === null ? '' : ` ${Math.round(s.scaled * 100)}%`;
  if (s.success === null) return <Text size="sm">{score.trim()}</Text>;
  return <Badge color={s.success ? 'green' : 'red'}>{`${s.success ? 'Passed' : 'Not passed'}${score}`}</Badge>;
}

/** The latest statements the LMSs sent, newest first: a quick look that integrations are flowing. */
export function XapiStatementsPanel() {
  const statements = useXapiStatements();
  const rows = statements.data?.pages.flatMap((p) => p.items);
  const columns: Column<XapiStatementSummary>[] = [
    { key: 'when', header: 'When', nowrap: true, render: (s) => formatDateTime(s.timestamp) },
    { key: 'actor', header: 'Learner', render: (s) => s.actor },
    { key: 'verb', header: 'Verb', nowrap: true, render: (s) => s.verb },
    { key: 'object', header: 'Activity', render: (s) => s.object },
    { key: 'outcome', header: 'Result', nowrap: true, render: outcome },
    { key: 'source', header: 'Sent by', render: (s) => s.credentialName ?? 'Assay' },
  ];
  return (
    <Stack gap="sm" mt="xl" component="section" aria-labelledby="xapi-statements-heading">
      <Title order={2} size="h3" id="xapi-statements-heading">
        Recent statements
      </Title>
      <Text size="sm" c="dimmed">
        What the learning tools sent lately, within your scope. Viewing is recorded in the audit log.
      </Text>
      <ListTable
        caption="Recent statements"
        columns={columns}
        rows={rows}
        rowKey={(s) => s.id}
        isPending={statements.isPending}
        isFetching={statements.isFetchingNextPage}
        error={statements.error}
        onRetry={() => void statements.refetch()}
        empty={<EmptyMessage title="No statements yet" description="They appear here as soon as a learning tool sends its first record." />}
        footer={
          statements.hasNextPage ? (
            <Group justify="center">
              <Button variant="default" size="xs" loading={statements.isFetchingNextPage} onClick={() => void statements.fetchNextPage()}>
                Show older statements
              </Button>
            </Group>
          ) : undefined
        }
      />
    </Stack>
  );
}
