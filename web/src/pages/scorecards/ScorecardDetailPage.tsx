import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconCopy, IconPlus } from '@tabler/icons-react';
import { errorMessage } from '../../api/client';
import { useCreateScorecardDraft, useScorecards, useScorecardVersion, useScorecardVersions, type ScorecardStatus } from '../../api/scorecards';
import { useCan, useSeesAllVendors } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { ScorecardEditor } from './ScorecardEditor';
import { ScorecardView } from './ScorecardView';

const STATUS_COLOR: Record<ScorecardStatus, string> = { draft: 'blue', published: 'green', retired: 'gray' };

/** One workflow's scorecard: its versions, the selected version in full, and the draft editor. */
export function ScorecardDetailPage() {
  const { workflowId = '' } = useParams();
  const can = useCan();
  // A scorecard applies to every vendor's work: only an all-vendor scope may change it.
  const canWrite = useSeesAllVendors() && can('scorecards.write');
  const list = useScorecards();
  const versions = useScorecardVersions(workflowId);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const create = useCreateScorecardDraft(workflowId);

  const summary = list.data?.items.find((w) => w.workflowId === workflowId);
  const items = versions.data?.items ?? [];
  const draft = items.find((v) => v.status === 'draft');
  const published = items.find((v) => v.status === 'published');
  const shownId = selected && items.some((v) => v.id === selected) ? selected : ((canWrite ? draft?.id : undefined) ?? published?.id ?? items[0]?.id);
  const shown = useScorecardVersion(shownId);

  if (list.isPending || versions.isPending) return <LoadingState label="Loading the scorecard" />;
  if (versions.isError) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  if (!summary) return <NotFoundState what="workflow" backTo="/scorecards" backLabel="All scorecards" />;

  const startDraft = (from: 'published' | 'default') =>
    create.mutate({ from }, { onSuccess: (version) => { setSelected(version.id); setNotice(null); } });

  return (
    <>
      <PageHeader
        title={`${summary.workflowName} scorecard`}
        eyebrow="Scorecard"
        crumbs={[{ label: 'Scorecards', to: '/scorecards' }]}
        description="Reviews use the published version. Changing it means drafting a new version and publishing it; the versions before stay as they were, with the reviews scored on them."
        actions={
          canWrite && !draft ? (
            <Group gap="xs">
              {published && (
                <Button leftSection={<IconCopy size={16} aria-hidden="true" />} loading={create.isPending} onClick={() => startDraft('published')}>
                  New version from v{published.version}
                </Button>
              )}
              <Button variant={published ? 'default' : 'filled'} leftSection={<IconPlus size={16} aria-hidden="true" />} loading={create.isPending} onClick={() => startDraft('default')}>
                New version from the default
              </Button>
            </Group>
          ) : undefined
        }
      />
      <Stack gap="lg">
        {create.isError && <Alert color="red" role="alert" title="Could not start a draft">{errorMessage(create.error)}</Alert>}
        {notice && <Alert color="green" role="status">{notice}</Alert>}
        <Paper withBorder p="md" component="section" aria-labelledby="versions-heading">
          <Title order={2} size="h4" id="versions-heading" mb="xs">
            Versions
          </Title>
          {items.length === 0 ? (
            <Text size="sm" c="dimmed">
              No version yet: reviews of this workflow cannot start until a scorecard is published.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Version</Table.Th>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Questions</Table.Th>
                    <Table.Th scope="col">Published</Table.Th>
                    <Table.Th scope="col"><VisuallyHidden>Show</VisuallyHidden></Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((v) => (
                    <Table.Tr key={v.id} aria-current={v.id === shownId ? 'true' : undefined}>
                      <Table.Td>v{v.version}</Table.Td>
                      <Table.Td>{v.name}</Table.Td>
                      <Table.Td><Badge color={STATUS_COLOR[v.status]}>{v.status}</Badge></Table.Td>
                      <Table.Td>{v.questionCount}</Table.Td>
                      <Table.Td>{v.publishedAt ? formatDateTime(v.publishedAt) : '—'}</Table.Td>
                      <Table.Td>
                        <Button size="xs" variant={v.id === shownId ? 'light' : 'subtle'} onClick={() => setSelected(v.id)} aria-pressed={v.id === shownId}>
                          Show version {v.version}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
        {shownId && (
          <Paper withBorder p="md" component="section" aria-labelledby="version-heading">
            {shown.isError ? (
              <ErrorState error={shown.error} onRetry={() => void shown.refetch()} />
            ) : !shown.data ? (
              <Skeleton h={240} />
            ) : (
              <Stack gap="sm">
                <Group gap="sm">
                  <Title order={2} size="h4" id="version-heading">
                    {shown.data.status === 'draft' && canWrite ? 'Edit draft' : 'Version'} {shown.data.version}: {shown.data.name}
                  </Title>
                  <Badge color={STATUS_COLOR[shown.data.status]}>{shown.data.status}</Badge>
                </Group>
                <Text size="xs" c="dimmed">
                  Started {formatDateTime(shown.data.createdAt)}
                  {shown.data.publishedAt ? ` · published ${formatDateTime(shown.data.publishedAt)}` : ''}
                </Text>
                {shown.data.status === 'draft' && canWrite ? (
                  <ScorecardEditor
                    key={shown.data.id}
                    draft={shown.data}
                    onDone={(publishedId) => {
                      setSelected(publishedId);
                      setNotice(publishedId ? 'Published: new reviews use this version.' : 'Draft discarded.');
                    }}
                  />
                ) : (
                  <ScorecardView definition={shown.data.definition} />
                )}
              </Stack>
            )}
          </Paper>
        )}
      </Stack>
    </>
  );
}
