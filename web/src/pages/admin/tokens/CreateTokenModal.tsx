import { useEffect, useState } from 'react';
import { Alert, Button, Code, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useCreateToken } from '../../../api/admin';
import type { CreatedApiToken } from '../../../api/types';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { formatDateTime } from '../../../lib/format';
import { useServerErrors } from '../../../lib/serverErrors';

const EXPIRY_OPTIONS = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '180 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never expires' },
];

function ShowTokenOnce({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  return (
    <Stack gap="md">
      <Alert color="orange" icon={<IconAlertTriangle aria-hidden="true" />} title="Copy it now" role="alert">
        This is the only time the token is shown. Store it in a secret manager; if it is lost, revoke it and create a
        new one.
      </Alert>
      <Text size="sm" fw={500} id="new-token-label">
        Your new token “{created.name}”
      </Text>
      <Code block aria-labelledby="new-token-label" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="new-token">
        {created.token}
      </Code>
      <Text size="xs" c="dimmed">
        {created.expiresAt ? `Expires ${formatDateTime(created.expiresAt)}.` : 'Does not expire.'} Send it as{' '}
        <Code>Authorization: Bearer …</Code>
      </Text>
      <Group justify="space-between">
        <CopyButton value={created.token} timeout={3000}>
          {({ copied, copy }) => (
            <Button
              color={copied ? 'green' : 'blue'}
              leftSection={copied ? <IconCheck size={16} aria-hidden="true" /> : <IconCopy size={16} aria-hidden="true" />}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy token'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}

export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateToken();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const form = useForm({
    initialValues: { name: '', expiresInDays: '90' },
    validate: { name: (v) => (v.trim() ? null : 'Name the token after what will use it') },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  useEffect(() => {
    if (!opened) return;
    clear();
    setCreated(null);
    form.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const close = () => {
    setCreated(null);
    onClose();
  };

  const submit = form.onSubmit((values) => {
    clear();
    const body = {
      name: values.name.trim(),
      expiresInDays: values.expiresInDays === 'never' ? null : Number(values.expiresInDays),
    };
    create.mutate(body, { onSuccess: setCreated, onError: handleError });
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? 'Token created' : 'New API token'}
      closeOnClickOutside={!created}
      size="lg"
    >
      {created ? (
        <ShowTokenOnce created={created} onDone={close} />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <FormErrorAlert error={formError} />
            <TextInput
              label="Token name"
              description="What will use it, e.g. “Looker export” or “nightly import”."
              required
              data-autofocus
              {...form.getInputProps('name')}
            />
            <Select label="Expires after" data={EXPIRY_OPTIONS} allowDeselect={false} {...form.getInputProps('expiresInDays')} />
            <Text size="sm" c="dimmed">
              The token acts as you, with your role and scope.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
