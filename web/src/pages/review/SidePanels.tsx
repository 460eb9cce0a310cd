import { Badge, Group, Kbd, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { WorkspacePolicy } from '../../api/review';
import { SEVERITY_COLORS } from '../decisions/decisionFormat';

/** The policy text of the labels in view (the reviewer's picks and, once shown, the agent's). */
export function PolicyPanel({ policies, inView }: { policies: WorkspacePolicy[]; inView: Set<string> }) {
  const relevant = policies.filter((p) => p.labels.some((l) => inView.has(l.key)));
  const others = policies.filter((p) => !relevant.includes(p));
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="policy-heading">
      <Title order={2} size="h4" id="policy-heading" mb="xs">
        Policy in force
      </Title>
      {relevant.length === 0 && (
        <Text size="sm" c="dimmed" mb="xs">
          Pick a label (or record your verdict) to see its policy text here.
        </Text>
      )}
      <Stack gap="sm">
        {relevant.map((policy) => (
          <article key={policy.policyKey} aria-labelledby={`policy-${policy.policyKey}`}>
            <Title order={3} size="h6" id={`policy-${policy.policyKey}`}>
              {policy.policyName}{' '}
              <Text span size="xs" c="dimmed">
                version {policy.version}
              </Text>
            </Title>
            {policy.summary && (
              <Text size="sm" className="assay-pre">
                {policy.summary}
              </Text>
            )}
            <Stack gap={4} mt={4}>
              {policy.labels
                .filter((l) => inView.has(l.key))
                .map((label) => (
                  <div key={label.key}>
                    <Group gap={6}>
                      <Text size="sm" fw={600}>
                        {label.name}
                      </Text>
                      {label.severity && (
                        <Badge size="xs" variant="light" color={SEVERITY_COLORS[label.severity]}>
                          {label.severity}
                        </Badge>
                      )}
                    </Group>
                    <Text size="sm">{label.description ?? 'No description in this version.'}</Text>
                  </div>
                ))}
            </Stack>
          </article>
        ))}
        {others.length > 0 && (
          <Text size="xs" c="dimmed">
            Also in force: {others.map((p) => `${p.policyName} v${p.version}`).join(', ')}.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** What came with the decision, besides the item itself. */
export function ContextPanel({ rows }: { rows: Array<[string, unknown]> }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="context-heading">
      <Title order={2} size="h4" id="context-heading" mb="xs">
        Context
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No context was sent with this decision.
        </Text>
      ) : (
        <Table aria-labelledby="context-heading" fz="sm">
          <Table.Tbody>
            {rows.map(([key, value]) => (
              <Table.Tr key={key}>
                <Table.Th scope="row" w="35%">
                  {key}
                </Table.Th>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{show(value)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

const SHORTCUTS: Array<[string[], string]> = [
  [['J'], 'next question'],
  [['K'], 'previous question'],
  [['Alt', '1–9'], 'go to question n'],
  [['Y', 'N', 'A'], 'yes / no / N/A'],
  [['1–5'], 'scale value, or choice n'],
  [['C'], 'comment on the question'],
  [['R'], 'reveal the item'],
  [['V'], 'go to your verdict'],
  [['U'], 'policy unclear'],
  [['Ctrl', 'Enter'], 'submit'],
];

/** Always visible: a reviewer should not have to remember a key. */
export function ShortcutLegend() {
  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-labelledby="shortcuts-heading" bg="gray.0">
      <Title order={2} size="h6" id="shortcuts-heading" mb={4}>
        Keyboard shortcuts
      </Title>
      <Group gap="md" component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {SHORTCUTS.map(([keys, what]) => (
          <Text component="li" size="xs" key={what}>
            {keys.map((k, i) => (
              <span key={k}>
                {i > 0 && (keys[0] === 'Alt' || keys[0] === 'Ctrl' ? ' + ' : ' ')}
                <Kbd size="xs">{k}</Kbd>
              </span>
            ))}{' '}
            {what}
          </Text>
        ))}
      </Group>
    </Paper>
  );
}
