import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Button, Group, Pagination, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { errorMessage } from '../../api/client';
import { useAddNote, useAnswers, useResults, type AnswersResponse, type CalibrationResults } from '../../api/calibration';
import { PageHeader } from '../../components/PageHeader';
import { ScrollRegion } from '../../components/ScrollRegion';
import { ErrorState, LoadingState } from '../../components/States';
import { TableSection } from '../../components/TableSection';
import { formatDate, formatDateTime, humanize } from '../../lib/format';
import { SessionError, ContentSnippet, Coefficient, ExportButtons, groupLabel, ShareText } from './calibrationParts';

const PAGE = 25;
const labelText = (category: string) => (category === 'none' ? 'No violation' : category.split('+').join(' + '));

function AgreementTable({ results }: { results: CalibrationResults }) {
  const rows: Array<{ who: string; field: string; f: CalibrationResults['label'] }> = [{ who: 'All participants', field: 'Label', f: results.label }];
  if (results.action) rows.push({ who: 'All participants', field: 'Action', f: results.action });
  // Agreement within a group needs two of its members; a lone participant's alignment is in the next table.
  for (const g of results.groups.filter((group) => group.participants >= 2)) {
    rows.push({ who: groupLabel(g.group), field: 'Label', f: g.label });
    if (g.action) rows.push({ who: groupLabel(g.group), field: 'Action', f: g.action });
  }
  return (
    <Paper withBorder radius="md">
      <ScrollRegion label="Agreement" minWidth={720}>
        <Table data-testid="agreement-table">
          <caption style={{ captionSide: 'bottom', textAlign: 'left', padding: 8 }}>
            <Text size="xs" c="dimmed">
              Krippendorff&apos;s alpha (nominal, missing ratings allowed) and Gwet&apos;s AC1, with 95% intervals; AC1 stays stable when one answer dominates.
            </Text>
          </caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Who</Table.Th>
              <Table.Th scope="col">On</Table.Th>
              <Table.Th scope="col">Krippendorff&apos;s alpha</Table.Th>
              <Table.Th scope="col">Gwet&apos;s AC1</Table.Th>
              <Table.Th scope="col">Percent agreement</Table.Th>
              <Table.Th scope="col">Items · ratings</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={`${r.who}-${r.field}`}>
                <Table.Th scope="row">{r.who}</Table.Th>
                <Table.Td>{r.field}</Table.Td>
                <Table.Td>
                  <Coefficient figure={r.f.alpha} />
                </Table.Td>
                <Table.Td>
                  <Coefficient figure={r.f.ac1} />
                </Table.Td>
                <Table.Td>
                  <Coefficient figure={r.f.percent} percent />
                </Table.Td>
                <Table.Td>
                  {r.f.items} · {r.f.ratings}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
    </Paper>
  );
}

function ItemAnswers({ sessionId, data }: { sessionId: string; data: AnswersResponse['items'][number] }) {
  const add = useAddNote(sessionId);
  const [note, setNote] = useState('');
  return (
    <Paper withBorder radius="md" p="md" data-testid={`item-answers-${data.position}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5">
            Item {data.position} · {data.ref}
          </Title>
          {data.expert && (
            <Text size="sm" fw={600} c="violet.9" data-testid="expert-answer">
              Expert answer: {data.expert.labels.length === 0 ? 'No violation' : data.expert.labels.join(' + ')} · {humanize(data.expert.action)}
            </Text>
          )}
        </Group>
        <ContentSnippet sessionId={sessionId} itemId={data.id} text={data.content.text} url={data.content.url} severity={data.severity} />
        {data.expert?.note && <Text size="sm">Expert&apos;s rationale: {data.expert.note}</Text>}
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Participant</Table.Th>
              <Table.Th scope="col">Label</Table.Th>
              <Table.Th scope="col">Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.ratings.map((r) => {
              const expertLabel = data.expert ? ([...data.expert.labels].sort().join('+') || 'none') : null;
              return (
                <Table.Tr key={r.participantId}>
                  <Table.Td>
                    {r.name} <Text span size="xs" c="dimmed">({groupLabel(r.group)})</Text>
                  </Table.Td>
                  <Table.Td c={expertLabel !== null && r.label !== expertLabel ? 'red.8' : undefined}>{labelText(r.label)}</Table.Td>
                  <Table.Td c={data.expert && r.action !== null && r.action !== data.expert.action ? 'red.8' : undefined}>{r.action ? humanize(r.action) : '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {data.notes.map((n) => (
          <Text key={n.id} size="sm">
            <Text span fw={600}>
              {n.authorLabel}
            </Text>{' '}
            <Text span size="xs" c="dimmed">
              {formatDateTime(n.createdAt)}
            </Text>
            : {n.body}
          </Text>
        ))}
        <Group align="flex-end">
          <Textarea label={`Discussion note on item ${data.position}`} autosize minRows={1} value={note} onChange={(e) => setNote(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button variant="default" disabled={!note.trim()} loading={add.isPending} onClick={() => add.mutate({ itemId: data.id, body: note }, { onSuccess: () => setNote('') })}>
            Add note
          </Button>
        </Group>
        {add.error && <Alert color="red">{errorMessage(add.error)}</Alert>}
      </Stack>
    </Paper>
  );
}

/** A revealed session: agreement with intervals, alignment with the expert, divergence, and every item's answers with notes. */
export function CalibrationResultsPage() {
  const { sessionId = '' } = useParams();
  const results = useResults(sessionId);
  const [page, setPage] = useState(1);
  const answers = useAnswers(sessionId, (page - 1) * PAGE, results.isSuccess);
  if (results.isPending) return <LoadingState label="Loading the results" />;
  if (results.error) return <SessionError error={results.error} onRetry={() => void results.refetch()} />;
  const { session, results: r, canManage } = results.data;
  return (
    <>
      <PageHeader
        title={`Results: ${session.title}`}
        documentTitle={`Results: ${session.title}`}
        eyebrow="Calibration"
        crumbs={canManage ? [{ label: 'Calibration', to: '/calibration' }] : [{ label: 'My calibrations', to: '/calibration/mine' }]}
        description={`${session.kind === 'imported' ? `Imported ratings (${session.ratingField ?? 'label'})` : (session.workflowName ?? '')} · closed ${formatDate(session.closedAt)} · ${r.items} items · ${r.participants} participants`}
        actions={canManage ? <ExportButtons sessionId={session.id} /> : undefined}
      />
      <Stack gap="xl">
        <section aria-labelledby="agreement-heading">
          <Title order={2} size="h4" id="agreement-heading" mb="xs">
            Agreement
          </Title>
          <AgreementTable results={r} />
        </section>

        <TableSection
          id="alignment-heading"
          title="Each participant against the expert answer"
          columns={['Participant', 'Group', 'Rated', 'Label matches expert', 'Action matches expert']}
          minWidth={640}
          scrollLabel="Alignment with the expert"
          testId="alignment-table"
        >
          {r.alignment.map((a) => (
            <Table.Tr key={a.participantId}>
              <Table.Th scope="row">
                {a.name}
                {a.vendorName && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    · {a.vendorName}
                  </Text>
                )}
              </Table.Th>
              <Table.Td>{groupLabel(a.group)}</Table.Td>
              <Table.Td>{a.rated}</Table.Td>
              <Table.Td>{a.label.n > 0 ? <ShareText share={a.label} /> : 'No expert answers'}</Table.Td>
              <Table.Td>{a.action ? <ShareText share={a.action} /> : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </TableSection>

        {r.questions.length > 0 && (
          <TableSection id="questions-heading" title="Scorecard questions" columns={['Question', 'Percent agreement', "Krippendorff's alpha", 'Matches expert']}>
            {[...r.questions]
              .sort((a, b) => (a.percent.value ?? 1) - (b.percent.value ?? 1))
              .map((q) => (
                <Table.Tr key={q.questionKey}>
                  <Table.Th scope="row">{q.text}</Table.Th>
                  <Table.Td>
                    <Coefficient figure={q.percent} percent />
                  </Table.Td>
                  <Table.Td>
                    <Coefficient figure={q.alpha} />
                  </Table.Td>
                  <Table.Td>{q.expertMatch ? <ShareText share={q.expertMatch} /> : '—'}</Table.Td>
                </Table.Tr>
              ))}
          </TableSection>
        )}

        <TableSection id="divergent-heading" title="Most divergent items" columns={['Item', 'Pairs agreeing', 'Entropy (bits)', 'Expert', 'Answers given']} minWidth={640}>
          {r.divergentItems.map((d) => (
            <Table.Tr key={d.itemId}>
              <Table.Th scope="row">
                {d.position} · {d.ref}
              </Table.Th>
              <Table.Td>{d.labelAgreement === null ? '—' : `${Math.round(100 * d.labelAgreement)}%`}</Table.Td>
              <Table.Td>{d.labelEntropy.toFixed(2)}</Table.Td>
              <Table.Td>{d.expertLabel ? labelText(d.expertLabel) : '—'}</Table.Td>
              <Table.Td>
                {Object.entries(d.distribution)
                  .map(([k, v]) => `${labelText(k)}: ${v}`)
                  .join(' · ')}
              </Table.Td>
            </Table.Tr>
          ))}
        </TableSection>

        <section aria-labelledby="answers-heading">
          <Title order={2} size="h4" id="answers-heading" mb="xs">
            Every item&apos;s answers
          </Title>
          {answers.error ? (
            <ErrorState error={answers.error} />
          ) : (
            <Stack gap="sm">
              {(answers.data?.items ?? []).map((item) => (
                <ItemAnswers key={item.id} sessionId={sessionId} data={item} />
              ))}
              {answers.data && answers.data.total > PAGE && <Pagination total={Math.ceil(answers.data.total / PAGE)} value={page} onChange={setPage} aria-label="Pages of items" />}
            </Stack>
          )}
        </section>
      </Stack>
    </>
  );
}
