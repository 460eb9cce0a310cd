import { useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../../api/client';
import { useCourses } from '../../../api/training';
import {
  useCreateXapiActivityMapping,
  useDeleteXapiActivityMapping,
  useUpdateXapiForwarding,
  useUpdateXapiSettings,
  useXapiActivityMappings,
  useXapiForwarding,
  useXapiSettings,
  type XapiActivityMapping,
} from '../../../api/xapi';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { EmptyMessage, ListTable, type Column } from '../../../components/ListTable';
import { PasswordField } from '../../../components/PasswordField';
import { formatDateTime } from '../../../lib/format';
import { useServerErrors } from '../../../lib/serverErrors';

/** Forwarding of Assay's own training statements to an external LRS (the secret is write-only). */
function ForwardingSection() {
  const forwarding = useXapiForwarding();
  const update = useUpdateXapiForwarding();
  const form = useForm({ initialValues: { enabled: false, endpoint: '', username: '', secret: '', version: '1.0.3' as '1.0.3' | '2.0.0' } });
  const { formError, handleError, clear } = useServerErrors(form);
  useEffect(() => {
    const f = forwarding.data;
    if (f) form.setValues({ enabled: f.enabled, endpoint: f.endpoint ?? '', username: f.username ?? '', secret: '', version: f.version });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [forwarding.data]);
  const submit = form.onSubmit((v) => {
    clear();
    update.mutate(
      { enabled: v.enabled, endpoint: v.endpoint.trim() || null, username: v.username.trim() || null, version: v.version, ...(v.secret ? { secret: v.secret } : {}) },
      { onSuccess: () => notifications.show({ color: 'green', message: 'Forwarding settings saved.' }), onError: handleError },
    );
  });
  const outbox = forwarding.data?.outbox;
  return (
    <Stack gap="sm" component="section" aria-labelledby="xapi-forwarding-heading">
      <Title order={2} size="h3" id="xapi-forwarding-heading">
        Forward Assay&apos;s training records
      </Title>
      <Text size="sm" c="dimmed">
        Enrolments, assessment attempts, completions and certifications in Assay are stored as xAPI statements here. Switch this on to
        also send them to another LRS (your analytics or the corporate LRS); failed deliveries are retried with backoff.
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={640}>
          <FormErrorAlert error={formError} />
          <Switch label="Forward statements" {...form.getInputProps('enabled', { type: 'checkbox' })} />
          <TextInput label="LRS endpoint" placeholder="https://lrs.example.com/xapi" {...form.getInputProps('endpoint')} />
          <Group grow align="flex-start">
            <TextInput label="Key (Basic user name)" autoComplete="off" {...form.getInputProps('username')} />
            <PasswordField
              label="Secret"
              autoComplete="new-password"
              description={forwarding.data?.hasSecret ? 'A secret is stored, encrypted; leave blank to keep it.' : 'Stored encrypted and never shown again.'}
              {...form.getInputProps('secret')}
            />
          </Group>
          <Select label="xAPI version" data={['1.0.3', '2.0.0']} allowDeselect={false} {...form.getInputProps('version')} />
          <Group justify="space-between">
            <Text size="sm" data-testid="xapi-forwarding-outbox">
              {outbox
                ? `${outbox.delivered} delivered, ${outbox.pending} waiting${outbox.retrying > 0 ? ` (${outbox.retrying} being retried)` : ''}${outbox.lastDeliveredAt ? `; last delivery ${formatDateTime(outbox.lastDeliveredAt)}` : ''}`
                : ''}
            </Text>
            <Button type="submit" loading={update.isPending}>
              Save forwarding
            </Button>
          </Group>
          {outbox?.lastError ? (
            <Alert color="orange" title="Last delivery failed">
              {outbox.lastError}
            </Alert>
          ) : null}
        </Stack>
      </form>
    </Stack>
  );
}

/** How external accounts are recognised, and the base of Assay's own activity IRIs. */
function SettingsSection() {
  const settings = useXapiSettings();
  const update = useUpdateXapiSettings();
  const form = useForm({ initialValues: { activityBase: '', employeeRefHomePage: '' } });
  const { formError, handleError, clear } = useServerErrors(form);
  useEffect(() => {
    if (settings.data) form.setValues({ activityBase: settings.data.activityBase, employeeRefHomePage: settings.data.employeeRefHomePage ?? '' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.data]);
  const submit = form.onSubmit((v) => {
    clear();
    update.mutate(
      { activityBase: v.activityBase.trim(), employeeRefHomePage: v.employeeRefHomePage.trim() || null },
      { onSuccess: () => notifications.show({ color: 'green', message: 'xAPI settings saved.' }), onError: handleError },
    );
  });
  return (
    <Stack gap="sm" component="section" aria-labelledby="xapi-people-heading">
      <Title order={2} size="h3" id="xapi-people-heading">
        Recognising people
      </Title>
      <Text size="sm" c="dimmed">
        Statements from an LMS are linked to a person when the learner&apos;s <Code>mbox</Code> is their email (any capitals), its{' '}
        <Code>mbox_sha1sum</Code>, or an account on the home page below whose name is their employee reference. A vendor&apos;s
        credential only ever links that vendor&apos;s people.
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={640}>
          <FormErrorAlert error={formError} />
          <TextInput label="LMS account home page (names are employee references)" placeholder="https://lms.vendor.example" {...form.getInputProps('employeeRefHomePage')} />
          <TextInput label="Base IRI of Assay's own activities and learners" description="Ends with “/”. Changing it changes the IRIs of new statements only." {...form.getInputProps('activityBase')} />
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

/** External activities whose completion counts as completing an Assay course. */
function MappingsSection() {
  const mappings = useXapiActivityMappings();
  const courses = useCourses();
  const create = useCreateXapiActivityMapping();
  const remove = useDeleteXapiActivityMapping();
  const [removing, setRemoving] = useState<string | null>(null);
  const form = useForm({ initialValues: { activityId: '', courseId: '' }, validate: { courseId: (v) => (v ? null : 'Choose the Assay course') } });
  const { formError, handleError, clear } = useServerErrors(form);
  const submit = form.onSubmit((v) => {
    clear();
    create.mutate({ activityId: v.activityId.trim(), courseId: v.courseId }, { onSuccess: () => form.reset(), onError: handleError });
  });
  const columns: Column<XapiActivityMapping>[] = [
    { key: 'activity', header: 'External activity', render: (m) => <Code style={{ wordBreak: 'break-all' }}>{m.activityId}</Code> },
    { key: 'course', header: 'Assay course', render: (m) => m.courseTitle },
    { key: 'vendor', header: 'Course of', render: (m) => m.vendorName ?? 'Whole organisation' },
    { key: 'completions', header: 'Completions from xAPI', nowrap: true, render: (m) => m.completions },
    {
      key: 'actions',
      header: 'Actions',
      nowrap: true,
      render: (m) => (
        <Button
          size="xs"
          variant="light"
          color="red"
          loading={removing === m.id && remove.isPending}
          aria-label={`Remove mapping of ${m.activityId}`}
          onClick={() => {
            setRemoving(m.id);
            remove.mutate(m.id, { onError: (error) => notifications.show({ color: 'red', title: 'Could not remove the mapping', message: errorMessage(error) }) });
          }}
        >
          Remove
        </Button>
      ),
    },
  ];
  return (
    <Stack gap="sm" component="section" aria-labelledby="xapi-mappings-heading">
      <Title order={2} size="h3" id="xapi-mappings-heading">
        Courses completed in other LMSs
      </Title>
      <Text size="sm" c="dimmed">
        A <Code>completed</Code> or <Code>passed</Code> statement (not reporting failure) on a mapped activity completes the person&apos;s open
        enrolment on the course, once, and awards its certifications. Removing a mapping, or voiding the statement later, leaves completions
        already made in place; withdraw or re-assign the enrolment if one was wrong.
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormErrorAlert error={formError} />
          <Group align="flex-end" grow>
            <TextInput label="External activity IRI" placeholder="https://lms.vendor.example/courses/hate-speech-101" required {...form.getInputProps('activityId')} />
            <Select
              label="Assay course"
              data={(courses.data ?? []).filter((c) => c.status === 'active').map((c) => ({ value: c.id, label: c.vendorName ? `${c.title} (${c.vendorName})` : c.title }))}
              searchable
              required
              {...form.getInputProps('courseId')}
            />
            <Button type="submit" loading={create.isPending} style={{ flexGrow: 0 }}>
              Add mapping
            </Button>
          </Group>
        </Stack>
      </form>
      <ListTable
        caption="Activity mappings"
        columns={columns}
        rows={mappings.data?.items}
        rowKey={(m) => m.id}
        isPending={mappings.isPending}
        error={mappings.error}
        onRetry={() => void mappings.refetch()}
        empty={<EmptyMessage title="No mappings yet" description="Map a vendor LMS course to an Assay course to count its completions." />}
      />
    </Stack>
  );
}

export function XapiTrainingLinksPanel() {
  return (
    <Stack gap="xl" mt="xl">
      <MappingsSection />
      <SettingsSection />
      <ForwardingSection />
    </Stack>
  );
}
