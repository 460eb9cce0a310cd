import { Link, useNavigate } from 'react-router-dom';
import { Anchor, Button, Group, Select, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { ROLES, ROLE_LABELS } from '../../../../../src/domain/access/roles.ts';
import { useUsers } from '../../../api/admin';
import type { User } from '../../../api/types';
import { StatusFilter } from '../../../components/FilterSelects';
import { ListPagination } from '../../../components/ListPagination';
import { EmptyMessage, ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { SearchInput } from '../../../components/SearchInput';
import { StatusBadge } from '../../../components/StatusBadge';
import { formatDateTime } from '../../../lib/format';
import { useUrlFilters } from '../../../lib/useUrlFilters';
import { UserFormModal } from './UserFormModal';

const FILTERS = ['q', 'role', 'status'] as const;
const ROLE_OPTIONS = ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));
const STATUS_OPTIONS = [
  { value: 'active', label: 'Active' },
  { value: 'disabled', label: 'Disabled' },
];

const columns: Column<User>[] = [
  {
    key: 'name',
    header: 'User',
    render: (u) => (
      <div>
        <Anchor component={Link} to={`/users/${u.id}`} fw={500}>
          {u.displayName}
        </Anchor>
        <Text size="xs" c="dimmed">
          {u.email}
        </Text>
      </div>
    ),
  },
  { key: 'role', header: 'Role', render: (u) => ROLE_LABELS[u.role] ?? u.role },
  { key: 'scope', header: 'Scope', render: (u) => u.scope.label },
  { key: 'status', header: 'Status', nowrap: true, render: (u) => <StatusBadge status={u.status} /> },
  { key: 'lastSignIn', header: 'Last sign-in', nowrap: true, render: (u) => (u.lastSignInAt ? formatDateTime(u.lastSignInAt) : 'Never') },
];

export function UsersPage() {
  const navigate = useNavigate();
  const { filters, setFilter, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const users = useUsers(query);
  const [createOpened, createModal] = useDisclosure(false);

  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in to Assay, with which role, over which part of the organisation."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={createModal.open}>
            New user
          </Button>
        }
      />
      <Group mb="md" align="flex-end">
        <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} placeholder="Name or email" />
        <Select
          label="Role"
          placeholder="Any role"
          clearable
          data={ROLE_OPTIONS}
          value={filters.role || null}
          onChange={(v) => setFilter('role', v)}
          w={{ base: '100%', sm: 230 }}
        />
        <StatusFilter value={filters.status} onChange={(v) => setFilter('status', v)} options={STATUS_OPTIONS} />
      </Group>
      <ListTable
        caption="Users"
        columns={columns}
        rows={users.data?.items}
        rowKey={(u) => u.id}
        isPending={users.isPending}
        isFetching={users.isPlaceholderData}
        error={users.error}
        onRetry={() => void users.refetch()}
        empty={<EmptyMessage title="No users match" />}
        footer={<ListPagination total={users.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="users" />}
      />
      <UserFormModal opened={createOpened} onClose={createModal.close} onCreated={(user) => navigate(`/users/${user.id}`)} />
    </>
  );
}
