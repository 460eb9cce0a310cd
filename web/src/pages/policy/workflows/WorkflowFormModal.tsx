import { useEffect, useRef } from 'react';
import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCreateWorkflow, useUpdateWorkflow } from '../../../api/policy';
import type { Workflow, WorkflowKind } from '../../../api/types';
import { PolicyMultiSelect } from '../../../components/EntityPickers';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useServerErrors } from '../../../lib/serverErrors';
import { SLUG_HINT, SLUG_PATTERN, slugify } from '../../../lib/slug';

export const KIND_LABELS = { moderation: 'Content moderation', support: 'User support' } as const;

interface WorkflowFormModalProps {
  opened: boolean;
  onClose: () => void;
  workflow?: Workflow;
}

export function WorkflowFormModal({ opened, onClose, workflow }: WorkflowFormModalProps) {
  const create = useCreateWorkflow();
  const update = useUpdateWorkflow();
  const form = useForm({
    initialValues: { key: '', name: '', kind: 'moderation' as WorkflowKind, description: '', policyIds: [] as string[] },
    validate: {
      key: (v) => (SLUG_PATTERN.test(v) ? null : SLUG_HINT),
      name: (v) => (v.trim() ? null : 'Enter the workflow name'),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);
  /** The key follows the name until the person edits the key themselves. */
  const keyEdited = useRef(false);

  useEffect(() => {
    if (!opened) return;
    clear();
    keyEdited.current = false;
    form.setInitialValues({
      key: workflow?.key ?? '',
      name: workflow?.name ?? '',
      kind: workflow?.kind ?? 'moderation',
      description: workflow?.description ?? '',
      policyIds: workflow?.policyIds ?? [],
    });
    form.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, workflow?.id]);

  const submit = form.onSubmit((values) => {
    clear();
    const common = {
      name: values.name.trim(),
      kind: values.kind,
      description: values.description.trim(),
      policyIds: values.policyIds,
    };
    const done = (saved: Workflow) => {
      notifications.show({ color: 'green', message: workflow ? `${saved.name} saved.` : `${saved.name} created.` });
      onClose();
    };
    if (workflow) update.mutate({ id: workflow.id, body: common }, { onSuccess: done, onError: handleError });
    else create.mutate({ ...common, key: values.key }, { onSuccess: done, onError: handleError });
  });

  const nameProps = form.getInputProps('name');
  const keyProps = form.getInputProps('key');
  return (
    <Modal opened={opened} onClose={onClose} title={workflow ? `Edit ${workflow.name}` : 'New workflow'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} />
          <TextInput
            label="Name"
            required
            data-autofocus
            {...nameProps}
            onChange={(event) => {
              const name = event.currentTarget.value;
              nameProps.onChange(event);
              if (!workflow && !keyEdited.current) form.setFieldValue('key', slugify(name));
            }}
          />
          <TextInput
            label="Key"
            description={workflow ? 'The key cannot change once decisions refer to it.' : 'Stable identifier used by integrations.'}
            required
            disabled={Boolean(workflow)}
            {...keyProps}
            onChange={(event) => {
              keyEdited.current = true;
              keyProps.onChange(event);
            }}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="workflow-kind-label">
              Kind
            </Text>
            <SegmentedControl
              aria-labelledby="workflow-kind-label"
              data={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
              {...form.getInputProps('kind')}
            />
          </Stack>
          <Textarea label="Description" autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
          <PolicyMultiSelect
            label="Policy set"
            description="Policies decisions in this workflow are judged against."
            clearable
            {...form.getInputProps('policyIds')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {workflow ? 'Save workflow' : 'Create workflow'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
