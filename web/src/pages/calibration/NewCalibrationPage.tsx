import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Badge, Button, Checkbox, FileButton, Group, Paper, Select, Stack, Stepper, Table, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconUpload } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../../api/client';
import { useCandidateDecisions, useCandidateGold, useCandidatePeople, useCreateSession } from '../../api/calibration';
import { WorkflowSelect, VendorSelect } from '../../components/EntityPickers';
import { PageHeader } from '../../components/PageHeader';
import { ScrollRegion } from '../../components/ScrollRegion';
import { useSeesAllVendors } from '../../auth/session';
import { formatDate, humanize, localInputToIso } from '../../lib/format';
import { groupLabel } from './calibrationParts';

const SEVERITIES = [
  { value: 'critical', label: 'Critical' },
  { value: 'high', label: 'High' },
  { value: 'medium', label: 'Medium' },
  { value: 'low', label: 'Low' },
  { value: 'none', label: 'No violation' },
];

function toggle(set: Set<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

const labelsText = (labels: string[]) => (labels.length === 0 ? 'No violation' : labels.join(', '));

/**
 * The create wizard: the session (workflow, title, due date, owner), the
 * items (reviewed decisions with the review as the default expert answer,
 * the gold set, or a CSV), the participants, then a last look before
 * creating. Expert answers can be changed on the session page until close.
 */
export function NewCalibrationPage() {
  const navigate = useNavigate();
  const seesAll = useSeesAllVendors();
  const [step, setStep] = useState(0);
  const [title, setTitle] = useState('');
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [dueAt, setDueAt] = useState('');
  const [ownerVendorId, setOwnerVendorId] = useState<string | null>(null);
  const [vendorFilter, setVendorFilter] = useState<string | null>(null);
  const [severity, setSeverity] = useState<string | null>(null);
  const [policy, setPolicy] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [decisionIds, setDecisionIds] = useState<Set<string>>(new Set());
  const [goldIds, setGoldIds] = useState<Set<string>>(new Set());
  const [csv, setCsv] = useState('');
  const [personQuery, setPersonQuery] = useState('');
  const [debouncedPerson] = useDebouncedValue(personQuery, 250);
  const [people, setPeople] = useState<Map<string, { name: string; group: string; vendorName: string }>>(new Map());
  const [debouncedPolicy] = useDebouncedValue(policy, 300);
  const decisions = useCandidateDecisions({ workflowId, vendorId: vendorFilter, severity, policy: debouncedPolicy || undefined, from: from || undefined, to: to || undefined });
  const gold = useCandidateGold(workflowId);
  const candidates = useCandidatePeople(debouncedPerson);
  const create = useCreateSession();

  const itemCount = decisionIds.size + goldIds.size + (csv.trim() ? Math.max(0, csv.trim().split(/\r?\n/).length - 1) : 0);
  const sessionValid = title.trim().length > 0 && workflowId !== null;
  const details = isApiError(create.error) ? (create.error.details as Array<{ path: string; message: string; line?: number }>) : [];

  async function submit() {
    if (!workflowId) return;
    const created = await create.mutateAsync({
      title: title.trim(),
      workflowId,
      dueAt: dueAt ? localInputToIso(dueAt) : null,
      ...(seesAll ? { vendorId: ownerVendorId } : {}),
      items: [...[...decisionIds].map((id) => ({ source: 'decision' as const, id })), ...[...goldIds].map((id) => ({ source: 'gold' as const, id }))],
      itemsCsv: csv.trim() ? csv : undefined,
      participants: [...people.keys()].map((personId) => ({ personId })),
    });
    navigate(`/calibration/${created.session.id}`);
  }

  return (
    <>
      <PageHeader title="New calibration session" crumbs={[{ label: 'Calibration', to: '/calibration' }]} description="Pick the items everyone will score blind, their expert answers, and who takes part." />
      <Stepper active={step} onStepClick={(s) => (s === 0 || sessionValid ? setStep(s) : undefined)} allowNextStepsSelect={sessionValid}>
        <Stepper.Step label="Session" description="Workflow and due date">
          <Paper withBorder p="md" radius="md" maw={640}>
            <Stack gap="sm">
              <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} placeholder="e.g. Hate speech calibration, November" />
              <WorkflowSelect label="Workflow" required value={workflowId} onChange={(v) => { setWorkflowId(v); setDecisionIds(new Set()); setGoldIds(new Set()); }} description="Its published scorecard is frozen into the session." />
              <TextInput label="Due" type="datetime-local" value={dueAt} onChange={(e) => setDueAt(e.currentTarget.value)} />
              {seesAll && <VendorSelect label="Owner" clearable placeholder="Whole organisation" value={ownerVendorId} onChange={setOwnerVendorId} description="A vendor's session is visible to that vendor's leads; invite that vendor's people only." />}
              <Group justify="flex-end">
                <Button onClick={() => setStep(1)} disabled={!sessionValid}>
                  Next: items
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Stepper.Step>

        <Stepper.Step label="Items" description={`${itemCount} picked`}>
          <Tabs defaultValue="decisions">
            <Tabs.List>
              <Tabs.Tab value="decisions">Reviewed decisions ({decisionIds.size})</Tabs.Tab>
              <Tabs.Tab value="gold">Gold set ({goldIds.size})</Tabs.Tab>
              <Tabs.Tab value="csv">Upload a CSV</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="decisions" pt="sm">
              <Stack gap="sm">
                <Group gap="sm" align="flex-end">
                  <VendorSelect label="Vendor" clearable value={vendorFilter} onChange={setVendorFilter} w={200} />
                  <TextInput label="Policy key" value={policy} onChange={(e) => setPolicy(e.currentTarget.value)} w={160} />
                  <Select label="Severity" clearable data={SEVERITIES} value={severity} onChange={setSeverity} w={150} />
                  <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
                  <TextInput label="To" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
                </Group>
                <Text size="sm" c="dimmed">
                  The final review&apos;s verdict is the default expert answer; change it on the session page before closing.
                </Text>
                <Paper withBorder radius="md">
                  <ScrollRegion label="Reviewed decisions" minWidth={720}>
                    <Table>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">Pick</Table.Th>
                          <Table.Th scope="col">Decision</Table.Th>
                          <Table.Th scope="col">Vendor</Table.Th>
                          <Table.Th scope="col">Severity</Table.Th>
                          <Table.Th scope="col">Agent</Table.Th>
                          <Table.Th scope="col">Review (expert default)</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {(decisions.data ?? []).map((d) => (
                          <Table.Tr key={d.decisionId}>
                            <Table.Td>
                              <Checkbox aria-label={`Pick decision ${d.externalId}`} checked={decisionIds.has(d.decisionId)} onChange={() => setDecisionIds((s) => toggle(s, d.decisionId))} />
                            </Table.Td>
                            <Table.Td>
                              {d.externalId}
                              <Text size="xs" c="dimmed">
                                {formatDate(d.decidedAt)}
                              </Text>
                            </Table.Td>
                            <Table.Td>{d.vendorName}</Table.Td>
                            <Table.Td>{d.severity ? humanize(d.severity) : '—'}</Table.Td>
                            <Table.Td>
                              {labelsText(d.agentDecision.labels)} · {humanize(d.agentDecision.action)}
                            </Table.Td>
                            <Table.Td>
                              {labelsText(d.review.labels)} · {humanize(d.review.action)}{' '}
                              {!d.review.correct && (
                                <Badge size="xs" color="orange" variant="light">
                                  agent differed
                                </Badge>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </ScrollRegion>
                  {decisions.data?.length === 0 && (
                    <Text p="md" size="sm" c="dimmed">
                      No reviewed decisions match.
                    </Text>
                  )}
                </Paper>
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="gold" pt="sm">
              {gold.isError ? (
                <Alert color="gray">{errorMessage(gold.error)}</Alert>
              ) : (gold.data ?? []).length === 0 ? (
                <Text size="sm" c="dimmed">
                  No active gold items for this workflow.
                </Text>
              ) : (
                <Stack gap={6}>
                  {(gold.data ?? []).map((g) => (
                    <Checkbox
                      key={g.goldItemId}
                      checked={goldIds.has(g.goldItemId)}
                      onChange={() => setGoldIds((s) => toggle(s, g.goldItemId))}
                      label={`${humanize(g.contentKind)} · expert: ${labelsText(g.expert.labels)} · ${humanize(g.expert.action)}${g.rationale ? ` — ${g.rationale}` : ''}`}
                    />
                  ))}
                </Stack>
              )}
            </Tabs.Panel>
            <Tabs.Panel value="csv" pt="sm">
              <Stack gap="xs" maw={800}>
                <Text size="sm">
                  Columns: <code>ref, content_text, content_url, content_kind, language, severity, expert_labels, expert_action, expert_note</code>. Labels are
                  separated by <code>|</code>; <code>none</code> means no violation. Lines without an expert answer get one on the session page.
                </Text>
                <FileButton onChange={(file) => void file?.text().then(setCsv)} accept=".csv,text/csv">
                  {(props) => (
                    <Button {...props} variant="default" leftSection={<IconUpload size={16} aria-hidden="true" />} w="fit-content">
                      Choose a CSV file
                    </Button>
                  )}
                </FileButton>
                <Textarea label="Items CSV" autosize minRows={4} maxRows={14} value={csv} onChange={(e) => setCsv(e.currentTarget.value)} styles={{ input: { fontFamily: 'monospace' } }} />
              </Stack>
            </Tabs.Panel>
          </Tabs>
          <Group justify="space-between" mt="md">
            <Button variant="default" onClick={() => setStep(0)}>
              Back
            </Button>
            <Button onClick={() => setStep(2)} disabled={itemCount === 0}>
              Next: participants
            </Button>
          </Group>
        </Stepper.Step>

        <Stepper.Step label="Participants" description={`${people.size} invited`}>
          <Stack gap="sm" maw={800}>
            <TextInput label="Find people" value={personQuery} onChange={(e) => setPersonQuery(e.currentTarget.value)} placeholder="Name" description="QA specialists and leads, trainers and policy SMEs in your scope who can sign in." />
            <Paper withBorder radius="md" p="sm">
              <Stack gap={6}>
                {(candidates.data ?? []).map((p) => (
                  <Checkbox
                    key={p.personId}
                    checked={people.has(p.personId)}
                    onChange={() =>
                      setPeople((m) => {
                        const next = new Map(m);
                        if (next.has(p.personId)) next.delete(p.personId);
                        else next.set(p.personId, { name: p.name, group: groupLabel(p.group), vendorName: p.vendorName });
                        return next;
                      })
                    }
                    label={`${p.name} — ${groupLabel(p.group)}, ${p.vendorName}`}
                  />
                ))}
                {candidates.data?.length === 0 && (
                  <Text size="sm" c="dimmed">
                    Nobody matches.
                  </Text>
                )}
              </Stack>
            </Paper>
            <Group justify="space-between">
              <Button variant="default" onClick={() => setStep(1)}>
                Back
              </Button>
              <Button onClick={() => setStep(3)}>Next: review</Button>
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Create" description="Check and create">
          <Paper withBorder p="md" radius="md" maw={720}>
            <Stack gap="sm">
              <Title order={2} size="h4">
                {title || 'Untitled'}
              </Title>
              <Text size="sm">
                {itemCount} items · {people.size} participants · due {dueAt ? formatDate(localInputToIso(dueAt)) : 'no date'}
              </Text>
              <Text size="sm">Invited: {[...people.values()].map((p) => `${p.name} (${p.group})`).join(', ') || 'nobody yet (you can invite later)'}</Text>
              {create.error && (
                <Alert color="red" title="Could not create the session" role="alert">
                  <Text size="sm">{errorMessage(create.error)}</Text>
                  {details.length > 0 && (
                    <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                      {details.slice(0, 20).map((d, i) => (
                        <li key={i}>
                          <Text size="sm">
                            {d.line ? `Line ${d.line}: ` : ''}
                            {d.message} <Text span c="dimmed" size="xs">({d.path})</Text>
                          </Text>
                        </li>
                      ))}
                    </ul>
                  )}
                </Alert>
              )}
              <Group justify="space-between">
                <Button variant="default" onClick={() => setStep(2)}>
                  Back
                </Button>
                <Button onClick={() => void submit().catch(() => undefined)} loading={create.isPending} disabled={!sessionValid || itemCount === 0}>
                  Create session
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Stepper.Step>
      </Stepper>
    </>
  );
}
