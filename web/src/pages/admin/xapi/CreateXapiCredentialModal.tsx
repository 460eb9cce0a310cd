import { useEffect, useState } from 'react';
import { Alert, Button, Code, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useVendors } from '../../../api/org';
import { useCreateXapiCredential, type XapiCredentialAccess, type XapiCredentialCreated } from '../../../api/xapi';
import { useSeesAllVendors } from '../../../auth/session';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useServerErrors } from '../../../lib/serverErrors';

const ACCESS_OPTIONS: Array<{ value: XapiCredentialAccess; label: string }> = [
  { value: 'write', label: 'Write statements only (an LMS sending records)' },
  { value: 'read', label: 'Read only (analytics, reporting)' },
  { value: 'read_write', label: 'Read and write (an LMS that also reads state and profiles)' },
];
const WHOLE_ORGANISATION = 'all';

function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }} data-testid={testId}>
          {value}
        </Code>
        <CopyButton value={value} timeout={3000}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" color={copied ? 'green' : 'blue'} onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}
              leftSection={copied ? <IconCheck size={14} aria-hidden="true" /> : <IconCopy size={14} aria-hidden="true" />}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

function ShowSecretOnce({ created, onDone }: { created: XapiCredentialCreated; onDone: () => void }) {
  const endpoint = `${window.location.origin}/xapi`;
  return (
    <Stack gap="md">
      <Alert color="orange" icon={<IconAlertTriangle aria-hidden="true" />} title="Copy the secret now" role="alert">
        This is the only time the secret is shown. Give it to the integration&apos;s owner through your secret manager; if it is
        lost, revoke the credential and create a new one.
      </Alert>
      <CopyField label="LRS endpoint" value={endpoint} testId="xapi-endpoint" />
      <CopyField label="Key (Basic-auth user name)" value={created.key} testId="xapi-key" />
      <CopyField label="Secret (Basic-auth password)" value={created.secret} testId="xapi-secret" />
      <Text size="xs" c="dimmed">
        Clients send <Code>Authorization: Basic …</Code> and <Code>X-Experience-API-Version: 1.0.3</Code> (or 2.0.0).
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}

export function CreateXapiCredentialModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateXapiCredential();
  const organisationWide = useSeesAllVendors();
  const vendors = useVendors({ limit: 200 }, opened);
  const [created, setCreated] = useState<XapiCredentialCreated | null>(null);
  const form = useForm({
    initialValues: { name: '', vendor: organisationWide ? WHOLE_ORGANISATION : '', access: 'write' as XapiCredentialAccess },
    validate: {
      name: (v) => (v.trim() ? null : 'Name the integration, e.g. “Acme LMS (Lisbon)”'),
      vendor: (v) => (v ? null : 'Choose whose records this credential may write and read'),
    },
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

  const scopeOptions = [
    ...(organisationWide ? [{ value: WHOLE_ORGANISATION, label: 'Whole organisation (every vendor)' }] : []),
    ...(vendors.data?.items ?? []).map((v) => ({ value: v.id, label: v.name })),
  ];

  const submit = form.onSubmit((values) => {
    clear();
    create.mutate(
      { name: values.name.trim(), vendorId: values.vendor === WHOLE_ORGANISATION ? null : values.vendor, access: values.access },
      { onSuccess: setCreated, onError: handleError },
    );
  });

  return (
    <Modal opened={opened} onClose={close} title={created ? 'Credential created' : 'New xAPI credential'} closeOnClickOutside={!created} size="lg">
      {created ? (
        <ShowSecretOnce created={created} onDone={close} />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <FormErrorAlert error={formError} />
            <TextInput label="Integration" description="The tool that will use it, e.g. “Acme LMS (Lisbon)”." required data-autofocus {...form.getInputProps('name')} />
            <Select
              label="Records of"
              description="A vendor credential writes statements and documents for that vendor and reads only those."
              data={scopeOptions}
              required
              searchable
              allowDeselect={false}
              {...form.getInputProps('vendor')}
            />
            <Select label="Access" data={ACCESS_OPTIONS} allowDeselect={false} {...form.getInputProps('access')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create credential
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
