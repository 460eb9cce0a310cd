import { Link } from 'react-router-dom';
import { ActionIcon, Anchor, Text, Tooltip } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { Team } from '../../../api/types';
import type { Column } from '../../../components/ListTable';
import { StatusBadge } from '../../../components/StatusBadge';
import { formatNumber } from '../../../lib/format';

export function teamColumns({ showSite, onEdit }: { showSite: boolean; onEdit?: (team: Team) => void }): Column<Team>[] {
  const columns: Column<Team>[] = [
    {
      key: 'name',
      header: 'Name',
      render: (t) => (
        <Anchor component={Link} to={`/teams/${t.id}`} fw={500}>
          {t.name}
        </Anchor>
      ),
    },
  ];
  if (showSite) {
    columns.push(
      {
        key: 'vendor',
        header: 'Vendor',
        render: (t) => (
          <Anchor component={Link} to={`/vendors/${t.vendorId}`}>
            {t.vendorName}
          </Anchor>
        ),
      },
      {
        key: 'site',
        header: 'Site',
        render: (t) => (
          <Anchor component={Link} to={`/sites/${t.siteId}`}>
            {t.siteName}
          </Anchor>
        ),
      },
    );
  }
  columns.push(
    {
      key: 'workflow',
      header: 'Workflow',
      render: (t) =>
        t.workflowId ? (
          <Anchor component={Link} to={`/workflows/${t.workflowId}`}>
            {t.workflowName}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            None
          </Text>
        ),
    },
    { key: 'people', header: 'People', numeric: true, render: (t) => formatNumber(t.peopleCount) },
    { key: 'status', header: 'Status', render: (t) => <StatusBadge status={t.status} /> },
  );
  if (onEdit) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      width: 90,
      render: (t) => (
        <Tooltip label={`Edit ${t.name}`}>
          <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${t.name}`} onClick={() => onEdit(t)}>
            <IconPencil size={18} aria-hidden="true" />
          </ActionIcon>
        </Tooltip>
      ),
    });
  }
  return columns;
}
