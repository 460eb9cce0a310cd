import { useEffect, useMemo } from 'react';
import { Button, Group, Modal, NumberInput, Select, Stack, Switch, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useReassignTask, useReviewers, useUpdateCapacity, useUpdateQaSettings, type QaSettings, type QaTask, type Reviewer } from '../../api/qa';
import { FormErrorAlert } from '../../components/FormErrorAlert';
import { formatDateTime } from '../../lib/format';
import { useServerErrors } from '../../lib/serverErrors';

const POOL = '__pool__';

/** Give a task to another reviewer (skilled in its workflow), or back to the workflow pool. */
export function ReassignModal({ task, onClose }: { task: QaTask | null; onClose: () => void }) {
  const reassign = useReassignTask();
  const reviewers = useReviewers({ workflowId: task?.workflowId, limit: 500 }, Boolean(task));
  const form = useForm<{ assigneeId: string }>({ initialValues: { assigneeId: POOL } });
  const { formError, handleError, clear } = useServerErrors(form);
  useEffect(() => {
    if (task) {
      form.setValues({ assigneeId: task.assigneeId ?? POOL });
      form.resetDirty();
      form.clearErrors();
      clear();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [task?.id]);
  const data = useMemo(() => {
    const options = (reviewers.data?.items ?? []).map((r) => ({
      value: r.personId,
      label: `${r.name} — ${r.vendorName}${r.siteName ? `, ${r.siteName}` : ''} (${r.assignedToday}/${r.dailyCapacity} today)`,
    }));
    if (task?.assigneeId && !options.some((o) => o.value === task.assigneeId)) {
      options.unshift({ value: task.assigneeId, label: task.assigneeName ?? 'Current assignee' });
    }
    return [{ value: POOL, label: 'Nobody: back to the workflow pool' }, ...options];
  }, [reviewers.data, task]);

  const submit = form.onSubmit((values) => {
    if (!task) return;
    clear();
    reassign.mutate(
      { id: task.id, assigneeId: values.assigneeId === POOL ? null : values.assigneeId },
      {
        onSuccess: (updated) => {
          notifications.show({
            color: 'green',
            message: updated.assigneeName ? `Task assigned to ${updated.assigneeName}.` : 'Task returned to the pool.',
          });
          onClose();
        },
        onError: handleError,
      },
    );
  });

  return (
    <Modal opened={Boolean(task)} onClose={onClose} title="Reassign task" centered>
      {task && (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm">
              {task.workflowName} · decision by {task.agentName ?? 'an agent'} · due {formatDateTime(task.dueAt)}. Reassigning ends any
              claim on the task. The server checks that the reviewer may review this work (workflow skill, language, vendor, not their
              own team).
            </Text>
            <FormErrorAlert error={formError} title="Could not reassign" />
            <Select
              label="Assign to"
              searchable
              allowDeselect={false}
              data={data}
              nothingFoundMessage="No reviewers"
              {...form.getInputProps('assigneeId')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={reassign.isPending}>
                Reassign
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** A reviewer's daily capacity: how many tasks automatic assignment gives them per UTC day. */
export function CapacityModal({ reviewer, onClose }: { reviewer: Reviewer | null; onClose: () => void }) {
  const update = useUpdateCapacity();
  const form = useForm<{ dailyCapacity: number | string }>({
    initialValues: { dailyCapacity: 0 },
    validate: {
      dailyCapacity: (v) => (v === '' || !Number.isInteger(Number(v)) || Number(v) < 0 || Number(v) > 2000 ? 'A whole number from 0 to 2000' : null),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);
  useEffect(() => {
    if (reviewer) {
      form.setValues({ dailyCapacity: reviewer.dailyCapacity });
      form.clearErrors();
      clear();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reviewer?.personId]);

  const submit = form.onSubmit((values) => {
    if (!reviewer) return;
    clear();
    update.mutate(
      { personId: reviewer.personId, dailyCapacity: Number(values.dailyCapacity) },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `Daily capacity of ${reviewer.name} set to ${values.dailyCapacity}.` });
          onClose();
        },
        onError: handleError,
      },
    );
  });

  return (
    <Modal opened={Boolean(reviewer)} onClose={onClose} title={reviewer ? `Daily capacity of ${reviewer.name}` : 'Daily capacity'} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} />
          <NumberInput
            label="Tasks per day"
            description="Automatic assignment gives this reviewer at most this many tasks per UTC day. 0 pauses automatic assignment; managers can still assign by hand."
            min={0}
            max={2000}
            allowDecimal={false}
            clampBehavior="none"
            data-autofocus
            {...form.getInputProps('dailyCapacity')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface SettingsValues {
  turnaroundHours: number | string;
  leaseMinutes: number | string;
  internalReviewsVendorWork: boolean;
}

/** A workflow's QA turnaround target, claim lease and in-house review rule. */
export function SettingsModal({ settings, onClose }: { settings: QaSettings | null; onClose: () => void }) {
  const update = useUpdateQaSettings();
  const form = useForm<SettingsValues>({
    initialValues: { turnaroundHours: 48, leaseMinutes: 30, internalReviewsVendorWork: false },
  });
  const { formError, handleError, clear } = useServerErrors(form);
  useEffect(() => {
    if (settings) {
      form.setValues({
        turnaroundHours: settings.turnaroundHours,
        leaseMinutes: settings.leaseMinutes,
        internalReviewsVendorWork: settings.internalReviewsVendorWork,
      });
      form.clearErrors();
      clear();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings?.workflowId]);

  const submit = form.onSubmit((values) => {
    if (!settings) return;
    clear();
    update.mutate(
      {
        workflowId: settings.workflowId,
        body: {
          turnaroundHours: Number(values.turnaroundHours),
          leaseMinutes: Number(values.leaseMinutes),
          internalReviewsVendorWork: values.internalReviewsVendorWork,
        },
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `QA settings of ${settings.workflowName} saved.` });
          onClose();
        },
        onError: handleError,
      },
    );
  });

  return (
    <Modal opened={Boolean(settings)} onClose={onClose} title={settings ? `QA settings: ${settings.workflowName}` : 'QA settings'} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} />
          <NumberInput
            label="Turnaround (hours)"
            description="From sampling to the task's due time: 1 to 720. Applies to tasks created from now on."
            min={1}
            max={720}
            allowDecimal={false}
            clampBehavior="none"
            {...form.getInputProps('turnaroundHours')}
          />
          <NumberInput
            label="Lease (minutes)"
            description="How long a claim holds a task before it returns to the queue: 1 to 480."
            min={1}
            max={480}
            allowDecimal={false}
            clampBehavior="none"
            {...form.getInputProps('leaseMinutes')}
          />
          <Switch
            label="Internal QA reviews vendor work"
            description="Vendor agents' decisions are reviewed by in-house QA only, not by the vendor's own QA."
            {...form.getInputProps('internalReviewsVendorWork', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
