import { useMemo } from 'react';
import { Autocomplete, Button, Center, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import { useAuditLog, useUsers } from '../../../api/admin';
import { useCan } from '../../../auth/session';
import { EmptyMessage } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { DebouncedTextInput, SearchInput } from '../../../components/SearchInput';
import { ErrorState, LoadingState } from '../../../components/States';
import { browserTimeZone, localInputToIso } from '../../../lib/format';
import { useUrlFilters } from '../../../lib/useUrlFilters';
import { AuditTable } from './AuditTable';
import { KNOWN_ACTIONS, KNOWN_ENTITY_TYPES } from './auditLinks';

const FILTERS = ['q', 'action', 'actorUserId', 'entityType', 'entityId', 'from', 'to'] as const;
const FIELD_WIDTH = { base: '100%', sm: 210 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ActorFilter({ value, onChange }: { value: string; onChange: (value: string | null) => void }) {
  const can = useCan();
  const canListUsers = can('users.manage');
  const users = useUsers({ limit: 500 }, canListUsers);
  const data = useMemo(() => {
    const items = (users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.email})` }));
    if (value && !items.some((item) => item.value === value)) items.unshift({ value, label: value });
    return items;
  }, [users.data, value]);
  if (!canListUsers) {
    return (
      <DebouncedTextInput
        label="Actor user ID"
        value={value}
        onChange={(v) => onChange(v.trim() || null)}
        error={value && !UUID.test(value) ? 'Enter a full user ID' : undefined}
        w={FIELD_WIDTH}
      />
    );
  }
  return (
    <Select
      label="Actor"
      placeholder="Anyone"
      searchable
      clearable
      data={data}
      value={value || null}
      onChange={onChange}
      w={{ base: '100%', sm: 260 }}
    />
  );
}

export function AuditLogPage() {
  const { filters, setFilter, setFilters } = useUrlFilters(FILTERS);
  const apiFilters = useMemo(
    () => ({
      q: filters.q || undefined,
      action: filters.action || undefined,
      actorUserId: UUID.test(filters.actorUserId) ? filters.actorUserId : undefined,
      entityType: filters.entityType || undefined,
      entityId: filters.entityId || undefined,
      from: filters.from ? localInputToIso(filters.from) : undefined,
      to: filters.to ? localInputToIso(filters.to) : undefined,
    }),
    [filters],
  );
  const log = useAuditLog(apiFilters);
  const entries = useMemo(() => log.data?.pages.flatMap((page) => page.items) ?? [], [log.data]);
  const anyFilter = FILTERS.some((key) => filters[key]);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in, permission change, token and data change, newest first. The log is append-only: entries cannot be edited or deleted."
      />
      <Stack gap="sm" mb="md">
        <Group align="flex-end" gap="sm">
          <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} placeholder="Text in the entry" />
          <Autocomplete
            label="Action"
            placeholder="e.g. user.role_change or auth."
            data={KNOWN_ACTIONS}
            value={filters.action}
            onChange={(v) => setFilter('action', v || null)}
            w={{ base: '100%', sm: 240 }}
          />
          <ActorFilter value={filters.actorUserId} onChange={(v) => setFilter('actorUserId', v)} />
          <Autocomplete
            label="Entity type"
            placeholder="e.g. user"
            data={KNOWN_ENTITY_TYPES}
            value={filters.entityType}
            onChange={(v) => setFilter('entityType', v || null)}
            w={{ base: '100%', sm: 160 }}
          />
        </Group>
        <Group align="flex-end" gap="sm">
          <DebouncedTextInput
            label="Entity ID"
            value={filters.entityId}
            onChange={(v) => setFilter('entityId', v.trim() || null)}
            w={FIELD_WIDTH}
          />
          <TextInput
            type="datetime-local"
            label="From"
            value={filters.from}
            onChange={(event) => setFilter('from', event.currentTarget.value || null)}
            w={FIELD_WIDTH}
          />
          <TextInput
            type="datetime-local"
            label="To"
            value={filters.to}
            onChange={(event) => setFilter('to', event.currentTarget.value || null)}
            w={FIELD_WIDTH}
          />
          <Text size="xs" c="dimmed" pb={8}>
            Times in {browserTimeZone()}.
          </Text>
          {anyFilter && (
            <Button
              variant="subtle"
              leftSection={<IconFilterOff size={16} aria-hidden="true" />}
              onClick={() => setFilters(Object.fromEntries(FILTERS.map((key) => [key, null])))}
            >
              Clear filters
            </Button>
          )}
        </Group>
      </Stack>

      {log.isPending ? (
        <LoadingState label="Loading audit log" />
      ) : log.isError && entries.length === 0 ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyMessage title={anyFilter ? 'No entries match these filters' : 'The audit log is empty'} />
      ) : (
        <>
          <AuditTable entries={entries} />
          <Center mt="md">
            {log.hasNextPage ? (
              <Button variant="light" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                Load more
              </Button>
            ) : (
              <Text size="sm" c="dimmed" role="status">
                End of the log · {entries.length} entries shown
              </Text>
            )}
          </Center>
          {log.isFetchNextPageError && <ErrorState error={log.error} onRetry={() => void log.fetchNextPage()} />}
        </>
      )}
    </>
  );
}
