import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Alert, Anchor, Badge, Button, Group, Radio, SegmentedControl, Select, Stack, Table, Text, Textarea } from '@mantine/core';
import { errorMessage, isNotFound } from '../../../api/client';
import { useCan, useSeesAllVendors } from '../../../auth/session';
import { useMySurveys, useRespondToSurvey, useSurveyInvitation, useSurveyResults, useSurveys, type MeanInterval } from '../../../api/training-operations';
import { PageHeader } from '../../../components/PageHeader';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { EmptyMessage, ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { formatDate } from '../../../lib/format';
import { Section } from './opsParts';

const LIKERT = ['Strongly disagree', 'Disagree', 'Neither', 'Agree', 'Strongly agree'];
const mean = (m: MeanInterval | null) => (m?.mean == null ? '—' : `${m.mean.toFixed(2)}${m.lower != null && m.upper != null ? ` (${m.lower.toFixed(2)}–${m.upper.toFixed(2)})` : ''}`);

/** Reaction survey results per course, trainer, site or cohort (Kirkpatrick level 1). */
export function SurveyResultsPage() {
  const surveys = useSurveys();
  const can = useCan();
  const seesAllVendors = useSeesAllVendors();
  const [searchParams] = useSearchParams();
  const [surveyId, setSurveyId] = useState<string | null>(searchParams.get('survey'));
  const [by, setBy] = useState('course');
  const chosen = surveyId ?? surveys.data?.items[surveys.data.items.length - 1]?.id ?? null;
  const results = useSurveyResults(chosen, by);
  return (
    <>
      <PageHeader
        title="Reaction surveys"
        description="What learners said after training, per course, trainer, site or cohort: means on a 1-5 scale with 95% t intervals and n. Groups with fewer answers than the survey's minimum are withheld so no one can be singled out."
        actions={can('training.manage') && seesAllVendors ? <Button component={Link} to="/training/operations/surveys/new">New survey</Button> : undefined}
      />
      <Stack gap="md">
        <Group align="flex-end">
          <Select label="Survey" data={(surveys.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name}${s.courseTitle ? ` (after ${s.courseTitle})` : s.courseId ? '' : ' (general)'}${s.status === 'retired' ? ', retired' : ''}` }))} value={chosen} onChange={setSurveyId} w={320} />
          <SegmentedControl aria-label="Results by" value={by} onChange={setBy} data={[{ value: 'course', label: 'Course' }, { value: 'trainer', label: 'Trainer' }, { value: 'site', label: 'Site' }, { value: 'cohort', label: 'Cohort' }]} />
        </Group>
        {results.isPending && chosen && <LoadingState label="Loading results" />}
        {results.error && <ErrorState error={results.error} />}
        {results.data && (
          <>
            <Text size="sm">
              {results.data.survey.courseId ? `Sent after ${results.data.survey.courseTitle ?? 'a course outside your scope'}` : 'The general survey, sent after training without a survey of its own'}
              {' · '}{results.data.from} to {results.data.to}: {results.data.responded} answered of {results.data.invited} invited.
            </Text>
            {results.data.groups.length === 0 && <EmptyMessage title="No answers yet" />}
            {results.data.groups.map((g) => (
              <Section key={g.groupId ?? 'none'} title={`${g.groupName ?? 'Outside your scope'} (n = ${g.n})`}>
                {g.suppressed ? (
                  <Text size="sm" c="dimmed">Fewer than {results.data.survey.minGroupSize} answers: withheld to keep answers anonymous.</Text>
                ) : (
                  <>
                    <Text size="sm">Overall mean: <b>{mean(g.overall)}</b></Text>
                    <ScrollRegion label={`Items for ${g.groupName ?? 'group'}`} minWidth={640}>
                      <Table>
                        <Table.Thead><Table.Tr><Table.Th scope="col">Statement</Table.Th><Table.Th scope="col">Mean (95% CI)</Table.Th><Table.Th scope="col">Agree</Table.Th><Table.Th scope="col">1 / 2 / 3 / 4 / 5</Table.Th></Table.Tr></Table.Thead>
                        <Table.Tbody>
                          {g.items.map((i) => (
                            <Table.Tr key={i.key}>
                              <Table.Td>{i.text}</Table.Td>
                              <Table.Td>{mean(i)}</Table.Td>
                              <Table.Td>{i.agreeShare == null ? '—' : `${Math.round(i.agreeShare * 100)}%`}</Table.Td>
                              <Table.Td>{i.distribution.join(' / ')}</Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </ScrollRegion>
                    {g.comments.length > 0 && (
                      <Stack gap={2}>
                        <Text size="sm" fw={500}>Comments</Text>
                        {g.comments.map((c, i) => <Text key={i} size="sm">“{c.text}”</Text>)}
                      </Stack>
                    )}
                  </>
                )}
              </Section>
            ))}
          </>
        )}
      </Stack>
    </>
  );
}

/** The learner's survey invitations. */
export function MySurveysPage() {
  const mine = useMySurveys();
  if (mine.isPending) return <LoadingState label="Loading your surveys" />;
  if (mine.error) return <ErrorState error={mine.error} />;
  return (
    <>
      <PageHeader title="My surveys" description="Tell us how your training went. Answers are anonymous." />
      {mine.data.items.length === 0 && <EmptyMessage title="No surveys" description="You are asked after a training session or course." />}
      <Stack gap="xs">
        {mine.data.items.map((i) => (
          <Group key={i.id} gap="sm">
            {i.respondedOn ? <Text size="sm">{i.contextLabel}</Text> : <Anchor component={Link} to={`/training/operations/surveys/take/${i.id}`} size="sm">{i.contextLabel}</Anchor>}
            <Text size="xs" c="dimmed">sent {formatDate(i.sentAt)}</Text>
            {i.respondedOn ? <Badge color="green" variant="light">Answered</Badge> : <Badge variant="outline">To answer</Badge>}
          </Group>
        ))}
      </Stack>
    </>
  );
}

/** Answering one survey. */
export function TakeSurveyPage() {
  const { invitationId } = useParams();
  const navigate = useNavigate();
  const invitation = useSurveyInvitation(invitationId);
  const respond = useRespondToSurvey(invitationId ?? '');
  const [ratings, setRatings] = useState<Record<string, number>>({});
  const [comments, setComments] = useState<Record<string, string>>({});
  if (invitation.isPending) return <LoadingState label="Loading the survey" />;
  if (isNotFound(invitation.error)) return <NotFoundState what="survey" backTo="/training/operations/surveys/mine" backLabel="Back to my surveys" />;
  if (invitation.error) return <ErrorState error={invitation.error} />;
  const inv = invitation.data;
  return (
    <>
      <PageHeader title={inv.surveyName} eyebrow="Survey" crumbs={[{ label: 'My surveys', to: '/training/operations/surveys/mine' }]} description={inv.contextLabel} />
      <Alert color="blue" mb="md">{inv.anonymityNote}</Alert>
      {inv.respondedOn ? (
        <Text>You answered this survey on {formatDate(inv.respondedOn)}. Thank you.</Text>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); respond.mutate({ ratings, comments }, { onSuccess: () => navigate('/training/operations/surveys/mine') }); }}>
          <Stack gap="md">
            {inv.items.map((item) =>
              item.kind === 'likert' ? (
                <Radio.Group key={item.key} label={item.text} value={ratings[item.key] ? String(ratings[item.key]) : ''} onChange={(v) => setRatings((r) => ({ ...r, [item.key]: Number(v) }))} required>
                  <Group mt={4}>{LIKERT.map((label, i) => <Radio key={label} value={String(i + 1)} label={label} />)}</Group>
                </Radio.Group>
              ) : (
                <Textarea key={item.key} label={item.text} value={comments[item.key] ?? ''} onChange={(e) => { const v = e.currentTarget.value; setComments((c) => ({ ...c, [item.key]: v })); }} autosize minRows={2} />
              ),
            )}
            {respond.error && <Alert color="red" role="alert">{errorMessage(respond.error)}</Alert>}
            <Group><Button type="submit" loading={respond.isPending}>Send answers</Button></Group>
          </Stack>
        </form>
      )}
    </>
  );
}
