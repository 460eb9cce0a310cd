import { useEffect } from 'react';
import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCreateTeam, useUpdateTeam, type TeamBody } from '../../../api/org';
import type { Team } from '../../../api/types';
import { SiteSelect, WorkflowSelect } from '../../../components/EntityPickers';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useServerErrors } from '../../../lib/serverErrors';

interface TeamFormModalProps {
  opened: boolean;
  onClose: () => void;
  team?: Team;
  siteId?: string;
}

export function TeamFormModal({ opened, onClose, team, siteId }: TeamFormModalProps) {
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const form = useForm({
    initialValues: { siteId: '', name: '', workflowId: null as string | null },
    validate: {
      siteId: (v) => (v ? null : 'Choose the site this team works from'),
      name: (v) => (v.trim() ? null : 'Enter the team name'),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form);

  useEffect(() => {
    if (!opened) return;
    clear();
    form.setInitialValues({
      siteId: team?.siteId ?? siteId ?? '',
      name: team?.name ?? '',
      workflowId: team?.workflowId ?? null,
    });
    form.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, team?.id, siteId]);

  const submit = form.onSubmit((values) => {
    clear();
    const body: TeamBody = { siteId: values.siteId, name: values.name.trim(), workflowId: values.workflowId };
    const done = (saved: Team) => {
      notifications.show({ color: 'green', message: team ? `${saved.name} saved.` : `${saved.name} created.` });
      onClose();
    };
    if (team) {
      // A team cannot move to another site.
      update.mutate({ id: team.id, body: { name: body.name, workflowId: body.workflowId } }, { onSuccess: done, onError: handleError });
    } else {
      create.mutate(body, { onSuccess: done, onError: handleError });
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={team ? `Edit ${team.name}` : 'New team'}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormErrorAlert error={formError} />
          <SiteSelect
            label="Site"
            required
            disabled={Boolean(team)}
            description={team ? 'A team cannot move to another site.' : undefined}
            {...form.getInputProps('siteId')}
          />
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <WorkflowSelect
            label="Workflow"
            description="The queue this team mainly works on (optional)."
            clearable
            placeholder="None"
            {...form.getInputProps('workflowId')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {team ? 'Save team' : 'Create team'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
