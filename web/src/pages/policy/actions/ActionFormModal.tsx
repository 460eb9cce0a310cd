import { useEffect, useRef } from 'react';
import { Button, Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCreateAction, useUpdateAction } from '../../../api/policy';
import type { ActiveStatus, EnforcementAction } from '../../../api/types';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useServerErrors } from '../../../lib/serverErrors';
import { SLUG_HINT, SLUG_PATTERN, slugify } from '../../../lib/slug';

interface ActionFormModalProps {
  opened: boolean;
  onClose: () => void;
  action?: EnforcementAction;
}

export function ActionFormModal({ opened, onClose, action }: ActionFormModalProps) {
  const create = useCreateAction();
  const update = useUpdateAction();
  const keyEdited = useRef(false);
  const form = useForm({
    initialValues: { key: '', name: '', description: '', status: 'active' as ActiveStatus },
    validate: {
      key: (v) => (SLUG_PATTERN.test(v) ? null : SLUG_HINT),
      name: (v) => (v.trim() ? null : 'Enter the action name'),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  useEffect(() => {
    if (!opened) return;
    clear();
    keyEdited.current = false;
    form.setInitialValues({
      key: action?.key ?? '',
      name: action?.name ?? '',
      description: action?.description ?? '',
      status: action?.status ?? 'active',
    });
    form.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, action?.key]);

  const submit = form.onSubmit((values) => {
    clear();
    const done = (saved: EnforcementAction) => {
      notifications.show({ color: 'green', message: action ? `${saved.name} saved.` : `${saved.name} added.` });
      onClose();
    };
    const common = { name: values.name.trim(), description: values.description.trim() };
    if (action) {
      update.mutate({ id: action.key, body: { ...common, status: values.status } }, { onSuccess: done, onError: handleError });
    } else {
      create.mutate({ ...common, key: values.key }, { onSuccess: done, onError: handleError });
    }
  });

  const nameProps = form.getInputProps('name');
  const keyProps = form.getInputProps('key');
  return (
    <Modal opened={opened} onClose={onClose} title={action ? `Edit ${action.name}` : 'New action'}>
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
              if (!action && !keyEdited.current) form.setFieldValue('key', slugify(name));
            }}
          />
          <TextInput
            label="Key"
            required
            disabled={Boolean(action)}
            description={action ? 'The key cannot change.' : 'As sent by the moderation tool, e.g. age_restrict.'}
            {...keyProps}
            onChange={(event) => {
              keyEdited.current = true;
              keyProps.onChange(event);
            }}
          />
          <Textarea label="Description" autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
          {action && (
            <Select
              label="Status"
              allowDeselect={false}
              data={[
                { value: 'active', label: 'Active' },
                { value: 'inactive', label: 'Inactive' },
              ]}
              {...form.getInputProps('status')}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {action ? 'Save action' : 'Add action'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
