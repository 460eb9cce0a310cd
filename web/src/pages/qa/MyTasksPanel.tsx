import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, Badge, Button, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowRight, IconChecklist, IconClockPlay, IconExternalLink, IconHandGrab, IconHandOff } from '@tabler/icons-react';
import { errorMessage } from '../../api/client';
import { useQaTasks, useReleaseTask, useRenewTask, useTakeNextTask, type QaTask } from '../../api/qa';
import { useCan, useSession } from '../../auth/session';
import { WorkflowSelect } from '../../components/EntityPickers';
import { DetailList } from '../../components/DetailList';
import { formatDateTime } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { DateTimeWithOffset, LabelBadges, formatProbability, stratumRule } from '../decisions/decisionFormat';
import { usePolicyLabels } from '../decisions/usePolicyLabels';
import { prettyStratumKey } from '../sampling/planDescribe';
import { useNameOf } from '../sampling/useNameOf';

/** "12:05" minutes and seconds left, or "expired". */
function formatLeaseLeft(leaseExpiresAt: string | null, now: Date): { text: string; expired: boolean; minutes: number } {
  if (!leaseExpiresAt) return { text: '—', expired: true, minutes: 0 };
  const ms = new Date(leaseExpiresAt).getTime() - now.getTime();
  if (ms <= 0) return { text: 'expired', expired: true, minutes: 0 };
  const total = Math.floor(ms / 1000);
  const minutes = Math.floor(total / 60);
  return { text: `${minutes}:${String(total % 60).padStart(2, '0')}`, expired: false, minutes };
}

function HeldTask({ task, onReleased, onRenewed }: { task: QaTask; onReleased: () => void; onRenewed: (task: QaTask) => void }) {
  const now = useNow(1000);
  const release = useReleaseTask();
  const renew = useRenewTask();
  const { labelInfo } = usePolicyLabels(task.workflowId);
  const nameOf = useNameOf(task.workflowId);
  const lease = formatLeaseLeft(task.leaseExpiresAt, now);
  const [error, setError] = useState<string | null>(null);
  return (
    <Paper withBorder radius="md" p="md" bg="gray.0" aria-labelledby={`held-${task.id}`} component="section">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={3} size="h5" id={`held-${task.id}`}>
              Your task: {task.workflowName}
            </Title>
            <Text size="sm" c="dimmed">
              Decision by {task.agentName ?? 'an agent outside your scope'}
              {task.teamName ? ` (${task.teamName})` : ''}
            </Text>
          </div>
          <Group gap="xs">
            {task.overdue && <Badge color="red">Overdue</Badge>}
            <Badge color={lease.expired ? 'red' : lease.minutes < 5 ? 'orange' : 'violet'} size="lg" tt="none">
              <span role="timer" aria-label={lease.expired ? 'Lease expired' : `Lease ends in ${lease.minutes} minutes`}>
                Lease {lease.expired ? 'expired' : `${lease.text} left`}
              </span>
            </Badge>
          </Group>
        </Group>
        <DetailList
          cols={4}
          items={[
            { label: 'Decided', value: <DateTimeWithOffset value={task.decidedAt} /> },
            { label: 'Due', value: formatDateTime(task.dueAt) },
            { label: 'Labels', value: <LabelBadges labels={task.labels} severity={task.severity} labelInfo={labelInfo} /> },
            {
              label: 'Sampled',
              value:
                task.inclusionProbability === null ? (
                  '—'
                ) : (
                  <Tooltip label={`Stratum ${task.stratumKey ? prettyStratumKey(task.stratumKey, nameOf) : 'unknown'}`} multiline maw={360}>
                    <span>
                      {stratumRule(task.stratumKey)} · π {formatProbability(task.inclusionProbability)}
                    </span>
                  </Tooltip>
                ),
            },
          ]}
        />
        {error && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden="true" />} role="alert">
            {error}
          </Alert>
        )}
        <Group gap="sm">
          <Button component={Link} to={`/qa/tasks/${task.id}/review`} leftSection={<IconChecklist size={16} aria-hidden="true" />}>
            Review in workspace
          </Button>
          <Button variant="default" component={Link} to={`/decisions/${task.decisionId}`} leftSection={<IconExternalLink size={16} aria-hidden="true" />}>
            Open decision
          </Button>
          <Button
            variant="default"
            leftSection={<IconClockPlay size={16} aria-hidden="true" />}
            loading={renew.isPending}
            onClick={() => {
              setError(null);
              renew.mutate(task.id, { onSuccess: onRenewed, onError: (e) => setError(errorMessage(e)) });
            }}
          >
            Renew lease
          </Button>
          <Button
            variant="default"
            color="red"
            leftSection={<IconHandOff size={16} aria-hidden="true" />}
            loading={release.isPending}
            onClick={() => {
              setError(null);
              release.mutate(task.id, {
                onSuccess: () => {
                  notifications.show({ color: 'green', message: 'Task released: it stays assigned to you, open for later.' });
                  onReleased();
                },
                onError: (e) => setError(errorMessage(e)),
              });
            }}
          >
            Release
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/**
 * The reviewer's own work: take the next task (the one already held, else the
 * oldest-due assigned task, else the oldest-due pool task they may review),
 * see the lease run down, renew or release it.
 */
export function MyTasksPanel() {
  const can = useCan();
  const { user } = useSession();
  const take = useTakeNextTask();
  const navigate = useNavigate();
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [taken, setTaken] = useState<QaTask | null>(null);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  // Listing tasks needs qa.queue; a reviewer without it sees what "Take next task" hands them.
  const held = useQaTasks({ status: 'claimed', assigneeId: user.personId ?? undefined, limit: 5 }, can('qa.queue') && Boolean(user.personId));
  const heldTasks = (held.data?.items ?? []).filter((t) => t.claimedById === user.personId && t.id !== taken?.id);

  useEffect(() => {
    // A task released elsewhere (or whose lease ran out) is no longer ours.
    if (taken && held.data && !held.data.items.some((t) => t.id === taken.id) && !take.isPending) setTaken(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [held.data]);

  /** `review`: open the workspace at once (the usual flow); otherwise hold the task here. */
  const onTake = (review: boolean) => {
    setMessage(null);
    take.mutate(workflowId ? { workflowId } : {}, {
      onSuccess: (task) => {
        if (task && review) navigate(`/qa/tasks/${task.id}/review`);
        else if (task) setTaken(task);
        else setMessage({ color: 'blue', text: 'Nothing to review right now: no open task you may take.' });
      },
      onError: (error) => setMessage({ color: 'red', text: errorMessage(error) }),
    });
  };

  const tasks = [...(taken ? [taken] : []), ...heldTasks];

  return (
    <Paper withBorder radius="md" p="md" mb="lg" component="section" aria-labelledby="my-tasks-heading">
      <Stack gap="md">
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={2} size="h4" id="my-tasks-heading">
              My tasks
            </Title>
            <Text size="sm" c="dimmed">
              Start reviewing opens the next task in the review workspace; Take next task only claims it for the lease time. If you already hold one, you get it back.
            </Text>
          </div>
          <Group align="flex-end" gap="sm">
            <WorkflowSelect
              label="From workflow"
              placeholder="Any workflow"
              clearable
              value={workflowId}
              onChange={setWorkflowId}
              w={{ base: '100%', sm: 220 }}
            />
            <Button variant="default" leftSection={<IconHandGrab size={16} aria-hidden="true" />} onClick={() => onTake(false)} loading={take.isPending}>
              Take next task
            </Button>
            <Button rightSection={<IconArrowRight size={16} aria-hidden="true" />} onClick={() => onTake(true)} loading={take.isPending}>
              Start reviewing
            </Button>
          </Group>
        </Group>
        {message && (
          <Alert color={message.color} icon={<IconAlertCircle aria-hidden="true" />} role={message.color === 'red' ? 'alert' : 'status'}>
            {message.text}
          </Alert>
        )}
        {tasks.length === 0 ? (
          <Text size="sm" c="dimmed">
            You hold no task.
          </Text>
        ) : (
          tasks.map((task) => (
            <HeldTask
              key={task.id}
              task={task}
              onRenewed={(renewed) => setTaken(renewed)}
              onReleased={() => {
                if (taken?.id === task.id) setTaken(null);
              }}
            />
          ))
        )}
      </Stack>
    </Paper>
  );
}
