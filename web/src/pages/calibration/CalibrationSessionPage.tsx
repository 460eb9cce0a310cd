import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Badge, Button, Checkbox, Group, Modal, MultiSelect, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconLock, IconUserPlus } from '@tabler/icons-react';
import { errorMessage } from '../../api/client';
import { useCandidatePeople, useCloseSession, useInvite, useSessionDetail, useSetExpert, useSetExpertDelegate, type SessionDetail } from '../../api/calibration';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { LoadingState } from '../../components/States';
import { formatDateTime, humanize } from '../../lib/format';
import { ContentSnippet, SessionError, dueText, groupLabel, labelNamer, StatusBadge } from './calibrationParts';

type Item = SessionDetail['items'][number];
type Participant = SessionDetail['participants'][number];

/** Delegating the expert answers to an invited policy SME: only the SME group, only while the session is open. */
function ExpertDelegateSwitch({ sessionId, participant, open }: { sessionId: string; participant: Participant; open: boolean }) {
  const delegate = useSetExpertDelegate(sessionId);
  if (participant.group !== 'sme' || participant.personId === null) return <Text size="sm" c="dimmed">Policy SMEs only</Text>;
  return (
    <Stack gap={2}>
      <Switch
        label="Sets the expert answers"
        checked={participant.setsExpert}
        disabled={!open || delegate.isPending}
        onChange={(e) => delegate.mutate({ participantId: participant.id, setsExpert: e.currentTarget.checked })}
        aria-describedby={`delegate-help-${participant.id}`}
      />
      <Text size="xs" c="dimmed" id={`delegate-help-${participant.id}`}>
        {participant.setsExpert ? 'Gives the reference answers; does not rate.' : 'Rates like everyone else.'}
      </Text>
      {delegate.error && (
        <Text size="xs" c="red" role="alert">
          {errorMessage(delegate.error)}
        </Text>
      )}
    </Stack>
  );
}

function ExpertModal({ detail, item, onClose }: { detail: SessionDetail; item: Item; onClose: () => void }) {
  const save = useSetExpert(detail.session.id);
  const [labels, setLabels] = useState<string[]>(item.expert?.labels ?? []);
  const [action, setAction] = useState<string | null>(item.expert?.action ?? null);
  const [note, setNote] = useState(item.expert?.note ?? '');
  const labelData = detail.labelOptions.map((p) => ({ group: p.policyName, items: p.labels.map((l) => ({ value: l.key, label: l.name })) }));
  return (
    <Modal opened onClose={onClose} title={`Expert answer, item ${item.position}`}>
      <Stack gap="sm">
        <MultiSelect label="Labels (none = no violation)" data={labelData} value={labels} onChange={setLabels} searchable clearable />
        <Select label="Action" required data={detail.actionOptions.map((a) => ({ value: a.key, label: a.name }))} value={action} onChange={setAction} />
        <TextInput label="Rationale" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={!action} loading={save.isPending} onClick={() => void save.mutateAsync({ itemId: item.id, labels, action: action!, note }).then(onClose).catch(() => undefined)}>
            Save expert answer
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function InviteModal({ sessionId, onClose }: { sessionId: string; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const candidates = useCandidatePeople(debounced);
  const invite = useInvite(sessionId);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  return (
    <Modal opened onClose={onClose} title="Invite participants">
      <Stack gap="sm">
        <TextInput label="Find people" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        <Stack gap={4}>
          {(candidates.data ?? []).map((p) => (
            <Checkbox
              key={p.personId}
              label={`${p.name} — ${groupLabel(p.group)}, ${p.vendorName}`}
              checked={picked.has(p.personId)}
              onChange={() => setPicked((s) => { const n = new Set(s); if (n.has(p.personId)) n.delete(p.personId); else n.add(p.personId); return n; })}
            />
          ))}
        </Stack>
        {invite.error && <Alert color="red">{errorMessage(invite.error)}</Alert>}
        <Group justify="flex-end">
          <Button disabled={picked.size === 0} loading={invite.isPending} onClick={() => void invite.mutateAsync([...picked].map((personId) => ({ personId }))).then(onClose).catch(() => undefined)}>
            Invite {picked.size || ''}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The lead's view of a session: progress (who submitted, never what), the items with their expert answers, close and reveal. */
export function CalibrationSessionPage() {
  const { sessionId = '' } = useParams();
  const detail = useSessionDetail(sessionId);
  const close = useCloseSession(sessionId);
  const [editing, setEditing] = useState<Item | null>(null);
  const [inviting, setInviting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  if (detail.isPending) return <LoadingState label="Loading the session" />;
  if (detail.error) return <SessionError error={detail.error} onRetry={() => void detail.refetch()} backTo="/calibration" />;
  const { session, items, participants } = detail.data;
  const name = labelNamer(detail.data.labelOptions);
  const actionName = new Map(detail.data.actionOptions.map((a) => [a.key, a.name]));
  const open = session.status === 'open';
  const missingExpert = items.filter((i) => i.expert === null).length;
  return (
    <>
      <PageHeader
        title={session.title}
        eyebrow="Calibration session"
        crumbs={[{ label: 'Calibration', to: '/calibration' }]}
        badges={<StatusBadge session={session} />}
        description={`${session.workflowName ?? 'Imported ratings'} · ${session.vendorName ?? 'Whole organisation'} · ${session.dueAt ? `due ${dueText(session)}` : 'no due date'} · created by ${session.createdByLabel}`}
        actions={
          open ? (
            <Group gap="xs">
              <Button variant="default" leftSection={<IconUserPlus size={16} aria-hidden="true" />} onClick={() => setInviting(true)}>
                Invite
              </Button>
              <Button color="teal" leftSection={<IconLock size={16} aria-hidden="true" />} onClick={() => setConfirming(true)}>
                Close and reveal
              </Button>
            </Group>
          ) : (
            <Button component={Link} to={`/calibration/${session.id}/results`}>
              See the results
            </Button>
          )
        }
      />
      {close.error && (
        <Alert color="red" mb="md" role="alert">
          {errorMessage(close.error)}
        </Alert>
      )}
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Paper withBorder p="md" radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              Responses
            </Text>
            <Text size="xl" fw={700} data-testid="responses">
              {session.submitted} / {session.participants}
            </Text>
          </Paper>
          <Paper withBorder p="md" radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              Items
            </Text>
            <Text size="xl" fw={700}>
              {session.items}
            </Text>
          </Paper>
          <Paper withBorder p="md" radius="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              Expert answers
            </Text>
            <Text size="xl" fw={700}>
              {items.length - missingExpert} / {items.length}
            </Text>
          </Paper>
        </SimpleGrid>

        <section aria-labelledby="participants-heading">
          <Title order={2} size="h4" id="participants-heading" mb="xs">
            Participants
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Answers stay sealed until you close the session: you see who has submitted, not what they answered. A policy SME you invite can set
            the expert answers instead of rating; they are then left out of the responses and the figures.
          </Text>
          <Paper withBorder radius="md">
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Participant</Table.Th>
                  <Table.Th scope="col">Group</Table.Th>
                  <Table.Th scope="col">Vendor</Table.Th>
                  <Table.Th scope="col">Scored</Table.Th>
                  <Table.Th scope="col">Submitted</Table.Th>
                  <Table.Th scope="col">Expert answers</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {participants.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>{p.name}</Table.Td>
                    <Table.Td>{groupLabel(p.group)}</Table.Td>
                    <Table.Td>{p.vendorName ?? '—'}</Table.Td>
                    <Table.Td>{p.setsExpert ? '—' : p.ratedItems === null ? '—' : `${p.ratedItems} / ${session.items}`}</Table.Td>
                    <Table.Td>
                      {p.setsExpert ? (
                        <Badge color="violet" variant="light">
                          Does not rate
                        </Badge>
                      ) : p.submittedAt ? (
                        <Badge color="teal" variant="light">
                          {formatDateTime(p.submittedAt)}
                        </Badge>
                      ) : (
                        <Badge color="gray" variant="light">
                          Not yet
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <ExpertDelegateSwitch sessionId={session.id} participant={p} open={open} />
                    </Table.Td>
                  </Table.Tr>
                ))}
                {participants.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text size="sm" c="dimmed">
                        Nobody invited yet.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Paper>
        </section>

        <section aria-labelledby="items-heading">
          <Title order={2} size="h4" id="items-heading" mb="xs">
            Items and expert answers
          </Title>
          <Paper withBorder radius="md">
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">#</Table.Th>
                  <Table.Th scope="col">Item</Table.Th>
                  <Table.Th scope="col">Source</Table.Th>
                  <Table.Th scope="col">Agent&apos;s decision</Table.Th>
                  <Table.Th scope="col">Expert answer</Table.Th>
                  {open && <Table.Th scope="col">Edit</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>{item.position}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{item.ref}</Text>
                      <ContentSnippet sessionId={session.id} itemId={item.id} text={item.content.text} url={item.content.url} severity={item.severity} />
                    </Table.Td>
                    <Table.Td>{humanize(item.source)}</Table.Td>
                    <Table.Td>{item.agentDecision ? `${name(item.agentDecision.labels)} · ${actionName.get(item.agentDecision.action) ?? item.agentDecision.action}` : '—'}</Table.Td>
                    <Table.Td data-testid={`expert-${item.position}`}>
                      {item.expert ? `${name(item.expert.labels)} · ${actionName.get(item.expert.action) ?? item.expert.action}` : <Badge color="orange" variant="light">Missing</Badge>}
                    </Table.Td>
                    {open && (
                      <Table.Td>
                        <Button size="xs" variant="subtle" onClick={() => setEditing(item)} aria-label={`Edit the expert answer of item ${item.position}`}>
                          Edit
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </section>
      </Stack>
      {editing && <ExpertModal detail={detail.data} item={editing} onClose={() => setEditing(null)} />}
      {inviting && <InviteModal sessionId={session.id} onClose={() => setInviting(false)} />}
      <ConfirmDialog
        opened={confirming}
        title="Close and reveal the results?"
        confirmLabel="Close and reveal"
        confirmColor="teal"
        loading={close.isPending}
        onConfirm={() => {
          setConfirming(false);
          close.mutate();
        }}
        onCancel={() => setConfirming(false)}
      >
        {session.submitted} of {session.participants} participants submitted. Closing reveals the expert answers and everyone&apos;s answers to the
        participants; answers can no longer change.
      </ConfirmDialog>
    </>
  );
}
