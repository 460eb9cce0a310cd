import { useEffect } from 'react';
import { Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { ROLES, ROLE_LABELS } from '../../../../../src/domain/access/roles.ts';
import { useCreateUser, useUpdateUser } from '../../../api/admin';
import type { User } from '../../../api/types';
import { PersonSelect } from '../../../components/EntityPickers';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { PasswordField } from '../../../components/PasswordField';
import { useServerErrors } from '../../../lib/serverErrors';
import { ScopeFields } from './ScopeFields';
import { USER_FIELD_MAP, createBody, updateBody, userFormValues, validateUserForm, type UserFormValues } from './userForm';

const ROLE_OPTIONS = ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));
const STATUS_OPTIONS = [
  { value: 'active', label: 'Active' },
  { value: 'disabled', label: 'Disabled (cannot sign in)' },
];

interface UserFormModalProps {
  opened: boolean;
  onClose: () => void;
  user?: User;
  onCreated?: (user: User) => void;
}

export function UserFormModal({ opened, onClose, user, onCreated }: UserFormModalProps) {
  const create = useCreateUser();
  const update = useUpdateUser();
  const editing = Boolean(user);
  const form = useForm<UserFormValues>({
    initialValues: userFormValues(),
    validate: validateUserForm(editing),
  });
  const { formError, handleError, clear } = useServerErrors(form, USER_FIELD_MAP);

  useEffect(() => {
    if (!opened) return;
    clear();
    form.setInitialValues(userFormValues(user));
    form.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, user?.id]);

  const submit = form.onSubmit((values) => {
    clear();
    if (user) {
      const body = updateBody(values, user);
      if (Object.keys(body).length === 0) {
        onClose();
        return;
      }
      update.mutate(
        { id: user.id, body },
        {
          onSuccess: (saved) => {
            notifications.show({ color: 'green', message: `${saved.displayName} saved.` });
            onClose();
          },
          onError: handleError,
        },
      );
    } else {
      create.mutate(createBody(values), {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: `${saved.displayName} can now sign in.` });
          onClose();
          onCreated?.(saved);
        },
        onError: handleError,
      });
    }
  });

  const roleProps = form.getInputProps('role');
  return (
    <Modal opened={opened} onClose={onClose} title={user ? `Edit ${user.displayName}` : 'New user'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Display name" required data-autofocus {...form.getInputProps('displayName')} />
            <TextInput
              label="Email"
              type="email"
              required={!editing}
              disabled={editing}
              description={editing ? 'The sign-in email cannot change.' : undefined}
              {...form.getInputProps('email')}
            />
            <Select
              label="Role"
              required
              data={ROLE_OPTIONS}
              allowDeselect={false}
              {...roleProps}
              onChange={(value, option) => {
                roleProps.onChange(value, option);
                if (value === 'admin') {
                  form.setFieldValue('scopeKind', 'all');
                  form.setFieldValue('scopeRefId', null);
                }
              }}
            />
            <PersonSelect
              label="Linked person"
              description="Optional: this user's own person record."
              clearable
              placeholder="Type a name to search"
              {...form.getInputProps('personId')}
            />
            {editing && (
              <Select label="Account status" data={STATUS_OPTIONS} allowDeselect={false} {...form.getInputProps('status')} />
            )}
          </SimpleGrid>
          <ScopeFields form={form} currentRefLabel={user?.scope.label} />
          <PasswordField
            label={editing ? 'New password' : 'Initial password'}
            description={editing ? 'At least 12 characters. Leave empty to keep the current password.' : 'At least 12 characters. Share it securely.'}
            required={!editing}
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          {editing && form.values.role !== user?.role && (
            <Text size="sm" c="orange.9">
              Changing the role changes what {user?.displayName} can do. The change is written to the audit log.
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {user ? 'Save user' : 'Create user'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
