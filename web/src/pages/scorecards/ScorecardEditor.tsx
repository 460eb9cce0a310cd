import { useMemo, useState } from 'react';
import { ActionIcon, Alert, Button, Checkbox, Group, List, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconCheck, IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../../api/client';
import {
  useDiscardScorecardDraft,
  usePublishScorecardDraft,
  useSaveScorecardDraft,
  type Question,
  type ScorecardDefinition,
  type ScorecardVersion,
  type Section,
} from '../../api/scorecards';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { QuestionEditor, withKind } from './QuestionEditor';

interface Issue {
  path: string;
  message: string;
}

function move<T>(list: T[], index: number, delta: -1 | 1): T[] {
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(index + delta, 0, item!);
  return next;
}

/** Edits a draft: name, pass mark, comment rule, sections and questions, root causes; saves, publishes, discards. */
export function ScorecardEditor({ draft, onDone }: { draft: ScorecardVersion; onDone: (publishedId: string | null) => void }) {
  const [name, setName] = useState(draft.name);
  const [definition, setDefinition] = useState<ScorecardDefinition>(() => structuredClone(draft.definition));
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirm, setConfirm] = useState<'publish' | 'discard' | null>(null);
  const save = useSaveScorecardDraft();
  const publish = usePublishScorecardDraft();
  const discard = useDiscardScorecardDraft();

  const byPath = useMemo(() => new Map(issues.map((i) => [i.path, i.message])), [issues]);
  const errorAt = (path: string) => byPath.get(path);
  const shownPaths = (path: string) => path === '/name' || path === '/definition/passMark' || path === '/definition/commentRequiredOnFail' || /^\/definition\/(sections|rootCauses)\/\d+/.test(path);
  const unplaced = issues.filter((i) => !shownPaths(i.path));

  const change = (next: ScorecardDefinition) => {
    setDefinition(next);
    setDirty(true);
    setSaved(false);
  };
  const setSection = (s: number, patch: Partial<Section>) => change({ ...definition, sections: definition.sections.map((x, i) => (i === s ? { ...x, ...patch } : x)) });
  const setQuestions = (s: number, questions: Question[]) => setSection(s, { questions });

  const fail = (error: unknown) => {
    if (isApiError(error) && error.details.length > 0) {
      setIssues(error.details.map((d) => ({ path: d.path, message: d.message })));
      setFormError(`${error.message} (${error.details.length} ${error.details.length === 1 ? 'problem' : 'problems'})`);
    } else {
      setIssues([]);
      setFormError(errorMessage(error));
    }
  };

  const saveDraft = async (): Promise<boolean> => {
    try {
      await save.mutateAsync({ id: draft.id, body: { name, definition } });
      setIssues([]);
      setFormError(null);
      setDirty(false);
      setSaved(true);
      return true;
    } catch (error) {
      fail(error);
      return false;
    }
  };

  const publishDraft = async () => {
    // Unsaved edits are saved first, so what is published is what is on screen.
    if (dirty && !(await saveDraft())) return setConfirm(null);
    try {
      const version = await publish.mutateAsync(draft.id);
      setConfirm(null);
      onDone(version.id);
    } catch (error) {
      setConfirm(null);
      fail(error);
    }
  };

  const sectionCount = definition.sections.length;
  return (
    <Stack gap="md" component="form" onSubmit={(e) => { e.preventDefault(); void saveDraft(); }} aria-label={`Draft version ${draft.version}`}>
      {formError && (
        <Alert color="red" title="The draft was not saved" role="alert">
          {formError}
          {unplaced.length > 0 && (
            <List size="sm" mt="xs">
              {unplaced.map((i) => (
                <List.Item key={`${i.path}:${i.message}`}>
                  {i.path}: {i.message}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      {saved && !dirty && (
        <Alert color="green" icon={<IconCheck aria-hidden="true" />} role="status">
          Draft saved.
        </Alert>
      )}
      <Group align="flex-start" gap="md">
        <TextInput label="Scorecard name" value={name} onChange={(e) => { setName(e.currentTarget.value); setDirty(true); setSaved(false); }} error={errorAt('/name')} required style={{ flex: 1 }} />
        <NumberInput
          label="Pass mark"
          description="0-100"
          min={0}
          max={100}
          w={140}
          value={definition.passMark}
          onChange={(v) => change({ ...definition, passMark: typeof v === 'number' ? v : Number(v) })}
          error={errorAt('/definition/passMark')}
        />
      </Group>
      <Checkbox
        label="A failed question needs a comment"
        checked={definition.commentRequiredOnFail}
        onChange={(e) => change({ ...definition, commentRequiredOnFail: e.currentTarget.checked })}
        error={errorAt('/definition/commentRequiredOnFail')}
      />

      {definition.sections.map((section, s) => {
        const sPath = `/definition/sections/${s}`;
        const sName = `Section ${s + 1}`;
        return (
          <Paper key={s} withBorder p="md" component="section" aria-label={`${sName}: ${section.title || 'untitled'}`}>
            <Stack gap="sm">
              <Group justify="space-between" align="flex-start">
                <Title order={3} size="h5">
                  {sName}
                </Title>
                <Group gap={4}>
                  <ActionIcon variant="subtle" color="gray" aria-label={`Move ${sName} up`} disabled={s === 0} onClick={() => change({ ...definition, sections: move(definition.sections, s, -1) })}>
                    <IconArrowUp size={16} aria-hidden="true" />
                  </ActionIcon>
                  <ActionIcon variant="subtle" color="gray" aria-label={`Move ${sName} down`} disabled={s === sectionCount - 1} onClick={() => change({ ...definition, sections: move(definition.sections, s, 1) })}>
                    <IconArrowDown size={16} aria-hidden="true" />
                  </ActionIcon>
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove ${sName}`} onClick={() => change({ ...definition, sections: definition.sections.filter((_, i) => i !== s) })}>
                    <IconTrash size={16} aria-hidden="true" />
                  </ActionIcon>
                </Group>
              </Group>
              {errorAt(sPath) && <Text size="sm" c="red">{errorAt(sPath)}</Text>}
              <Group align="flex-start" gap="sm">
                <TextInput label={`${sName} title`} value={section.title} onChange={(e) => setSection(s, { title: e.currentTarget.value })} error={errorAt(`${sPath}/title`)} required style={{ flex: 2 }} />
                <TextInput label={`${sName} key`} value={section.key} onChange={(e) => setSection(s, { key: e.currentTarget.value })} error={errorAt(`${sPath}/key`)} required style={{ flex: 1 }} />
              </Group>
              {errorAt(`${sPath}/questions`) && <Text size="sm" c="red">{errorAt(`${sPath}/questions`)}</Text>}
              {section.questions.map((question, q) => (
                <QuestionEditor
                  key={q}
                  question={question}
                  path={`${sPath}/questions/${q}`}
                  name={`Question ${s + 1}.${q + 1}`}
                  first={q === 0}
                  last={q === section.questions.length - 1}
                  errorAt={errorAt}
                  onChange={(next) => setQuestions(s, section.questions.map((x, i) => (i === q ? next : x)))}
                  onMove={(delta) => setQuestions(s, move(section.questions, q, delta))}
                  onRemove={() => setQuestions(s, section.questions.filter((_, i) => i !== q))}
                />
              ))}
              <Button
                variant="light"
                size="xs"
                w="fit-content"
                leftSection={<IconPlus size={14} aria-hidden="true" />}
                onClick={() =>
                  setQuestions(s, [...section.questions, withKind({ key: `question_${s + 1}_${section.questions.length + 1}`, text: '', kind: 'yes_no', weight: 10, critical: false }, 'yes_no')])
                }
              >
                Add a question to {sName}
              </Button>
            </Stack>
          </Paper>
        );
      })}
      {errorAt('/definition/sections') && <Text size="sm" c="red" role="alert">{errorAt('/definition/sections')}</Text>}
      <Button
        variant="default"
        w="fit-content"
        leftSection={<IconPlus size={16} aria-hidden="true" />}
        onClick={() => change({ ...definition, sections: [...definition.sections, { key: `section_${sectionCount + 1}`, title: '', questions: [] }] })}
      >
        Add a section
      </Button>

      <Paper withBorder p="md" component="section" aria-labelledby="root-causes-heading">
        <Stack gap="xs">
          <Title order={3} size="h5" id="root-causes-heading">
            Root-cause categories
          </Title>
          <Text size="sm" c="dimmed">
            Offered when a question fails: why the error happened.
          </Text>
          {errorAt('/definition/rootCauses') && <Text size="sm" c="red">{errorAt('/definition/rootCauses')}</Text>}
          {definition.rootCauses.map((cause, r) => {
            const rPath = `/definition/rootCauses/${r}`;
            const setCause = (patch: Partial<typeof cause>) => change({ ...definition, rootCauses: definition.rootCauses.map((x, i) => (i === r ? { ...x, ...patch } : x)) });
            return (
              <Group key={r} gap="xs" align="flex-start" wrap="nowrap">
                <TextInput label={`Root cause ${r + 1} label`} value={cause.label} onChange={(e) => setCause({ label: e.currentTarget.value })} error={errorAt(`${rPath}/label`)} style={{ flex: 2 }} />
                <TextInput label={`Root cause ${r + 1} key`} value={cause.key} onChange={(e) => setCause({ key: e.currentTarget.value })} error={errorAt(`${rPath}/key`)} style={{ flex: 1 }} />
                <ActionIcon mt={26} variant="subtle" color="red" aria-label={`Remove root cause ${r + 1}`} onClick={() => change({ ...definition, rootCauses: definition.rootCauses.filter((_, i) => i !== r) })}>
                  <IconTrash size={16} aria-hidden="true" />
                </ActionIcon>
              </Group>
            );
          })}
          <Button
            size="xs"
            variant="light"
            w="fit-content"
            leftSection={<IconPlus size={14} aria-hidden="true" />}
            onClick={() => change({ ...definition, rootCauses: [...definition.rootCauses, { key: `cause_${definition.rootCauses.length + 1}`, label: '' }] })}
          >
            Add a root cause
          </Button>
        </Stack>
      </Paper>

      <Group gap="sm">
        <Button type="submit" loading={save.isPending} leftSection={<IconDeviceFloppy size={16} aria-hidden="true" />}>
          Save draft
        </Button>
        <Button color="green" onClick={() => setConfirm('publish')} leftSection={<IconCheck size={16} aria-hidden="true" />}>
          Publish…
        </Button>
        <Button color="red" variant="subtle" onClick={() => setConfirm('discard')}>
          Discard draft…
        </Button>
      </Group>

      <ConfirmDialog
        opened={confirm === 'publish'}
        title={`Publish version ${draft.version}?`}
        confirmLabel="Publish"
        confirmColor="green"
        loading={save.isPending || publish.isPending}
        onConfirm={() => void publishDraft()}
        onCancel={() => setConfirm(null)}
      >
        New reviews of {draft.workflowName} will use this version{dirty ? ' (your unsaved changes are saved first)' : ''}. The version published now is retired;
        reviews already scored keep their version. A published version can never change: later edits make a new version.
      </ConfirmDialog>
      <ConfirmDialog
        opened={confirm === 'discard'}
        title={`Discard draft version ${draft.version}?`}
        confirmLabel="Discard"
        loading={discard.isPending}
        onConfirm={() =>
          void discard.mutateAsync(draft.id).then(
            () => { setConfirm(null); onDone(null); },
            (error: unknown) => { setConfirm(null); fail(error); },
          )
        }
        onCancel={() => setConfirm(null)}
      >
        The draft and its changes are deleted. The published version stays as it is.
      </ConfirmDialog>
    </Stack>
  );
}
