import { ActionIcon, Button, Checkbox, Fieldset, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { ERROR_TYPE_LABELS, ERROR_TYPES, QUESTION_KIND_LABELS, QUESTION_KINDS, type ErrorType, type Question, type QuestionKind } from '../../api/scorecards';

/** The server's message for a JSON pointer, if any. */
export type ErrorAt = (path: string) => string | undefined;

const num = (value: string | number, fallback = 0) => (typeof value === 'number' ? value : value === '' ? fallback : Number(value));

/** Reshapes a question for a new kind: drops what the kind does not use, adds what it needs. */
export function withKind(q: Question, kind: QuestionKind): Question {
  const { options: _o, failAtOrBelow: _f, allowNotApplicable: _n, errorType, ...rest } = q;
  const next: Question = { ...rest, kind };
  if (kind === 'choice') next.options = q.options ?? [
    { key: 'right', label: 'Right', credit: 1 },
    { key: 'wrong', label: 'Wrong', credit: 0 },
  ];
  if (kind === 'scale') next.failAtOrBelow = q.failAtOrBelow ?? 2;
  if (kind === 'yes_no') next.allowNotApplicable = q.allowNotApplicable ?? false;
  // Label and action questions derive their error type from the verdict.
  if (kind !== 'correct_label' && kind !== 'correct_action') next.errorType = errorType ?? 'process';
  return next;
}

interface Props {
  question: Question;
  /** JSON pointer of the question: /definition/sections/<s>/questions/<q> */
  path: string;
  name: string;
  first: boolean;
  last: boolean;
  errorAt: ErrorAt;
  onChange: (q: Question) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}

export function QuestionEditor({ question: q, path, name, first, last, errorAt, onChange, onMove, onRemove }: Props) {
  const set = (patch: Partial<Question>) => onChange({ ...q, ...patch });
  const derived = q.kind === 'correct_label' || q.kind === 'correct_action';
  const options = q.options ?? [];
  const setOption = (index: number, patch: Partial<{ key: string; label: string; credit: number }>) =>
    set({ options: options.map((o, i) => (i === index ? { ...o, ...patch } : o)) });
  return (
    <Fieldset legend={name} variant="filled" aria-describedby={errorAt(path) ? `${path}-error` : undefined}>
      <Stack gap="xs">
        <Group justify="flex-end" gap={4} mt={-8}>
          <ActionIcon variant="subtle" color="gray" aria-label={`Move ${name} up`} disabled={first} onClick={() => onMove(-1)}>
            <IconArrowUp size={16} aria-hidden="true" />
          </ActionIcon>
          <ActionIcon variant="subtle" color="gray" aria-label={`Move ${name} down`} disabled={last} onClick={() => onMove(1)}>
            <IconArrowDown size={16} aria-hidden="true" />
          </ActionIcon>
          <ActionIcon variant="subtle" color="red" aria-label={`Remove ${name}`} onClick={onRemove}>
            <IconTrash size={16} aria-hidden="true" />
          </ActionIcon>
        </Group>
        {errorAt(path) && (
          <Text size="sm" c="red" id={`${path}-error`}>
            {errorAt(path)}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <TextInput label="Question text" value={q.text} onChange={(e) => set({ text: e.currentTarget.value })} error={errorAt(`${path}/text`)} required style={{ gridColumn: 'span 2' }} />
          <TextInput label="Key" description="Stable across versions" value={q.key} onChange={(e) => set({ key: e.currentTarget.value })} error={errorAt(`${path}/key`)} required />
          <Select
            label="Kind"
            data={QUESTION_KINDS.map((k) => ({ value: k, label: QUESTION_KIND_LABELS[k] }))}
            value={q.kind}
            onChange={(value) => value && onChange(withKind(q, value as QuestionKind))}
            error={errorAt(`${path}/kind`)}
            allowDeselect={false}
          />
          <NumberInput label="Weight" description="0 = not scored" min={0} max={100} value={q.weight} onChange={(v) => set({ weight: num(v) })} error={errorAt(`${path}/weight`)} />
          {derived ? (
            <Text size="sm" c="dimmed" pt="lg">
              Error type: {q.kind === 'correct_label' ? 'false positive / false negative / wrong policy, by direction' : ERROR_TYPE_LABELS.wrong_action}
            </Text>
          ) : (
            <Select
              label="Error type when failed"
              data={ERROR_TYPES.map((t) => ({ value: t, label: ERROR_TYPE_LABELS[t] }))}
              value={q.errorType ?? null}
              onChange={(value) => set({ errorType: (value as ErrorType | null) ?? undefined })}
              error={errorAt(`${path}/errorType`)}
              clearable
            />
          )}
        </SimpleGrid>
        <Group gap="lg">
          <Checkbox label="Critical (failing it fails the review)" checked={q.critical} onChange={(e) => set({ critical: e.currentTarget.checked })} error={errorAt(`${path}/critical`)} />
          {q.kind === 'yes_no' && (
            <Checkbox
              label="N/A allowed (not scored)"
              checked={q.allowNotApplicable ?? false}
              onChange={(e) => set({ allowNotApplicable: e.currentTarget.checked })}
              error={errorAt(`${path}/allowNotApplicable`)}
            />
          )}
          {q.kind === 'scale' && (
            <NumberInput
              label="Fails at or below"
              min={1}
              max={4}
              w={160}
              value={q.failAtOrBelow ?? 2}
              onChange={(v) => set({ failAtOrBelow: num(v, 2) })}
              error={errorAt(`${path}/failAtOrBelow`)}
            />
          )}
        </Group>
        <Textarea label="Guidance for reviewers" autosize minRows={1} value={q.help ?? ''} onChange={(e) => set({ help: e.currentTarget.value || undefined })} error={errorAt(`${path}/help`)} />
        {q.kind === 'choice' && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Options
            </Text>
            {errorAt(`${path}/options`) && (
              <Text size="sm" c="red">
                {errorAt(`${path}/options`)}
              </Text>
            )}
            {options.map((option, index) => {
              const oPath = `${path}/options/${index}`;
              const oName = `option ${index + 1} of ${name}`;
              return (
                <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
                  <TextInput label="Option label" aria-label={`Label of ${oName}`} value={option.label} onChange={(e) => setOption(index, { label: e.currentTarget.value })} error={errorAt(`${oPath}/label`)} style={{ flex: 2 }} />
                  <TextInput label="Option key" aria-label={`Key of ${oName}`} value={option.key} onChange={(e) => setOption(index, { key: e.currentTarget.value })} error={errorAt(`${oPath}/key`)} style={{ flex: 1 }} />
                  <NumberInput
                    label="Credit (0-1)"
                    aria-label={`Credit of ${oName}`}
                    min={0}
                    max={1}
                    step={0.25}
                    decimalScale={2}
                    value={option.credit}
                    onChange={(v) => setOption(index, { credit: num(v) })}
                    error={errorAt(`${oPath}/credit`)}
                    w={120}
                  />
                  <ActionIcon mt={26} variant="subtle" color="red" aria-label={`Remove ${oName}`} onClick={() => set({ options: options.filter((_, i) => i !== index) })}>
                    <IconTrash size={16} aria-hidden="true" />
                  </ActionIcon>
                </Group>
              );
            })}
            <Button
              size="xs"
              variant="subtle"
              w="fit-content"
              leftSection={<IconPlus size={14} aria-hidden="true" />}
              onClick={() => set({ options: [...options, { key: `option_${options.length + 1}`, label: '', credit: 0 }] })}
            >
              Add option to {name}
            </Button>
          </Stack>
        )}
      </Stack>
    </Fieldset>
  );
}
