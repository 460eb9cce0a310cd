import { Link } from 'react-router-dom';
import { Anchor, Badge, Table, Text } from '@mantine/core';
import { useScorecards } from '../../api/scorecards';
import { PageHeader } from '../../components/PageHeader';
import { EmptyMessage, ErrorState, LoadingState } from '../../components/States';
import { formatDateTime } from '../../lib/format';

/** Every workflow with its scorecard: the published version, any draft, how many versions. */
export function ScorecardsPage() {
  const scorecards = useScorecards();
  if (scorecards.isPending) return <LoadingState label="Loading scorecards" />;
  if (scorecards.isError) return <ErrorState error={scorecards.error} onRetry={() => void scorecards.refetch()} />;
  const items = scorecards.data.items;
  return (
    <>
      <PageHeader
        title="Scorecards"
        description="The form QA reviewers fill in, one per workflow and versioned: weighted questions, critical (auto-fail) questions, error typing and root causes. Publishing a change makes a new version; reviews keep the version they were scored on."
      />
      {items.length === 0 ? (
        <EmptyMessage title="No workflows yet" description="Create a workflow first; each workflow has its own scorecard." />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Workflow</Table.Th>
                <Table.Th scope="col">Published scorecard</Table.Th>
                <Table.Th scope="col">Draft</Table.Th>
                <Table.Th scope="col">Versions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((w) => (
                <Table.Tr key={w.workflowId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/scorecards/${w.workflowId}`}>
                      {w.workflowName}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {w.workflowKind === 'support' ? 'Support' : 'Moderation'}
                      {w.workflowStatus === 'inactive' ? ' · inactive' : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {w.published ? (
                      <>
                        <Text size="sm">
                          {w.published.name} <Badge color="green" size="sm">v{w.published.version}</Badge>
                        </Text>
                        <Text size="xs" c="dimmed">
                          Published {formatDateTime(w.published.publishedAt)}
                        </Text>
                      </>
                    ) : (
                      <Badge color="gray">None published: reviews cannot start</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{w.draft ? <Badge color="blue">Draft v{w.draft.version}</Badge> : <Text size="sm" c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>{w.versions}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
