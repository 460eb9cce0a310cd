import { useEffect, useRef } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Group, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { isNotFound } from '../../../api/client';
import { useCreatePolicyVersion, usePolicy } from '../../../api/policy';
import type { PolicyDetail } from '../../../api/types';
import { ActionMultiSelect } from '../../../components/EntityPickers';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { browserTimeZone, isoToLocalInput, localInputToIso } from '../../../lib/format';
import { useServerErrors } from '../../../lib/serverErrors';
import { LabelsEditor, newRowId, type VersionFormValues } from './LabelsEditor';

/**
 * A sensible default start: the next full hour, or a day after the latest
 * version when that one is still scheduled (versions must come in order).
 */
function defaultEffectiveFrom(latestEffectiveFrom: string | undefined): string {
  const date = new Date();
  date.setMinutes(0, 0, 0);
  date.setHours(date.getHours() + 1);
  if (latestEffectiveFrom) {
    const latest = new Date(latestEffectiveFrom);
    if (latest >= date) {
      latest.setDate(latest.getDate() + 1);
      return isoToLocalInput(latest.toISOString());
    }
  }
  return isoToLocalInput(date.toISOString());
}

const SUMMARY_MAX = 5000;

function prefill(policy: PolicyDetail): VersionFormValues {
  const latest = policy.versions?.[0];
  return {
    effectiveFrom: defaultEffectiveFrom(latest?.effectiveFrom),
    summary: latest?.summary ?? '',
    labels: (latest?.labels ?? []).map((label) => ({ ...label, rowId: newRowId() })),
    allowedActions: latest?.allowedActions ?? [],
  };
}

/** New (immutable) policy version, prefilled from the latest one. */
export function NewPolicyVersionPage() {
  const { policyId } = useParams();
  const navigate = useNavigate();
  const policy = usePolicy(policyId);
  const create = useCreatePolicyVersion(policyId ?? '');
  const filledFor = useRef<string | null>(null);

  const form = useForm<VersionFormValues>({
    initialValues: { effectiveFrom: '', summary: '', labels: [], allowedActions: [] },
    validate: {
      effectiveFrom: (v) => (v ? null : 'Choose when this version takes effect'),
      summary: (v) => (v.trim() ? null : 'Enter the summary'),
      labels: {
        key: (v) => (v.trim() ? null : 'Key required'),
        name: (v) => (v.trim() ? null : 'Name required'),
      },
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  useEffect(() => {
    if (policy.data && filledFor.current !== policy.data.id) {
      filledFor.current = policy.data.id;
      form.setValues(prefill(policy.data));
      form.resetDirty();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [policy.data]);

  if (policy.isPending) return <LoadingState label="Loading policy" />;
  if (isNotFound(policy.error)) return <NotFoundState what="policy" backTo="/policies" backLabel="Back to the list" />;
  if (policy.isError) return <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />;
  const p = policy.data;
  const latest = p.versions?.[0];

  const submit = form.onSubmit((values) => {
    clear();
    const body = {
      effectiveFrom: localInputToIso(values.effectiveFrom),
      summary: values.summary,
      labels: values.labels.map(({ rowId: _rowId, ...label }) => ({
        ...label,
        key: label.key.trim(),
        name: label.name.trim(),
        description: label.description.trim(),
      })),
      allowedActions: values.allowedActions,
    };
    create.mutate(body, {
      onSuccess: (version) => {
        notifications.show({ color: 'green', message: `Version ${version.version} of ${p.name} created.` });
        navigate(`/policies/${p.id}?version=${version.version}`);
      },
      onError: handleError,
    });
  });

  return (
    <>
      <PageHeader
        title={`New version of ${p.name}`}
        eyebrow="Policy"
        crumbs={[{ label: p.name, to: `/policies/${p.id}` }]}
        description={
          latest
            ? `Prefilled from version ${latest.version}. Versions cannot be edited once saved; decisions are judged against the version in force when they were made.`
            : 'The first version of this policy.'
        }
      />
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <FormErrorAlert error={formError} />
          <Paper withBorder p="md" radius="md">
            <Stack gap="md">
              <TextInput
                type="datetime-local"
                label="Effective from"
                description={`Your local time (${browserTimeZone()}). A future date schedules the version.`}
                required
                w={{ base: '100%', sm: 320 }}
                {...form.getInputProps('effectiveFrom')}
              />
              <Textarea
                label="Summary"
                description={`The policy text reviewers apply, or what changed in this version. Plain text, up to ${SUMMARY_MAX.toLocaleString()} characters (${form.values.summary.length.toLocaleString()} used).`}
                required
                autosize
                minRows={8}
                maxRows={24}
                maxLength={SUMMARY_MAX}
                {...form.getInputProps('summary')}
              />
            </Stack>
          </Paper>
          <section aria-labelledby="new-version-labels">
            <Title order={2} size="h4" id="new-version-labels" mb="xs">
              Labels
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              The violation labels agents can apply under this version, with their severity tier.
            </Text>
            <LabelsEditor form={form} />
          </section>
          <Paper withBorder p="md" radius="md">
            <ActionMultiSelect
              label="Allowed actions"
              description="Enforcement actions that are correct under this policy."
              clearable
              {...form.getInputProps('allowedActions')}
            />
          </Paper>
          <Alert color="blue" icon={<IconInfoCircle aria-hidden="true" />} role="note">
            Saving creates version {(latest?.version ?? 0) + 1}. It cannot be changed afterwards.
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate(`/policies/${p.id}`)}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create version
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
