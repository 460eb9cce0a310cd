import { Link } from 'react-router-dom';
import { ActionIcon, Anchor, Text, Tooltip } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { Site } from '../../../api/types';
import type { Column } from '../../../components/ListTable';
import { StatusBadge } from '../../../components/StatusBadge';
import { countryName, formatNumber, localTimeIn } from '../../../lib/format';

interface Options {
  showVendor: boolean;
  now: Date;
  onEdit?: (site: Site) => void;
}

export function siteColumns({ showVendor, now, onEdit }: Options): Column<Site>[] {
  const columns: Column<Site>[] = [
    {
      key: 'name',
      header: 'Name',
      render: (s) => (
        <Anchor component={Link} to={`/sites/${s.id}`} fw={500}>
          {s.name}
        </Anchor>
      ),
    },
  ];
  if (showVendor) {
    columns.push({
      key: 'vendor',
      header: 'Vendor',
      render: (s) => (
        <Anchor component={Link} to={`/vendors/${s.vendorId}`}>
          {s.vendorName}
        </Anchor>
      ),
    });
  }
  columns.push(
    { key: 'country', header: 'Country', render: (s) => `${countryName(s.countryCode)} (${s.countryCode})` },
    {
      key: 'time',
      header: 'Local time',
      nowrap: true,
      render: (s) => (
        <>
          <Text size="sm">{localTimeIn(s.timeZone, now)}</Text>
          <Text size="xs" c="dimmed">
            {s.timeZone}
          </Text>
        </>
      ),
    },
    { key: 'teams', header: 'Teams', numeric: true, render: (s) => formatNumber(s.teamCount) },
    { key: 'people', header: 'People', numeric: true, render: (s) => formatNumber(s.peopleCount) },
    { key: 'status', header: 'Status', nowrap: true, render: (s) => <StatusBadge status={s.status} /> },
  );
  if (onEdit) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      width: 90,
      render: (s) => (
        <Tooltip label={`Edit ${s.name}`}>
          <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${s.name}`} onClick={() => onEdit(s)}>
            <IconPencil size={18} aria-hidden="true" />
          </ActionIcon>
        </Tooltip>
      ),
    });
  }
  return columns;
}
