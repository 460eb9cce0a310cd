import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';
import { Anchor, Badge, Button, Code, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { AuditEntry } from '../../../api/types';
import { formatDateTime } from '../../../lib/format';
import { ScrollRegion } from '../../../components/ScrollRegion';
import { entityHref } from './auditLinks';

function actionColor(action: string): string {
  if (action.endsWith('_failed') || action.includes('revoke') || action.includes('disable')) return 'red';
  if (action.startsWith('auth.')) return 'gray';
  if (action.includes('role_change') || action.includes('scope_change')) return 'orange';
  if (action.startsWith('export.')) return 'grape';
  return 'blue';
}

function hasDetails(entry: AuditEntry): boolean {
  return Boolean(entry.details) && Object.keys(entry.details).length > 0;
}

/** Audit entries; each row's details (JSON) can be expanded in place. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
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
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Actor</Table.Th>
              <Table.Th scope="col">Action</Table.Th>
              <Table.Th scope="col">Entity</Table.Th>
              <Table.Th scope="col">IP address</Table.Th>
              <Table.Th scope="col">Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => {
              const id = String(entry.id);
              const open = expanded.has(id);
              const href = entityHref(entry.entityType, entry.entityId);
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
                      <Badge color={actionColor(entry.action)} tt="none" variant="light">
                        {entry.action}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {entry.entityType ? (
                        <Text size="sm">
                          {entry.entityType}{' '}
                          {href ? (
                            <Anchor component={Link} to={href} size="sm" ff="monospace">
                              {entry.entityId}
                            </Anchor>
                          ) : (
                            <Text span size="sm" ff="monospace">
                              {entry.entityId}
                            </Text>
                          )}
                        </Text>
                      ) : (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
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
