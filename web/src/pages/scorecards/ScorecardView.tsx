import { Badge, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { ERROR_TYPE_LABELS, QUESTION_KIND_LABELS, type Question, type ScorecardDefinition } from '../../api/scorecards';

/** Share of the score each weighted question carries (N/A answers aside). */
function weightShare(definition: ScorecardDefinition): (q: Question) => string {
  const total = definition.sections.flatMap((s) => s.questions).reduce((sum, q) => sum + (q.weight > 0 ? q.weight : 0), 0);
  return (q) => (total > 0 && q.weight > 0 ? `${Math.round((1000 * q.weight) / total) / 10}%` : '—');
}

function errorTypeOf(q: Question): string {
  if (q.kind === 'correct_label') return 'False positive / false negative / wrong policy (by direction)';
  if (q.kind === 'correct_action') return ERROR_TYPE_LABELS.wrong_action;
  return q.errorType ? ERROR_TYPE_LABELS[q.errorType] : '—';
}

function answersOf(q: Question): string {
  switch (q.kind) {
    case 'correct_label':
    case 'correct_action':
      return "Follows from the reviewer's verdict";
    case 'yes_no':
      return q.allowNotApplicable ? 'Yes / no / N/A (N/A not scored)' : 'Yes / no';
    case 'scale':
      return `1-5; fails at or below ${q.failAtOrBelow ?? 2}`;
    case 'choice':
      return (q.options ?? []).map((o) => `${o.label} (${Math.round(o.credit * 100)}%)`).join('; ');
  }
}

/** A scorecard version read-only: sections, questions, weights, critical flags, error types, root causes. */
export function ScorecardView({ definition }: { definition: ScorecardDefinition }) {
  const share = weightShare(definition);
  return (
    <Stack gap="md">
      <Group gap="lg">
        <Text size="sm">
          Pass mark: <strong>{definition.passMark}</strong>
        </Text>
        <Text size="sm">{definition.commentRequiredOnFail ? 'A failed question needs a comment.' : 'Comments are optional.'}</Text>
      </Group>
      {definition.sections.map((section) => (
        <Paper key={section.key} withBorder p="sm" component="section" aria-labelledby={`section-${section.key}`}>
          <Title order={3} size="h5" id={`section-${section.key}`} mb="xs">
            {section.title}
          </Title>
          <Table.ScrollContainer minWidth={720}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Question</Table.Th>
                  <Table.Th scope="col">Kind and answers</Table.Th>
                  <Table.Th scope="col">Weight</Table.Th>
                  <Table.Th scope="col">Critical</Table.Th>
                  <Table.Th scope="col">Error type when failed</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {section.questions.map((q) => (
                  <Table.Tr key={q.key}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {q.text}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {q.key}
                        {q.help ? ` · ${q.help}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{QUESTION_KIND_LABELS[q.kind]}</Text>
                      <Text size="xs" c="dimmed">
                        {answersOf(q)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {q.weight} <Text span size="xs" c="dimmed">({share(q)})</Text>
                    </Table.Td>
                    <Table.Td>{q.critical ? <Badge color="red">Critical: auto-fail</Badge> : 'No'}</Table.Td>
                    <Table.Td>{errorTypeOf(q)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ))}
      <div>
        <Title order={3} size="h5" mb={4}>
          Root-cause categories
        </Title>
        {definition.rootCauses.length === 0 ? (
          <Text size="sm" c="dimmed">
            None: reviewers are not asked why an error happened.
          </Text>
        ) : (
          <List size="sm">
            {definition.rootCauses.map((r) => (
              <List.Item key={r.key}>
                {r.label}{' '}
                <Text span size="xs" c="dimmed">
                  ({r.key})
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </div>
    </Stack>
  );
}
