import { useEffect } from 'react';
import { Button, Group, Modal, Select, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCreatePerson, useUpdatePerson, type PersonBody } from '../../../api/org';
import { JOB_ROLES, JOB_ROLE_LABELS, PERSON_STATUS_LABELS, type JobRole, type Person, type PersonStatus } from '../../../api/types';
import { SiteSelect, TeamSelect, WorkflowMultiSelect } from '../../../components/EntityPickers';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { COMMON_LANGUAGES, languageName } from '../../../lib/format';
import { useServerErrors } from '../../../lib/serverErrors';

const BCP47 = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;
const JOB_ROLE_OPTIONS = JOB_ROLES.map((value) => ({ value, label: JOB_ROLE_LABELS[value] }));
const STATUS_OPTIONS = (Object.keys(PERSON_STATUS_LABELS) as PersonStatus[]).map((value) => ({
  value,
  label: PERSON_STATUS_LABELS[value],
}));

interface FormValues {
  siteId: string;
  teamId: string | null;
  fullName: string;
  email: string;
  employeeRef: string;
  jobRole: JobRole;
  hireDate: string;
  languages: string[];
  workflowIds: string[];
  status: PersonStatus;
}

function valuesFor(person: Person | undefined, defaults: { siteId?: string; teamId?: string }): FormValues {
  return {
    siteId: person?.siteId ?? defaults.siteId ?? '',
    teamId: person?.teamId ?? defaults.teamId ?? null,
    fullName: person?.fullName ?? '',
    email: person?.email ?? '',
    employeeRef: person?.employeeRef ?? '',
    jobRole: person?.jobRole ?? 'agent',
    hireDate: person?.hireDate ?? new Date().toISOString().slice(0, 10),
    languages: person?.languages ?? [],
    workflowIds: person?.workflowIds ?? [],
    status: person?.status ?? 'active',
  };
}

interface PersonFormModalProps {
  opened: boolean;
  onClose: () => void;
  person?: Person;
  siteId?: string;
  teamId?: string;
}

export function PersonFormModal({ opened, onClose, person, siteId, teamId }: PersonFormModalProps) {
  const create = useCreatePerson();
  const update = useUpdatePerson();
  const form = useForm<FormValues>({
    initialValues: valuesFor(undefined, {}),
    validate: {
      siteId: (v) => (v ? null : 'Choose the site this person works at'),
      fullName: (v) => (v.trim() ? null : 'Enter the full name'),
      email: (v) => (!v.trim() || /^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address or leave it empty'),
      hireDate: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? null : 'Enter the hire date'),
      languages: (v) =>
        v.every((code) => BCP47.test(code)) ? null : 'Use language codes such as en, tl or pt-BR',
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  useEffect(() => {
    if (!opened) return;
    clear();
    form.setInitialValues(valuesFor(person, { siteId, teamId }));
    form.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, person?.id, siteId, teamId]);

  const submit = form.onSubmit((values) => {
    clear();
    const body: PersonBody = {
      siteId: values.siteId,
      teamId: values.teamId || null,
      fullName: values.fullName.trim(),
      email: values.email.trim() || null,
      employeeRef: values.employeeRef.trim() || null,
      jobRole: values.jobRole,
      hireDate: values.hireDate,
      languages: values.languages,
      workflowIds: values.workflowIds,
      ...(person ? { status: values.status } : {}),
    };
    const done = (saved: Person) => {
      notifications.show({ color: 'green', message: person ? `${saved.fullName} saved.` : `${saved.fullName} added.` });
      onClose();
    };
    if (person) update.mutate({ id: person.id, body }, { onSuccess: done, onError: handleError });
    else create.mutate(body, { onSuccess: done, onError: handleError });
  });

  const siteProps = form.getInputProps('siteId');
  return (
    <Modal opened={opened} onClose={onClose} title={person ? `Edit ${person.fullName}` : 'New person'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Full name" required data-autofocus {...form.getInputProps('fullName')} />
            <Select label="Job role" required data={JOB_ROLE_OPTIONS} allowDeselect={false} {...form.getInputProps('jobRole')} />
            <SiteSelect
              label="Site"
              required
              {...siteProps}
              onChange={(value) => {
                siteProps.onChange(value);
                form.setFieldValue('teamId', null);
              }}
            />
            <TeamSelect
              label="Team"
              clearable
              placeholder={form.values.siteId ? 'No team' : 'Choose a site first'}
              disabled={!form.values.siteId}
              siteId={form.values.siteId || null}
              {...form.getInputProps('teamId')}
            />
            <TextInput label="Email" type="email" {...form.getInputProps('email')} />
            <TextInput
              label="Employee reference"
              description="The vendor's HR or badge number (optional)."
              {...form.getInputProps('employeeRef')}
            />
            <TextInput label="Hire date" type="date" required {...form.getInputProps('hireDate')} />
            {person && (
              <Select label="Status" data={STATUS_OPTIONS} allowDeselect={false} {...form.getInputProps('status')} />
            )}
          </SimpleGrid>
          <TagsInput
            label="Languages"
            description="BCP 47 codes, e.g. en, tl, pt-BR. Pick from the list or type a code and press Enter."
            data={COMMON_LANGUAGES}
            renderOption={({ option }) => `${option.value} — ${languageName(option.value)}`}
            splitChars={[',', ' ']}
            clearable
            {...form.getInputProps('languages')}
          />
          <WorkflowMultiSelect
            label="Workflow skills"
            description="Workflows this person is trained and allowed to work on."
            clearable
            {...form.getInputProps('workflowIds')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {person ? 'Save person' : 'Add person'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
