import { Link, useParams } from 'react-router-dom';
import { Anchor, Button, Paper, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import { isNotFound } from '../../../api/client';
import { useTeam, useUpdateTeam } from '../../../api/org';
import { useCan } from '../../../auth/session';
import { DetailList } from '../../../components/DetailList';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { StatusBadge } from '../../../components/StatusBadge';
import { StatusToggleButton } from '../../../components/StatusToggleButton';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { PeopleTable } from '../people/PeopleTable';
import { TeamFormModal } from './TeamFormModal';

export function TeamDetailPage() {
  const { teamId } = useParams();
  const can = useCan();
  const team = useTeam(teamId);
  const update = useUpdateTeam();
  const [editOpened, edit] = useDisclosure(false);

  if (team.isPending) return <LoadingState label="Loading team" />;
  if (isNotFound(team.error)) return <NotFoundState what="team" backTo="/teams" backLabel="Back to the list" />;
  if (team.isError) return <ErrorState error={team.error} onRetry={() => void team.refetch()} />;
  const t = team.data;

  return (
    <>
      <PageHeader
        title={t.name}
        eyebrow="Team"
        crumbs={[
          { label: t.vendorName, to: `/vendors/${t.vendorId}` },
          { label: t.siteName, to: `/sites/${t.siteId}` },
        ]}
        badges={<StatusBadge status={t.status} />}
        actions={
          can('org.write') && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} aria-hidden="true" />} onClick={edit.open}>
                Edit
              </Button>
              <StatusToggleButton
                noun="team"
                name={t.name}
                status={t.status}
                onChange={(status) => update.mutateAsync({ id: t.id, body: { status } })}
              />
            </>
          )
        }
      />
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md">
          <DetailList
            cols={4}
            items={[
              {
                label: 'Vendor',
                value: (
                  <Anchor component={Link} to={`/vendors/${t.vendorId}`} size="sm">
                    {t.vendorName}
                  </Anchor>
                ),
              },
              {
                label: 'Site',
                value: (
                  <Anchor component={Link} to={`/sites/${t.siteId}`} size="sm">
                    {t.siteName}
                  </Anchor>
                ),
              },
              {
                label: 'Workflow',
                value: t.workflowId ? (
                  <Anchor component={Link} to={`/workflows/${t.workflowId}`} size="sm">
                    {t.workflowName}
                  </Anchor>
                ) : (
                  'None'
                ),
              },
              { label: 'People', value: formatNumber(t.peopleCount) },
              { label: 'Created', value: formatDateTime(t.createdAt) },
              { label: 'Last updated', value: formatDateTime(t.updatedAt) },
            ]}
          />
        </Paper>
        <section aria-labelledby="team-people-heading">
          <Title order={2} size="h3" id="team-people-heading" mb="sm">
            People
          </Title>
          <PeopleTable filter={{ teamId: t.id }} caption="People in this team" />
        </section>
      </Stack>
      <TeamFormModal opened={editOpened} onClose={edit.close} team={t} />
    </>
  );
}
