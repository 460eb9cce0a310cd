import { Fragment, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Anchor, Button, Code, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { AuditEntry, Permission } from '../../../api/types';
import { useCan } from '../../../auth/session';
import { formatDateTime } from '../../../lib/format';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { entityHref, entityTypeLabel, nameFromDetails, shortId } from './auditLinks';
import { useEntityNames } from './useEntityNames';

function actionColor(action: string): string {
  if (action.endsWith('_failed') || action.includes('revoke') || action.includes('disable')) return 'red';
  if (action.startsWith('auth.')) return 'gray';
  if (action.includes('role_change') || action.includes('scope_change')) return 'orange';
  if (action.startsWith('export.')) return 'grape';
  return 'blue';
}

/** What the viewer needs to open an entity's page. */
const LINK_PERMISSION: Record<string, Permission> = {
  user: 'users.manage',
  vendor: 'org.read',
  site: 'org.read',
  team: 'org.read',
  person: 'org.read',
  workflow: 'policy.read',
  policy: 'policy.read',
  action: 'policy.read',
};

/** "auth.sign_in_failed" may wrap after a dot, never mid-word. */
function withDotBreaks(action: string): ReactNode[] {
  return action.split('.').flatMap((part, index) => (index === 0 ? [part] : [<wbr key={index} />, `.${part}`]));
}

/** The action in full: monospace, tinted by kind, wrapping at dots when the column is narrow. */
function ActionName({ action }: { action: string }) {
  const color = actionColor(action);
  return (
    <Text
      component="code"
      size="sm"
      ff="monospace"
      px={6}
      py={2}
      style={{
        display: 'inline-block',
        borderRadius: 'var(--mantine-radius-sm)',
        background: `var(--mantine-color-${color}-light)`,
        color: `var(--mantine-color-${color}-light-color)`,
        overflowWrap: 'break-word',
        lineHeight: 1.45,
      }}
    >
      {withDotBreaks(action)}
    </Text>
  );
}

/** The entity type over its name (linked when it has a page the viewer may open) and short id; the full id is in the title. */
function EntityCell({ entry, name, canOpen }: { entry: AuditEntry; name: string | null; canOpen: boolean }) {
  if (!entry.entityType) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const id = entry.entityId;
  const href = canOpen ? entityHref(entry.entityType, id) : null;
  const short = id ? shortId(id) : null;
  const label = name ?? short;
  const showShortId = Boolean(name && short && short !== name);
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        {entityTypeLabel(entry.entityType)}
      </Text>
      {label &&
        (href ? (
          <Anchor component={Link} to={href} size="sm" title={id ?? undefined} ff={name ? undefined : 'monospace'}>
            {label}
          </Anchor>
        ) : (
          <Text size="sm" title={id ?? undefined} ff={name ? undefined : 'monospace'}>
            {label}
          </Text>
        ))}
      {showShortId && (
        <Text size="xs" c="dimmed" ff="monospace" title={id ?? undefined}>
          <VisuallyHidden>ID </VisuallyHidden>
          {short}
        </Text>
      )}
    </div>
  );
}

function hasDetails(entry: AuditEntry): boolean {
  return Boolean(entry.details) && Object.keys(entry.details).length > 0;
}

/** Audit entries; each row's details (JSON) can be expanded in place. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const can = useCan();
  const listed = useEntityNames();
  // A create entry records the name; later entries about the same entity reuse it.
  const names = useMemo(() => {
    const all = new Map(listed);
    for (const entry of entries) {
      const name = entry.entityType && entry.entityId ? nameFromDetails(entry.details) : null;
      const key = `${entry.entityType}:${entry.entityId}`;
      if (name && !all.has(key)) all.set(key, name);
    }
    return all;
  }, [listed, entries]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Paper withBorder radius="md">
      <ScrollRegion label="Audit log entries" minWidth={900}>
        <Table verticalSpacing="xs">
          <caption>
            <VisuallyHidden>Audit log entries, newest first</VisuallyHidden>
          </caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>
                When
              </Table.Th>
              <Table.Th scope="col">Actor</Table.Th>
              <Table.Th scope="col">Action</Table.Th>
              <Table.Th scope="col">Entity</Table.Th>
              <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>
                IP address
              </Table.Th>
              <Table.Th scope="col">Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => {
              const id = String(entry.id);
              const open = expanded.has(id);
              const type = entry.entityType;
              const name = type && entry.entityId ? (names.get(`${type}:${entry.entityId}`) ?? null) : null;
              const permission = type ? LINK_PERMISSION[type] : undefined;
              const detailsId = `audit-details-${id}`;
              return (
                <Fragment key={id}>
                  <Table.Tr>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
                    <Table.Td>
                      {entry.actorUserId ? (
                        <Anchor component={Link} to={`/audit?actorUserId=${encodeURIComponent(entry.actorUserId)}`} size="sm">
                          {entry.actorLabel}
                        </Anchor>
                      ) : (
                        <Text size="sm">{entry.actorLabel}</Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <ActionName action={entry.action} />
                    </Table.Td>
                    <Table.Td>
                      <EntityCell entry={entry} name={name || null} canOpen={permission ? can(permission) : false} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm" ff="monospace">
                        {entry.ip ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {hasDetails(entry) ? (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          aria-expanded={open}
                          aria-controls={open ? detailsId : undefined}
                          leftSection={
                            open ? <IconChevronDown size={14} aria-hidden="true" /> : <IconChevronRight size={14} aria-hidden="true" />
                          }
                          onClick={() => toggle(id)}
                        >
                          {open ? 'Hide' : 'Show'}
                          <VisuallyHidden> details of entry {id}</VisuallyHidden>
                        </Button>
                      ) : (
                        <Text size="sm" c="dimmed">
                          None
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                  {open && (
                    <Table.Tr id={detailsId}>
                      <Table.Td colSpan={6} bg="gray.0">
                        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                          {JSON.stringify(entry.details, null, 2)}
                        </Code>
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
    </Paper>
  );
}
