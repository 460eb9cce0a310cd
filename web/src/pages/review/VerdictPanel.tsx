import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconCheck, IconEyeCheck, IconX } from '@tabler/icons-react';
import type { Verdict, WorkspacePolicy } from '../../api/review';
import { LabelActionFields } from './LabelActionFields';
import { sameSet, type AgentDecision } from './reviewState';

interface VerdictPanelProps {
  policies: WorkspacePolicy[];
  actions: Array<{ key: string; name: string }>;
  blind: boolean;
  value: Verdict;
  onChange: (value: Verdict) => void;
  /** The recorded verdict (null until recorded). */
  recorded: Verdict | null;
  /** The agent's decision: null while blind and no verdict is recorded. */
  decision: AgentDecision | null;
  onRecord: () => void;
  recording: boolean;
  error: string | null;
}

function Agreement({ agree }: { agree: boolean }) {
  return agree ? (
    <Badge color="teal" leftSection={<IconCheck size={12} aria-hidden="true" />}>
      Agrees
    </Badge>
  ) : (
    <Badge color="red" leftSection={<IconX size={12} aria-hidden="true" />}>
      Differs
    </Badge>
  );
}

/**
 * The reviewer's own verdict: the labels (none = no violation) and the
 * action. In blind mode the agent's decision stays hidden until the verdict
 * is recorded; then both sit side by side with agreement marked.
 */
export function VerdictPanel(props: VerdictPanelProps) {
  const { policies, actions, blind, value, onChange, recorded, decision } = props;
  const nameOf = new Map(policies.flatMap((p) => p.labels.map((l) => [l.key, l.name] as const)));
  const actionName = new Map(actions.map((a) => [a.key, a.name] as const));
  const locked = recorded !== null;
  const labelList = (labels: string[]) => (labels.length === 0 ? 'No violation' : labels.map((l) => nameOf.get(l) ?? l).join(', '));

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="verdict-heading" id="verdict">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="verdict-heading">
          Your verdict
        </Title>
        {blind && (
          <Badge variant="light" color={locked ? 'gray' : 'violet'} leftSection={<IconEyeCheck size={12} aria-hidden="true" />}>
            {locked ? 'Blind verdict recorded' : 'Blind review'}
          </Badge>
        )}
      </Group>
      {blind && !locked && (
        <Text size="sm" c="dimmed" mb="sm">
          Decide on your own first: the agent&apos;s labels and action appear once you record your verdict.
        </Text>
      )}
      <Stack gap="md">
        {!locked && (
          <LabelActionFields
            labelOptions={policies}
            actionOptions={actions}
            labels={value.labels}
            action={value.action}
            onLabels={(labels) => onChange({ ...value, labels })}
            onAction={(action) => onChange({ ...value, action })}
          />
        )}
        {props.error && (
          <Alert color="red" role="alert">
            {props.error}
          </Alert>
        )}
        {!locked && (
          <Group>
            <Button onClick={props.onRecord} loading={props.recording} disabled={!value.action}>
              {blind ? 'Record verdict and show the decision' : 'Record verdict'}
            </Button>
            <Text size="xs" c="dimmed">
              {value.labels.length === 0 ? 'No labels picked: your verdict is "no violation".' : `Picked: ${labelList(value.labels)}.`}
            </Text>
          </Group>
        )}
        {decision && (
          <Table withTableBorder aria-label="Your verdict against the agent's decision" data-testid="verdict-comparison">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">&nbsp;</Table.Th>
                <Table.Th scope="col">You</Table.Th>
                <Table.Th scope="col">Agent</Table.Th>
                <Table.Th scope="col">Result</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">Labels</Table.Th>
                <Table.Td>{labelList(recorded?.labels ?? value.labels)}</Table.Td>
                <Table.Td>{labelList(decision.labels)}</Table.Td>
                <Table.Td>{recorded ? <Agreement agree={sameSet(recorded.labels, decision.labels)} /> : '—'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Action</Table.Th>
                <Table.Td>{actionName.get(recorded?.action ?? value.action) ?? (recorded?.action || value.action || '—')}</Table.Td>
                <Table.Td>{actionName.get(decision.action) ?? decision.action}</Table.Td>
                <Table.Td>{recorded ? <Agreement agree={recorded.action === decision.action} /> : '—'}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
