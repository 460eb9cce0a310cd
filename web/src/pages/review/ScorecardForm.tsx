import { Badge, Group, Kbd, Paper, Radio, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import type { Answer, Question, ScorecardDefinition, Verdict } from '../../api/review';
import { derivedValue, isDerived, isFailed, keysHint, type AgentDecision } from './reviewState';

export type AnswerErrors = Map<string, { value?: string; comment?: string; rootCause?: string }>;

interface ScorecardFormProps {
  definition: ScorecardDefinition;
  answers: Map<string, Answer>;
  onAnswer: (questionKey: string, patch: Partial<Answer>) => void;
  verdict: Verdict | null;
  decision: AgentDecision | null;
  current: string | null;
  onFocusQuestion: (key: string) => void;
  errors: AnswerErrors;
}

const YES_NO_LABELS: Record<string, string> = { yes: 'Yes', no: 'No', na: 'N/A' };

function valueOptions(q: Question): Array<{ value: string; label: string; key: string }> {
  if (q.kind === 'yes_no') {
    return [
      { value: 'yes', label: 'Yes', key: 'Y' },
      { value: 'no', label: 'No', key: 'N' },
      ...(q.allowNotApplicable ? [{ value: 'na', label: 'N/A', key: 'A' }] : []),
    ];
  }
  if (q.kind === 'scale') return [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: String(n), key: String(n) }));
  return (q.options ?? []).map((o, i) => ({ value: o.key, label: o.label, key: String(i + 1) }));
}

function QuestionBlock(props: {
  q: Question;
  index: number;
  answer: Answer | undefined;
  failed: boolean;
  derived: 'yes' | 'no' | null;
  isCurrent: boolean;
  commentRequired: boolean;
  rootCauses: ScorecardDefinition['rootCauses'];
  error: { value?: string; comment?: string; rootCause?: string } | undefined;
  onAnswer: (patch: Partial<Answer>) => void;
  onFocus: () => void;
}) {
  const { q, index, answer, failed, derived, isCurrent, error } = props;
  const labelId = `q-${q.key}-label`;
  return (
    <Paper
      withBorder
      radius="sm"
      p="sm"
      id={`q-${q.key}`}
      data-question={q.key}
      data-current={isCurrent ? 'true' : undefined}
      tabIndex={-1}
      onFocus={props.onFocus}
      style={{ borderColor: isCurrent ? 'var(--mantine-color-violet-6)' : failed ? 'var(--mantine-color-red-4)' : undefined, borderWidth: isCurrent ? 2 : 1 }}
      role="group"
      aria-labelledby={labelId}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600} size="sm" id={labelId}>
            <Text span c="dimmed" mr={6}>
              {index + 1}.
            </Text>
            {q.text}
          </Text>
          <Group gap={4} wrap="nowrap">
            {q.critical && (
              <Badge size="xs" color="red">
                Critical
              </Badge>
            )}
            <Badge size="xs" variant="light" color="gray">
              weight {q.weight}
            </Badge>
          </Group>
        </Group>
        {q.help && (
          <Text size="xs" c="dimmed">
            {q.help}
          </Text>
        )}
        {isDerived(q) ? (
          <Text size="sm" data-testid={`derived-${q.key}`}>
            {derived === null ? (
              <Text span c="dimmed">
                Computed once your verdict is recorded.
              </Text>
            ) : (
              <>
                <Badge color={derived === 'yes' ? 'teal' : 'red'}>{YES_NO_LABELS[derived]}</Badge>{' '}
                <Text span size="xs" c="dimmed">
                  computed: your verdict against the agent&apos;s decision
                </Text>
              </>
            )}
          </Text>
        ) : (
          <Radio.Group
            aria-labelledby={labelId}
            value={answer?.value === undefined ? null : String(answer.value)}
            onChange={(v) => props.onAnswer({ value: q.kind === 'scale' ? Number(v) : v })}
            error={error?.value}
          >
            <Group gap="md" mt={2}>
              {valueOptions(q).map((o) => (
                <Radio
                  key={o.value}
                  value={o.value}
                  label={
                    <span>
                      {o.label} <Kbd size="xs">{o.key}</Kbd>
                    </span>
                  }
                />
              ))}
            </Group>
          </Radio.Group>
        )}
        {failed && (
          <Group align="flex-start" grow>
            <Textarea
              label="What was wrong"
              id={`q-${q.key}-comment`}
              required={props.commentRequired}
              autosize
              minRows={1}
              value={answer?.comment ?? ''}
              onChange={(e) => props.onAnswer({ comment: e.currentTarget.value })}
              error={error?.comment}
            />
            <Select
              label="Root cause"
              placeholder="Why it happened"
              clearable
              data={props.rootCauses.map((r) => ({ value: r.key, label: r.label }))}
              value={answer?.rootCause ?? null}
              onChange={(v) => props.onAnswer({ rootCause: v ?? undefined })}
              error={error?.rootCause}
            />
          </Group>
        )}
        {isCurrent && !isDerived(q) && (
          <Text size="xs" c="dimmed" aria-hidden="true">
            Keys: {keysHint(q)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** The scorecard, section by section; the focused question is the one keyboard shortcuts answer. */
export function ScorecardForm(props: ScorecardFormProps) {
  const { definition, answers, verdict, decision, errors } = props;
  let index = 0;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="scorecard-heading">
      <Title order={2} size="h4" id="scorecard-heading" mb="sm">
        Scorecard
      </Title>
      <Stack gap="md">
        {definition.sections.map((section) => (
          <Stack key={section.key} gap="xs" component="section" aria-labelledby={`section-${section.key}`}>
            <Title order={3} size="h6" id={`section-${section.key}`}>
              {section.title}
            </Title>
            {section.questions.map((q) => {
              const i = index++;
              const answer = answers.get(q.key);
              return (
                <QuestionBlock
                  key={q.key}
                  q={q}
                  index={i}
                  answer={answer}
                  failed={isFailed(q, answer, verdict, decision)}
                  derived={derivedValue(q, verdict, decision)}
                  isCurrent={props.current === q.key}
                  commentRequired={definition.commentRequiredOnFail}
                  rootCauses={definition.rootCauses}
                  error={errors.get(q.key)}
                  onAnswer={(patch) => props.onAnswer(q.key, patch)}
                  onFocus={() => props.onFocusQuestion(q.key)}
                />
              );
            })}
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}
