import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Anchor, Button, Group, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTeams } from '../../../api/org';
import type { Team } from '../../../api/types';
import { useCan } from '../../../auth/session';
import { EmptyMessage, ListTable } from '../../../components/ListTable';
import { TeamFormModal } from './TeamFormModal';
import { teamColumns } from './teamColumns';

const EMBED_LIMIT = 100;

/** The teams of one site, embedded in the site page. */
export function TeamsTable({ siteId }: { siteId: string }) {
  const can = useCan();
  const canWrite = can('org.write');
  const teams = useTeams({ siteId, limit: EMBED_LIMIT });
  const [modal, setModal] = useState<{ open: boolean; team?: Team }>({ open: false });
  const total = teams.data?.total ?? 0;

  return (
    <>
      {canWrite && (
        <Group justify="flex-end" mb="sm">
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setModal({ open: true })}>
            Add team
          </Button>
        </Group>
      )}
      <ListTable
        caption="Teams at this site"
        columns={teamColumns({ showSite: false, onEdit: canWrite ? (team) => setModal({ open: true, team }) : undefined })}
        rows={teams.data?.items}
        rowKey={(t) => t.id}
        isPending={teams.isPending}
        error={teams.error}
        onRetry={() => void teams.refetch()}
        empty={<EmptyMessage title="No teams at this site yet" />}
        footer={
          total > EMBED_LIMIT && (
            <Text size="sm" p="sm">
              Showing {EMBED_LIMIT} of {total}.{' '}
              <Anchor component={Link} to={`/teams?siteId=${siteId}`}>
                Show the full list
              </Anchor>
            </Text>
          )
        }
      />
      <TeamFormModal
        opened={modal.open}
        onClose={() => setModal((m) => ({ ...m, open: false }))}
        team={modal.team}
        siteId={siteId}
      />
    </>
  );
}
