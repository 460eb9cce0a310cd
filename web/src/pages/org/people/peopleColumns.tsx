import { Link } from 'react-router-dom';
import { Anchor, Badge, Group, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { JOB_ROLE_LABELS, type Person } from '../../../api/types';
import type { Column } from '../../../components/ListTable';
import { StatusBadge } from '../../../components/StatusBadge';
import { formatDate, formatTenure, languageName } from '../../../lib/format';

export function LanguageBadges({ languages }: { languages: string[] }) {
  if (languages.length === 0) return <Text size="sm" c="dimmed">None</Text>;
  return (
    <Group gap={4}>
      {languages.map((code) => (
        <Tooltip key={code} label={languageName(code)}>
          <Badge color="gray" variant="light" tt="none">
            {code}
            <VisuallyHidden> ({languageName(code)})</VisuallyHidden>
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}

export function peopleColumns({ showOrg = true }: { showOrg?: boolean } = {}): Column<Person>[] {
  const columns: Column<Person>[] = [
    {
      key: 'name',
      header: 'Name',
      render: (p) => (
        <div>
          <Anchor component={Link} to={`/people/${p.id}`} fw={500}>
            {p.fullName}
          </Anchor>
          {p.employeeRef && (
            <Text size="xs" c="dimmed">
              {p.employeeRef}
            </Text>
          )}
        </div>
      ),
    },
    { key: 'role', header: 'Role', render: (p) => JOB_ROLE_LABELS[p.jobRole] ?? p.jobRole },
  ];
  if (showOrg) {
    columns.push(
      { key: 'vendor', header: 'Vendor', render: (p) => p.vendorName },
      {
        key: 'site',
        header: 'Site',
        render: (p) => (
          <Anchor component={Link} to={`/sites/${p.siteId}`}>
            {p.siteName}
          </Anchor>
        ),
      },
      {
        key: 'team',
        header: 'Team',
        render: (p) =>
          p.teamId ? (
            <Anchor component={Link} to={`/teams/${p.teamId}`}>
              {p.teamName}
            </Anchor>
          ) : (
            <Text size="sm" c="dimmed">
              No team
            </Text>
          ),
      },
    );
  }
  columns.push(
    {
      key: 'tenure',
      header: 'Tenure',
      render: (p) => (
        <Tooltip label={`Hired ${formatDate(p.hireDate)}`}>
          <span>{formatTenure(p.tenureDays)}</span>
        </Tooltip>
      ),
    },
    { key: 'languages', header: 'Languages', render: (p) => <LanguageBadges languages={p.languages} /> },
    { key: 'status', header: 'Status', render: (p) => <StatusBadge status={p.status} /> },
  );
  return columns;
}
