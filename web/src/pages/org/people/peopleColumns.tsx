import { Link } from 'react-router-dom';
import { Anchor, Badge, Group, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { JOB_ROLE_LABELS, type Person } from '../../../api/types';
import type { Column } from '../../../components/ListTable';
import { StatusBadge } from '../../../components/StatusBadge';
import { formatDate, formatTenure, languageName } from '../../../lib/format';

export function LanguageBadges({ languages, nowrap = false }: { languages: string[]; nowrap?: boolean }) {
  if (languages.length === 0) return <Text size="sm" c="dimmed">None</Text>;
  return (
    <Group gap={4} wrap={nowrap ? 'nowrap' : 'wrap'}>
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

interface Options {
  /** Site and team columns (off where the table is already about one team). */
  showOrg?: boolean;
  /** The vendor under the site (off for viewers who only ever see one vendor). */
  showVendor?: boolean;
}

export function peopleColumns({ showOrg = true, showVendor = true }: Options = {}): Column<Person>[] {
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
    { key: 'role', header: 'Role', nowrap: true, render: (p) => JOB_ROLE_LABELS[p.jobRole] ?? p.jobRole },
  ];
  if (showOrg) {
    // Site and vendor share a column (vendor underneath): one column fewer
    // keeps names and teams on one line at laptop widths.
    columns.push(
      {
        key: 'site',
        header: 'Site',
        render: (p) => (
          <div>
            <Anchor component={Link} to={`/sites/${p.siteId}`}>
              {p.siteName}
            </Anchor>
            {showVendor && (
              <Text size="xs" c="dimmed">
                <VisuallyHidden>Vendor: </VisuallyHidden>
                {p.vendorName}
              </Text>
            )}
          </div>
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
      nowrap: true,
      render: (p) => (
        <Tooltip label={`Hired ${formatDate(p.hireDate)}`}>
          <span>{formatTenure(p.tenureDays)}</span>
        </Tooltip>
      ),
    },
    { key: 'languages', header: 'Languages', render: (p) => <LanguageBadges languages={p.languages} nowrap /> },
    { key: 'status', header: 'Status', nowrap: true, render: (p) => <StatusBadge status={p.status} /> },
  );
  return columns;
}
