import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Anchor, Badge, Button, Checkbox, Group, Paper, Progress, Radio, Stack, Text, Title } from '@mantine/core';
import { errorMessage, isNotFound } from '../../api/client';
import {
  percent,
  useMyAttempt,
  useMyEnrolment,
  useMyLearning,
  useStartAttempt,
  useSubmitAttempt,
  useViewModule,
  type Award,
  type Enrolment,
  type FormItem,
} from '../../api/training';
import { ListTable, type Column } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { EmptyMessage, ErrorState, LoadingState, NotFoundState } from '../../components/States';
import { formatDate, formatDateTime } from '../../lib/format';
import { ProtectedContent } from '../review/ProtectedContent';
import { AwardBadge, EnrolmentBadge, ExcerptsAndFiles, MarkdownView } from './trainingParts';

/** "My learning": assigned courses with due dates, and my certifications. */
export function MyLearningPage() {
  const mine = useMyLearning();
  const enrolmentColumns: Column<Enrolment>[] = [
    {
      key: 'course',
      header: 'Course',
      render: (e) => (
        <Anchor component={Link} to={`/learning/${e.id}`} size="sm">
          {e.courseTitle}
        </Anchor>
      ),
    },
    { key: 'due', header: 'Due', nowrap: true, render: (e) => (e.dueAt ? formatDate(e.dueAt) : '—') },
    { key: 'status', header: 'Status', render: (e) => <EnrolmentBadge status={e.status} overdue={e.overdue} /> },
    { key: 'score', header: 'Score', numeric: true, render: (e) => percent(e.score) },
  ];
  const awardColumns: Column<Award>[] = [
    { key: 'name', header: 'Certification', render: (a) => a.certificationName },
    { key: 'workflow', header: 'Workflow', render: (a) => a.workflowName },
    { key: 'expires', header: 'Valid until', nowrap: true, render: (a) => formatDate(a.expiresAt) },
    { key: 'state', header: 'State', render: (a) => <AwardBadge state={a.state} /> },
  ];
  return (
    <>
      <PageHeader
        title="My learning"
        description={mine.data && !mine.data.linked ? 'Your account is not linked to a person record, so no training is assigned to it.' : 'Your assigned courses and your certifications.'}
      />
      <Stack gap="lg">
        <ListTable
          caption="My courses"
          columns={enrolmentColumns}
          rows={mine.data?.enrolments}
          rowKey={(e) => e.id}
          isPending={mine.isPending}
          error={mine.error}
          onRetry={() => void mine.refetch()}
          empty={<EmptyMessage title="Nothing assigned" description="Courses your trainer assigns to you appear here." />}
        />
        <section aria-labelledby="my-certs">
          <Title order={2} size="h4" id="my-certs" mb="sm">
            My certifications
          </Title>
          <ListTable caption="My certifications" columns={awardColumns} rows={mine.data?.certifications} rowKey={(a) => a.id} isPending={mine.isPending} empty={<EmptyMessage title="No certifications yet" />} />
        </section>
      </Stack>
    </>
  );
}

/** One course: the module reader (opening a module records it as read) and the assessment. */
export function MyCoursePage() {
  const { id = '' } = useParams();
  const enrolment = useMyEnrolment(id);
  const view = useViewModule(id);
  const start = useStartAttempt();
  const navigate = useNavigate();
  const [openModule, setOpenModule] = useState<string | null>(null);
  if (enrolment.isPending) return <LoadingState />;
  if (isNotFound(enrolment.error)) return <NotFoundState what="course" backTo="/learning" backLabel="Go to My learning" />;
  if (enrolment.error) return <ErrorState error={enrolment.error} onRetry={() => void enrolment.refetch()} />;
  const e = enrolment.data;
  const a = e.assessment;
  const current = e.modules.find((m) => m.id === openModule);
  return (
    <>
      <PageHeader
        title={e.courseTitle}
        crumbs={[{ label: 'My learning', to: '/learning' }]}
        badges={<EnrolmentBadge status={e.status} overdue={e.overdue} />}
        description={`Version ${e.courseVersion}${e.dueAt ? `, due ${formatDate(e.dueAt)}` : ''}. ${e.modulesViewed} of ${e.modulesRequired} required modules read.`}
      />
      <Progress value={e.modulesRequired ? (100 * e.modulesViewed) / e.modulesRequired : 100} mb="md" aria-label="Modules read" />
      <Group align="flex-start" gap="lg" wrap="nowrap">
        <Stack gap="xs" w={280} component="nav" aria-label="Modules">
          {e.modules.map((m) => (
            <Button
              key={m.id}
              variant={m.id === openModule ? 'filled' : 'default'}
              justify="space-between"
              rightSection={m.viewedAt ? <Badge size="xs" color="green">Read</Badge> : undefined}
              onClick={() => {
                setOpenModule(m.id);
                view.mutate(m.id);
              }}
            >
              {m.position + 1}. {m.title}
            </Button>
          ))}
        </Stack>
        <Stack gap="md" style={{ flex: 1 }}>
          {current ? (
            <Paper withBorder p="md" radius="md" component="article" aria-labelledby="module-title">
              <Title order={2} size="h3" id="module-title" mb="sm">
                {current.title}
              </Title>
              <MarkdownView source={current.bodyMd} />
              <ExcerptsAndFiles module={current} />
            </Paper>
          ) : (
            <Text c="dimmed">Open a module to start reading.</Text>
          )}
          {a && (
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="assessment-title">
              <Title order={2} size="h4" id="assessment-title" mb="xs">
                Assessment
              </Title>
              <Text size="sm">
                {a.formSize} questions; pass mark {percent(a.passMark)}; {a.timeLimitMinutes ? `${a.timeLimitMinutes} minutes` : 'no time limit'};{' '}
                {a.attemptsLeft === null ? 'unlimited attempts' : `${a.attemptsLeft} of ${a.attemptsAllowed} attempts left`}.
                {a.bestScore !== null && ` Best score so far: ${percent(a.bestScore)}.`}
              </Text>
              {a.passed && (
                <Alert color="green" mt="sm">
                  Passed.
                </Alert>
              )}
              {!a.passed && e.modulesViewed < e.modulesRequired && (
                <Text size="sm" c="dimmed" mt="xs">
                  Read every module to unlock the assessment.
                </Text>
              )}
              <Group mt="sm">
                <Button
                  disabled={!e.canStartAssessment}
                  loading={start.isPending}
                  onClick={() => start.mutate(e.id, { onSuccess: (attempt) => navigate(`/learning/attempts/${attempt.id}`) })}
                >
                  {a.openAttemptId ? 'Resume the assessment' : 'Start the assessment'}
                </Button>
              </Group>
              {start.error && (
                <Text c="red" size="sm" role="alert">
                  {errorMessage(start.error)}
                </Text>
              )}
            </Paper>
          )}
        </Stack>
      </Group>
    </>
  );
}

function Countdown({ deadline, onExpire }: { deadline: number; onExpire: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const expired = useRef(false);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const left = Math.max(0, deadline - now);
  useEffect(() => {
    if (left === 0 && !expired.current) {
      expired.current = true;
      onExpire();
    }
  }, [left, onExpire]);
  const minutes = Math.floor(left / 60_000);
  const seconds = Math.floor((left % 60_000) / 1000);
  return (
    <Badge size="lg" color={left < 60_000 ? 'red' : 'blue'} variant="light" role="timer" aria-live="off">
      Time left {minutes}:{String(seconds).padStart(2, '0')}
    </Badge>
  );
}

function CaseContent({ item }: { item: FormItem }) {
  const [revealed, setRevealed] = useState(false);
  const [warned, setWarned] = useState(false);
  if (!item.case) return null;
  return (
    <ProtectedContent
      content={item.case.content}
      severity={item.case.severity}
      protections={item.case.display}
      revealed={revealed}
      warned={warned}
      onAcknowledgeWarning={() => setWarned(true)}
      onReveal={() => setRevealed(true)}
    />
  );
}

/** Taking an assessment: the server's form and deadline; answers come back only after submission. */
export function TakeAssessmentPage() {
  const { id = '' } = useParams();
  const attempt = useMyAttempt(id);
  const submit = useSubmitAttempt(id);
  const [answers, setAnswers] = useState<Record<string, string[]>>({});
  const [startedAt] = useState(() => Date.now());
  if (attempt.isPending) return <LoadingState />;
  if (isNotFound(attempt.error)) return <NotFoundState what="attempt" backTo="/learning" backLabel="Go to My learning" />;
  if (attempt.error) return <ErrorState error={attempt.error} />;
  const view = submit.data ?? attempt.data;
  const result = view.result;
  const send = () => submit.mutate(view.items.map((i) => ({ itemId: i.id, optionIds: answers[i.id] ?? [] })));
  return (
    <>
      <PageHeader
        title={`Assessment, attempt ${view.attemptNumber}`}
        crumbs={[{ label: 'My learning', to: '/learning' }, { label: 'Course', to: `/learning/${view.enrolmentId}` }]}
        actions={view.status === 'in_progress' && !result && view.remainingMs !== null ? <Countdown deadline={startedAt + view.remainingMs} onExpire={() => undefined} /> : undefined}
        description={`Started ${formatDateTime(view.startedAt)}.`}
      />
      {result && (
        <Alert color={result.passed ? 'green' : 'orange'} mb="md" title={result.passed ? 'Passed' : 'Not passed'} role="status">
          You scored {percent(result.score)} ({result.pointsEarned} of {result.pointsPossible} points); the pass mark is {percent(result.passMark)}.
          {result.enrolmentCompleted && ' The course is complete.'}{' '}
          <Anchor component={Link} to="/learning">
            Back to My learning
          </Anchor>
        </Alert>
      )}
      {view.status === 'expired' && !result && (
        <Alert color="red" mb="md">
          The time limit has passed; this attempt can no longer be submitted.
        </Alert>
      )}
      <Stack gap="md">
        {view.items.map((item, index) => {
          const answer = result?.answers.find((x) => x.itemId === item.id);
          const selected = answers[item.id] ?? answer?.selectedOptionIds ?? [];
          const disabled = !!result || view.status !== 'in_progress';
          const label = `${index + 1}. ${item.stem}`;
          return (
            <Paper key={item.id} withBorder p="md" radius="md" component="section" aria-label={`Question ${index + 1}`}>
              {item.case && <CaseContent item={item} />}
              {item.multiple ? (
                <Checkbox.Group label={label} description="Select every answer that applies." value={selected} onChange={(v) => setAnswers({ ...answers, [item.id]: v })} mt={item.case ? 'sm' : 0}>
                  <Stack gap={6} mt="xs">
                    {item.options.map((o) => (
                      <Checkbox key={o.id} value={o.id} label={o.text} disabled={disabled} />
                    ))}
                  </Stack>
                </Checkbox.Group>
              ) : (
                <Radio.Group label={label} value={selected[0] ?? null} onChange={(v) => setAnswers({ ...answers, [item.id]: [v] })}>
                  <Stack gap={6} mt="xs">
                    {item.options.map((o) => (
                      <Radio key={o.id} value={o.id} label={o.text} disabled={disabled} />
                    ))}
                  </Stack>
                </Radio.Group>
              )}
              {answer && (
                <Text size="sm" mt="xs" c={answer.correct ? 'green.8' : 'red.8'}>
                  {answer.correct ? 'Correct.' : `Incorrect. The answer: ${item.options.filter((o) => answer.correctOptionIds.includes(o.id)).map((o) => o.text).join(', ')}.`}
                  {answer.knownAction && ` QA's action: ${answer.knownAction}.`} {answer.explanation}
                </Text>
              )}
            </Paper>
          );
        })}
      </Stack>
      {!result && view.status === 'in_progress' && (
        <Group mt="md">
          <Button onClick={send} loading={submit.isPending}>
            Submit answers
          </Button>
          {submit.error && (
            <Text c="red" size="sm" role="alert">
              {errorMessage(submit.error)}
            </Text>
          )}
        </Group>
      )}
    </>
  );
}
