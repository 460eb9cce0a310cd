import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Badge, Button, Checkbox, Grid, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconAlertCircle, IconClock, IconSend } from '@tabler/icons-react';
import { errorMessage, isApiError, isNotFound, type ApiErrorDetail } from '../../api/client';
import { useTakeNextTask } from '../../api/qa';
import { useActions } from '../../api/policy';
import {
  recordExposure,
  saveDraft,
  useRecordVerdict,
  useSubmitReview,
  useWorkspace,
  type Answer,
  type SubmittedReview,
  type Verdict,
  type Workspace,
} from '../../api/review';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../components/States';
import { humanize } from '../../lib/format';
import { ProtectedContent } from './ProtectedContent';
import { allQuestions, answerErrors, derivedValue, isDerived, isTypingTarget, valueForKey, type AgentDecision } from './reviewState';
import { ScorecardForm } from './ScorecardForm';
import { SubmittedPanel } from './SubmittedPanel';
import { ContextPanel, PolicyPanel, ShortcutLegend } from './SidePanels';
import { VerdictPanel } from './VerdictPanel';
import { formatClock, useAutosave, useVisibleTime } from './workspaceHooks';

/** The review workspace route: /qa/tasks/:taskId/review. Keyed on the task so a next task starts fresh. */
export function ReviewWorkspacePage() {
  const { taskId } = useParams<{ taskId: string }>();
  const workspace = useWorkspace(taskId);
  if (workspace.isPending) return <LoadingState label="Opening the task" />;
  if (workspace.isError) {
    if (isNotFound(workspace.error)) return <NotFoundState what="QA task" backTo="/qa/tasks" backLabel="Back to my tasks" />;
    const conflict = isApiError(workspace.error) && workspace.error.status === 409;
    const forbidden = isApiError(workspace.error) && workspace.error.status === 403;
    return (
      <>
        <PageHeader title="Review" crumbs={[{ label: 'My QA tasks', to: '/qa/tasks' }]} />
        {conflict ? (
          <Alert color="orange" role="alert" title="This task cannot be reviewed by you now" icon={<IconAlertCircle aria-hidden="true" />}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{errorMessage(workspace.error)}</Text>
              <Button component={Link} to="/qa/tasks" variant="light">
                Back to my tasks
              </Button>
            </Stack>
          </Alert>
        ) : forbidden ? (
          // Not a failure of this page: the signed-in user cannot review (no person record, for instance).
          <Alert color="blue" role="status" title="You cannot review this task" icon={<IconAlertCircle aria-hidden="true" />}>
            {errorMessage(workspace.error)}
          </Alert>
        ) : (
          <ErrorState error={workspace.error} onRetry={() => void workspace.refetch()} />
        )}
      </>
    );
  }
  return <WorkspaceView key={workspace.data.task.id} ws={workspace.data} />;
}

function WorkspaceView({ ws }: { ws: Workspace }) {
  const taskId = ws.task.id;
  const navigate = useNavigate();
  const actionsQuery = useActions({ limit: 500 });
  const definition = ws.scorecard.definition;
  const questions = useMemo(() => allQuestions(definition), [definition]);

  const [verdictInput, setVerdictInput] = useState<Verdict>(ws.draft.verdict ?? { labels: [], action: '' });
  const [recorded, setRecorded] = useState<Verdict | null>(ws.draft.verdict);
  const [agent, setAgent] = useState<AgentDecision | null>(
    ws.decision.labels !== null && ws.decision.action !== null ? { labels: ws.decision.labels, action: ws.decision.action } : null,
  );
  const [agentSeverity, setAgentSeverity] = useState(ws.decision.severity);
  const [answers, setAnswers] = useState<Map<string, Answer>>(() => new Map(ws.draft.answers.map((a) => [a.questionKey, a])));
  const [current, setCurrent] = useState<string | null>(questions.find((q) => !isDerived(q))?.key ?? null);
  const [warned, setWarned] = useState(!ws.wellbeing.warningScreen);
  const [revealed, setRevealed] = useState(!(ws.wellbeing.blur || ws.wellbeing.greyscale));
  const [unclear, setUnclear] = useState(false);
  const [unclearNote, setUnclearNote] = useState('');
  const [verdictError, setVerdictError] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ byQuestion: Map<string, { value?: string; comment?: string; rootCause?: string }>; other: ApiErrorDetail[] }>({
    byQuestion: new Map(),
    other: [],
  });
  const [fatal, setFatal] = useState<string | null>(null);
  /** Set from the moment a submission is sent until it fails: saves that race it may meet a completed task. */
  const submitting = useRef(false);
  const [submitted, setSubmitted] = useState<SubmittedReview | null>(null);
  const [nextMessage, setNextMessage] = useState<string | null>(null);

  const recordVerdict = useRecordVerdict(taskId);
  const submit = useSubmitReview(taskId);
  const takeNext = useTakeNextTask();
  const time = useVisibleTime(ws.draft.activeMs);

  // Exposure: the time this item was on screen, sent when the reviewer leaves it.
  const shownSince = useRef(performance.now());
  useEffect(() => {
    const decisionId = ws.decision.id;
    const send = () => {
      const seconds = (performance.now() - shownSince.current) / 1000;
      shownSince.current = performance.now();
      if (seconds >= 0.5) void recordExposure({ decisionId, event: 'view', seconds: Math.round(seconds * 10) / 10 }).catch(() => undefined);
    };
    window.addEventListener('pagehide', send);
    return () => {
      window.removeEventListener('pagehide', send);
      send();
    };
  }, [ws.decision.id]);

  const answerList = (): Answer[] =>
    questions.flatMap((q) => {
      const a = answers.get(q.key);
      if (isDerived(q)) {
        const value = derivedValue(q, recorded, agent);
        return value ? [{ ...a, questionKey: q.key, value }] : [];
      }
      return a ? [a] : [];
    });

  const signature = JSON.stringify([...answers.values()]);
  const autosave = useAutosave(
    signature,
    async () => {
      const delta = time.takeDelta();
      try {
        await saveDraft(taskId, { answers: [...answers.values()], activeMsDelta: delta });
      } catch (error) {
        time.giveBack(delta);
        // A save racing the submission finds the task completed: that 409 is the submission's success, not a failure.
        if (isApiError(error) && error.status === 409 && !submitting.current) setFatal(error.message);
        throw error;
      }
    },
    { enabled: !submitted && !fatal },
  );

  // The server takes at most two minutes of active time per save: save the clock every minute even without edits.
  const saveNow = autosave.saveNow;
  useEffect(() => {
    if (submitted || fatal) return;
    const timer = window.setInterval(() => void saveNow(), 60_000);
    return () => window.clearInterval(timer);
  }, [saveNow, submitted, fatal]);

  const reveal = () => {
    if (!warned) {
      setWarned(true);
      return;
    }
    if (revealed) return;
    setRevealed(true);
    void recordExposure({ decisionId: ws.decision.id, event: 'reveal', seconds: 0 }).catch(() => undefined);
  };

  const setAnswer = (key: string, patch: Partial<Answer>) => {
    setAnswers((prev) => {
      const next = new Map(prev);
      const q = questions.find((x) => x.key === key)!;
      const base: Answer = prev.get(key) ?? { questionKey: key, value: isDerived(q) ? (derivedValue(q, recorded, agent) ?? '') : '' };
      next.set(key, { ...base, ...patch });
      return next;
    });
  };

  const focusQuestion = (key: string) => {
    setCurrent(key);
    const el = document.getElementById(`q-${key}`);
    el?.focus();
    el?.scrollIntoView({ block: 'nearest' });
  };

  const onRecordVerdict = () => {
    setVerdictError(null);
    recordVerdict.mutate(verdictInput, {
      onSuccess: (result) => {
        setRecorded(result.verdict);
        setAgent({ labels: result.decision.labels, action: result.decision.action });
        setAgentSeverity(result.decision.severity);
        const firstOpen = questions.find((q) => !isDerived(q) && !answers.has(q.key));
        if (firstOpen) window.setTimeout(() => focusQuestion(firstOpen.key), 0);
      },
      onError: (error) => {
        if (isApiError(error) && error.status === 409) setFatal(error.message);
        else setVerdictError(isApiError(error) && error.details.length > 0 ? error.details.map((d) => d.message).join(' ') : errorMessage(error));
      },
    });
  };

  const onSubmit = () => {
    if (!recorded) {
      setVerdictError('Record your verdict first.');
      document.querySelector<HTMLInputElement>('#verdict input')?.focus();
      return;
    }
    const list = answerList();
    setErrors({ byQuestion: new Map(), other: [] });
    submitting.current = true;
    submit.mutate(
      {
        scorecardVersionId: ws.scorecard.id,
        verdict: recorded,
        answers: list,
        ...(unclear ? { policyUnclear: { note: unclearNote } } : {}),
      },
      {
        onSuccess: (result) => setSubmitted(result),
        onError: (error) => {
          submitting.current = false;
          if (isApiError(error) && error.status === 409) {
            setFatal(error.message);
            return;
          }
          if (isApiError(error) && error.details.length > 0) {
            const mapped = answerErrors(error.details, questions.map((q) => q.key), list.map((a) => a.questionKey));
            setErrors(mapped);
            const first = questions.find((q) => mapped.byQuestion.has(q.key));
            if (first) {
              focusQuestion(first.key);
              const field = mapped.byQuestion.get(first.key);
              if (field?.comment) window.setTimeout(() => document.getElementById(`q-${first.key}-comment`)?.focus(), 0);
            }
            return;
          }
          setErrors({ byQuestion: new Map(), other: [{ path: '', message: errorMessage(error) }] });
        },
      },
    );
  };

  const onNext = () => {
    setNextMessage(null);
    takeNext.mutate(
      // Like "Take next task": the reviewer's own assigned work first, whatever its workflow.
      {},
      {
        onSuccess: (task) => {
          if (task) navigate(`/qa/tasks/${task.id}/review`);
          else setNextMessage('Nothing left to review right now.');
        },
        onError: (error) => setNextMessage(errorMessage(error)),
      },
    );
  };

  // Keyboard: every answer has a key; typing in a text field is left alone.
  const handler = useRef<(e: KeyboardEvent) => void>(() => undefined);
  handler.current = (e: KeyboardEvent) => {
    if (submitted || fatal) return;
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      onSubmit();
      return;
    }
    if (e.ctrlKey || e.metaKey || isTypingTarget(e.target)) return;
    // An open dropdown (root cause) owns the keys.
    if (document.querySelector('[aria-expanded="true"]')) return;
    const idx = questions.findIndex((q) => q.key === current);
    if (e.altKey && /^Digit[1-9]$/.test(e.code)) {
      const q = questions[Number(e.code.slice(5)) - 1];
      if (q) {
        e.preventDefault();
        focusQuestion(q.key);
      }
      return;
    }
    if (e.altKey) return;
    const key = e.key.toLowerCase();
    if (key === 'j' || key === 'k') {
      e.preventDefault();
      const next = questions[Math.min(questions.length - 1, Math.max(0, idx + (key === 'j' ? 1 : -1)))];
      if (next) focusQuestion(next.key);
      return;
    }
    if (key === 'r') {
      e.preventDefault();
      reveal();
      return;
    }
    if (key === 'v') {
      e.preventDefault();
      document.querySelector<HTMLInputElement>('#verdict input:not([disabled])')?.focus();
      return;
    }
    if (key === 'u') {
      e.preventDefault();
      setUnclear((u) => !u);
      window.setTimeout(() => document.getElementById('policy-unclear-note')?.focus(), 0);
      return;
    }
    if (key === 'c' && current) {
      const box = document.getElementById(`q-${current}-comment`);
      if (box) {
        e.preventDefault();
        box.focus();
      }
      return;
    }
    const q = questions[idx];
    if (!q || isDerived(q)) return;
    const value = valueForKey(q, key);
    if (value === null) return;
    e.preventDefault();
    setAnswer(q.key, { value });
    const failedNow = (q.kind === 'yes_no' ? value === 'no' : q.kind === 'scale' ? Number(value) <= (q.failAtOrBelow ?? 2) : (q.options?.find((o) => o.key === value)?.credit ?? 1) < 1);
    if (failedNow) window.setTimeout(() => document.getElementById(`q-${q.key}-comment`)?.focus(), 0);
    else {
      const after = questions.slice(idx + 1).find((x) => !isDerived(x) && !answers.has(x.key));
      if (after) window.setTimeout(() => focusQuestion(after.key), 0);
    }
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => handler.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const actionKeys = [...new Set(ws.policies.flatMap((p) => p.actions))];
  const actionNames = new Map((actionsQuery.data?.items ?? []).map((a) => [a.key, a.name] as const));
  const actions = (actionKeys.length > 0 ? actionKeys : [...actionNames.keys()]).map((key) => ({ key, name: actionNames.get(key) ?? humanize(key) }));
  const inView = new Set([...verdictInput.labels, ...(agent?.labels ?? [])]);
  const context: Array<[string, unknown]> = [
    ['Workflow', ws.decision.workflowName],
    ['Decided', new Date(ws.decision.decidedAt).toLocaleString()],
    ...(agent
      ? ([
          ['Agent', ws.context.agentName],
          ['Team', ws.context.teamName],
          ['Site', ws.context.siteName],
          ['Tenure then (days)', ws.context.tenureDaysThen],
        ] as Array<[string, unknown]>)
      : []),
    ...Object.entries(ws.decision.metadata ?? {}).map(([k, v]) => [humanize(k), v] as [string, unknown]),
  ];
  const saveText =
    autosave.status.state === 'saving'
      ? 'Saving…'
      : autosave.status.state === 'saved'
        ? `Draft saved ${autosave.status.at.toLocaleTimeString()}`
        : autosave.status.state === 'failed'
          ? `Draft not saved: ${autosave.status.message}`
          : 'Draft autosaves as you go';

  return (
    <>
      <PageHeader
        title={`Review: ${ws.decision.workflowName}`}
        eyebrow="QA task"
        crumbs={[{ label: 'My QA tasks', to: '/qa/tasks' }]}
        badges={
          <Group gap="xs">
            {ws.blind && <Badge color="violet">Blind mode</Badge>}
            <Badge variant="light" color="gray">
              Scorecard {ws.scorecard.name} v{ws.scorecard.version}
            </Badge>
          </Group>
        }
        actions={
          <Group gap="md">
            <Group gap={4}>
              <IconClock size={16} aria-hidden="true" />
              <Text size="sm" role="timer" aria-label={`Time on task ${formatClock(time.totalMs)}`}>
                {formatClock(time.totalMs)}
              </Text>
            </Group>
            <Text size="xs" c={autosave.status.state === 'failed' ? 'red' : 'dimmed'} role="status" aria-live="polite">
              {saveText}
            </Text>
          </Group>
        }
      />
      {fatal && (
        <Alert color="orange" role="alert" title="This task can no longer be submitted" icon={<IconAlertCircle aria-hidden="true" />} mb="md">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{fatal}</Text>
            <Button component={Link} to="/qa/tasks" variant="light">
              Back to my tasks
            </Button>
          </Stack>
        </Alert>
      )}
      {submitted ? (
        <SubmittedPanel result={submitted} onNext={onNext} taking={takeNext.isPending} nextMessage={nextMessage} />
      ) : (
        <Stack gap="md">
          <ShortcutLegend />
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Stack gap="md">
                <ProtectedContent
                  content={ws.decision.content}
                  severity={agent ? agentSeverity : null}
                  protections={ws.wellbeing}
                  revealed={revealed}
                  warned={warned}
                  onAcknowledgeWarning={() => setWarned(true)}
                  onReveal={reveal}
                />
                <ContextPanel rows={context} />
                <PolicyPanel policies={ws.policies} inView={inView} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Stack gap="md">
                <VerdictPanel
                  policies={ws.policies}
                  actions={actions}
                  blind={ws.blind}
                  value={verdictInput}
                  onChange={setVerdictInput}
                  recorded={recorded}
                  decision={agent}
                  onRecord={onRecordVerdict}
                  recording={recordVerdict.isPending}
                  error={verdictError}
                />
                <ScorecardForm
                  definition={definition}
                  answers={answers}
                  onAnswer={setAnswer}
                  verdict={recorded}
                  decision={agent}
                  current={current}
                  onFocusQuestion={setCurrent}
                  errors={errors.byQuestion}
                />
                <Paper withBorder radius="md" p="md" component="section" aria-labelledby="finish-heading">
                  <Title order={2} size="h4" id="finish-heading" mb="sm">
                    Finish
                  </Title>
                  <Stack gap="sm">
                    <Checkbox
                      label="Policy unclear: send this item to a policy expert"
                      checked={unclear}
                      onChange={(e) => setUnclear(e.currentTarget.checked)}
                    />
                    {unclear && (
                      <Textarea
                        id="policy-unclear-note"
                        label="What is unclear"
                        required
                        autosize
                        minRows={2}
                        value={unclearNote}
                        onChange={(e) => setUnclearNote(e.currentTarget.value)}
                        error={errors.other.find((d) => d.path.startsWith('/policyUnclear'))?.message}
                      />
                    )}
                    {errors.other.filter((d) => !d.path.startsWith('/policyUnclear')).length > 0 && (
                      <Alert color="red" role="alert" title="Could not submit">
                        {errors.other
                          .filter((d) => !d.path.startsWith('/policyUnclear'))
                          .map((d) => d.message)
                          .join(' ')}
                      </Alert>
                    )}
                    {errors.byQuestion.size > 0 && (
                      <Alert color="red" role="alert" title="Some answers need attention">
                        {errors.byQuestion.size === 1 ? 'One question needs' : `${errors.byQuestion.size} questions need`} your attention: see the
                        messages under them.
                      </Alert>
                    )}
                    <Group>
                      <Button onClick={onSubmit} loading={submit.isPending} disabled={Boolean(fatal)} leftSection={<IconSend size={16} aria-hidden="true" />}>
                        Submit review
                      </Button>
                      <Text size="xs" c="dimmed">
                        Ctrl + Enter
                      </Text>
                    </Group>
                  </Stack>
                </Paper>
              </Stack>
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </>
  );
}
