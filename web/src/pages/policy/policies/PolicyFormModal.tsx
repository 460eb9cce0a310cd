import { useEffect, useRef } from 'react';
import { Button, Group, Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCreatePolicy, useUpdatePolicy } from '../../../api/policy';
import type { PolicySummary } from '../../../api/types';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useServerErrors } from '../../../lib/serverErrors';
import { SLUG_HINT, SLUG_PATTERN, slugify } from '../../../lib/slug';

interface PolicyFormModalProps {
  opened: boolean;
  onClose: () => void;
  policy?: PolicySummary;
  onCreated?: (policy: PolicySummary) => void;
}

/** Create a policy (key, name, description) or rename / redescribe one. */
export function PolicyFormModal({ opened, onClose, policy, onCreated }: PolicyFormModalProps) {
  const create = useCreatePolicy();
  const update = useUpdatePolicy();
  const keyEdited = useRef(false);
  const form = useForm({
    initialValues: { key: '', name: '', description: '' },
    validate: {
      key: (v) => (SLUG_PATTERN.test(v) ? null : SLUG_HINT),
      name: (v) => (v.trim() ? null : 'Enter the policy name'),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  useEffect(() => {
    if (!opened) return;
    clear();
    keyEdited.current = false;
    form.setInitialValues({ key: policy?.key ?? '', name: policy?.name ?? '', description: policy?.description ?? '' });
    form.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, policy?.id]);

  const submit = form.onSubmit((values) => {
    clear();
    const name = values.name.trim();
    const description = values.description.trim();
    if (policy) {
      update.mutate(
        { id: policy.id, body: { name, description } },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'green', message: `${saved.name} saved.` });
            onClose();
          },
          onError: handleError,
        },
      );
    } else {
      create.mutate(
        { key: values.key, name, description },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'green', message: `${saved.name} created. Add its first version next.` });
            onClose();
            onCreated?.(saved);
          },
          onError: handleError,
        },
      );
    }
  });

  const nameProps = form.getInputProps('name');
  const keyProps = form.getInputProps('key');
  return (
    <Modal opened={opened} onClose={onClose} title={policy ? `Edit ${policy.name}` : 'New policy'} size="lg">
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
              if (!policy && !keyEdited.current) form.setFieldValue('key', slugify(name));
            }}
          />
          <TextInput
            label="Key"
            required
            disabled={Boolean(policy)}
            description={policy ? 'The key cannot change.' : 'Stable identifier, e.g. hate_speech.'}
            {...keyProps}
            onChange={(event) => {
              keyEdited.current = true;
              keyProps.onChange(event);
            }}
          />
          <Textarea label="Description" autosize minRows={3} maxRows={8} {...form.getInputProps('description')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {policy ? 'Save policy' : 'Create policy'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
