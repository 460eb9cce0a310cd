import { Link } from 'react-router-dom';
import { ActionIcon, Anchor, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { Team } from '../../../api/types';
import type { Column } from '../../../components/ListTable';
import { StatusBadge } from '../../../components/StatusBadge';
import { formatNumber } from '../../../lib/format';

interface Options {
  showSite: boolean;
  /** The vendor under the site (off for viewers who only ever see one vendor). */
  showVendor?: boolean;
  /** False on a workflow's own page, where every row would name it. */
  showWorkflow?: boolean;
  onEdit?: (team: Team) => void;
}

export function teamColumns({ showSite, showVendor = true, showWorkflow = true, onEdit }: Options): Column<Team>[] {
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
    // Site with its vendor underneath: one column instead of two.
    columns.push({
      key: 'site',
      header: 'Site',
      render: (t) => (
        <div>
          <Anchor component={Link} to={`/sites/${t.siteId}`}>
            {t.siteName}
          </Anchor>
          {showVendor && (
            <Text size="xs">
              <VisuallyHidden>Vendor: </VisuallyHidden>
              <Anchor component={Link} to={`/vendors/${t.vendorId}`} size="xs" c="dimmed">
                {t.vendorName}
              </Anchor>
            </Text>
          )}
        </div>
      ),
    });
  }
  if (showWorkflow) {
    columns.push({
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
    });
  }
  columns.push(
    { key: 'people', header: 'People', numeric: true, render: (t) => formatNumber(t.peopleCount) },
    { key: 'status', header: 'Status', nowrap: true, render: (t) => <StatusBadge status={t.status} /> },
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
