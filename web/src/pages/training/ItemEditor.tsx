/**
 * Edits an item of a draft in place. Choice items change their question,
 * options, key, explanation and points; a true/false item its statement and
 * key; a case item only its question, explanation and points (its options and
 * key come from the decision's QA verdict). The server refuses published
 * versions.
 */
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, NumberInput, Stack, Switch, Textarea } from '@mantine/core';
import { errorMessage } from '../../api/client';
import { useUpdateItem, type BankItem } from '../../api/training';

export function ItemEditor({ item, onDone }: { item: BankItem; onDone: () => void }) {
  const update = useUpdateItem();
  const [stem, setStem] = useState(item.stem);
  const [optionsText, setOptionsText] = useState(item.options.map((o) => o.text).join('\n'));
  const [correct, setCorrect] = useState<string[]>(item.correctOptionIds);
  const [trueIsCorrect, setTrueIsCorrect] = useState(item.correctOptionIds.includes('true'));
  const [explanation, setExplanation] = useState(item.explanation);
  const [points, setPoints] = useState<number>(item.points);
  const options = optionsText.split('\n').map((t) => t.trim()).filter(Boolean).map((text, i) => ({ id: String.fromCharCode(97 + i), text }));
  const save = () => {
    const common = { id: item.id, stem, explanation, points };
    if (item.kind === 'case') update.mutate({ ...common, correctOptionIds: item.correctOptionIds }, { onSuccess: onDone });
    else if (item.kind === 'true_false') update.mutate({ ...common, correctOptionIds: [trueIsCorrect ? 'true' : 'false'] }, { onSuccess: onDone });
    else update.mutate({ ...common, options, correctOptionIds: correct.filter((id) => options.some((o) => o.id === id)) }, { onSuccess: onDone });
  };
  return (
    <Stack gap="sm" w="100%" component="section" aria-label={`Edit item ${item.position + 1}`}>
      <Textarea label={item.kind === 'true_false' ? 'Statement' : 'Question'} required autosize minRows={2} value={stem} onChange={(e) => setStem(e.currentTarget.value)} />
      {item.kind === 'true_false' && <Switch label="The statement is true" checked={trueIsCorrect} onChange={(e) => setTrueIsCorrect(e.currentTarget.checked)} />}
      {(item.kind === 'single' || item.kind === 'multiple') && (
        <>
          <Textarea label="Options, one per line" autosize minRows={3} value={optionsText} onChange={(e) => setOptionsText(e.currentTarget.value)} />
          {options.length > 0 && (
            <Checkbox.Group label="Correct answer(s)" value={correct} onChange={setCorrect}>
              <Group mt={4}>
                {options.map((o) => (
                  <Checkbox key={o.id} value={o.id} label={o.text} />
                ))}
              </Group>
            </Checkbox.Group>
          )}
        </>
      )}
      <Group align="flex-end" grow>
        <Textarea label="Explanation (shown after submission)" autosize minRows={1} value={explanation} onChange={(e) => setExplanation(e.currentTarget.value)} />
        <NumberInput label="Points" min={0.5} max={100} step={0.5} value={points} onChange={(v) => setPoints(typeof v === 'number' ? v : Number(v) || 1)} maw={140} />
      </Group>
      <Group>
        <Button size="xs" loading={update.isPending} disabled={!stem.trim()} onClick={save}>
          Save item
        </Button>
        <Button size="xs" variant="default" onClick={onDone}>
          Cancel
        </Button>
      </Group>
      {update.error ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(update.error)}
        </Alert>
      ) : null}
    </Stack>
  );
}
