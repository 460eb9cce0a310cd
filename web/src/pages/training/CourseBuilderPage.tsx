import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Anchor, Badge, Button, Checkbox, Group, NumberInput, Paper, SegmentedControl, Stack, Switch, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { errorMessage, isNotFound } from '../../api/client';
import {
  percent,
  useAddAttachment,
  useAddCaseItem,
  useAddItem,
  useAddModule,
  useCourseVersion,
  useDeleteItem,
  useDeleteModule,
  useNewDraft,
  usePublish,
  useSetAssessment,
  useUpdateModule,
  type CourseModule,
  type CourseVersion,
} from '../../api/training';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../components/States';
import { formatDate } from '../../lib/format';
import { ExcerptsAndFiles, MarkdownView, TrainingLinks } from './trainingParts';
import { PolicyVersionPicker, ReviewedDecisionPicker } from './builderPickers';
import { ItemEditor } from './ItemEditor';
import { CoursePlacement } from './CoursePlacement';

function ErrorText({ error }: { error: unknown }) {
  return error ? (
    <Text c="red" size="sm" role="alert">
      {errorMessage(error)}
    </Text>
  ) : null;
}

/** A module: Markdown written with a live preview, optional policy excerpt. */
function ModuleForm({ version }: { version: CourseVersion }) {
  const add = useAddModule(version.id);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [policyVersionId, setPolicyVersionId] = useState(version.policyVersionIds[0] ?? '');
  const [quote, setQuote] = useState('');
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="add-module">
      <Title order={3} size="h5" id="add-module" mb="sm">
        Add a module
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate(
            { title, bodyMd: body, policyExcerpts: quote.trim() && policyVersionId ? [{ policyVersionId, quote }] : [] },
            { onSuccess: () => { setTitle(''); setBody(''); setQuote(''); } },
          );
        }}
      >
        <Stack gap="sm">
          <TextInput label="Module title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <Tabs defaultValue="write">
            <Tabs.List>
              <Tabs.Tab value="write">Write</Tabs.Tab>
              <Tabs.Tab value="preview">Preview</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="write" pt="xs">
              <Textarea label="Content (Markdown)" description="Headings, lists, links; HTML is shown as text." autosize minRows={6} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
            </Tabs.Panel>
            <Tabs.Panel value="preview" pt="xs">
              <Paper withBorder p="sm">{body.trim() ? <MarkdownView source={body} /> : <Text c="dimmed" size="sm">Nothing to preview yet.</Text>}</Paper>
            </Tabs.Panel>
          </Tabs>
          <Group align="flex-end" grow>
            <PolicyVersionPicker workflowId={version.workflowId} value={policyVersionId} onChange={setPolicyVersionId} />
            <TextInput label="Excerpt (quoted from that version)" value={quote} onChange={(e) => setQuote(e.currentTarget.value)} />
          </Group>
          <Group>
            <Button type="submit" loading={add.isPending} disabled={!title.trim()}>
              Add module
            </Button>
          </Group>
          <ErrorText error={add.error} />
        </Stack>
      </form>
    </Paper>
  );
}

/** Edits a draft module's title and Markdown in place, with a preview. */
function ModuleEditor({ module, onDone }: { module: CourseModule; onDone: () => void }) {
  const update = useUpdateModule();
  const [title, setTitle] = useState(module.title);
  const [body, setBody] = useState(module.bodyMd);
  return (
    <Stack gap="sm">
      <TextInput label="Module title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
      <Tabs defaultValue="write">
        <Tabs.List>
          <Tabs.Tab value="write">Write</Tabs.Tab>
          <Tabs.Tab value="preview">Preview</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="write" pt="xs">
          <Textarea label="Content (Markdown)" autosize minRows={6} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        </Tabs.Panel>
        <Tabs.Panel value="preview" pt="xs">
          <Paper withBorder p="sm">
            <MarkdownView source={body} />
          </Paper>
        </Tabs.Panel>
      </Tabs>
      <Group>
        <Button size="xs" loading={update.isPending} disabled={!title.trim()} onClick={() => update.mutate({ id: module.id, title, bodyMd: body }, { onSuccess: onDone })}>
          Save module
        </Button>
        <Button size="xs" variant="default" onClick={onDone}>
          Cancel
        </Button>
      </Group>
      <ErrorText error={update.error} />
    </Stack>
  );
}

function AttachmentInput({ moduleId }: { moduleId: string }) {
  const add = useAddAttachment();
  return (
    <Stack gap={4}>
      <label style={{ fontSize: 'var(--mantine-font-size-sm)' }}>
        Attach a file (PDF, image, text; up to 3 MiB){' '}
        <input
          type="file"
          accept="application/pdf,image/png,image/jpeg,image/gif,image/webp,text/plain,text/csv,text/markdown"
          onChange={async (event) => {
            const file = event.currentTarget.files?.[0];
            if (!file) return;
            const bytes = new Uint8Array(await file.arrayBuffer());
            let binary = '';
            for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
            add.mutate({ moduleId, fileName: file.name, contentType: file.type || 'application/octet-stream', contentBase64: btoa(binary) });
          }}
        />
      </label>
      <ErrorText error={add.error} />
    </Stack>
  );
}

function AssessmentSettingsForm({ version }: { version: CourseVersion }) {
  const set = useSetAssessment(version.id);
  const a = version.assessment;
  const [passMark, setPassMark] = useState<number>(Math.round((a?.passMark ?? 0.8) * 100));
  const [timeLimit, setTimeLimit] = useState<number | ''>(a?.timeLimitMinutes ?? 20);
  const [attempts, setAttempts] = useState<number | ''>(a?.attemptsAllowed ?? 3);
  const [formSize, setFormSize] = useState<number | ''>(a?.formSize ?? '');
  const [randomise, setRandomise] = useState(a?.randomiseItems ?? true);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        set.mutate({
          passMark: passMark / 100,
          timeLimitMinutes: timeLimit === '' ? null : timeLimit,
          attemptsAllowed: attempts === '' ? null : attempts,
          formSize: formSize === '' ? null : formSize,
          randomiseItems: randomise,
          randomiseOptions: randomise,
        });
      }}
    >
      <Group align="flex-end">
        <NumberInput label="Pass mark (%)" min={1} max={100} value={passMark} onChange={(v) => setPassMark(Number(v) || 80)} w={130} />
        <NumberInput label="Time limit (minutes)" min={1} max={600} value={timeLimit} onChange={(v) => setTimeLimit(v === '' ? '' : Number(v))} w={160} />
        <NumberInput label="Attempts allowed" min={1} max={20} value={attempts} onChange={(v) => setAttempts(v === '' ? '' : Number(v))} w={150} />
        <NumberInput label="Items per form (empty: all)" min={1} max={500} value={formSize} onChange={(v) => setFormSize(v === '' ? '' : Number(v))} w={190} />
        <Switch label="Randomise items and options" checked={randomise} onChange={(e) => setRandomise(e.currentTarget.checked)} />
        <Button type="submit" variant="default" loading={set.isPending}>
          Save assessment settings
        </Button>
      </Group>
      <ErrorText error={set.error} />
    </form>
  );
}

/** An item for the bank: options one per line, the correct ones ticked. */
function ItemForm({ version }: { version: CourseVersion }) {
  const add = useAddItem(version.id);
  const addCase = useAddCaseItem(version.id);
  const [kind, setKind] = useState<'single' | 'multiple' | 'true_false' | 'case'>('single');
  const [stem, setStem] = useState('');
  const [optionsText, setOptionsText] = useState('');
  const [correct, setCorrect] = useState<string[]>([]);
  const [trueIsCorrect, setTrueIsCorrect] = useState(true);
  const [decisionId, setDecisionId] = useState('');
  const options = optionsText.split('\n').map((t) => t.trim()).filter(Boolean).map((text, i) => ({ id: String.fromCharCode(97 + i), text }));
  const reset = () => { setStem(''); setOptionsText(''); setCorrect([]); setDecisionId(''); };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="add-item">
      <Title order={3} size="h5" id="add-item" mb="sm">
        Add an item
      </Title>
      <Stack gap="sm">
        <SegmentedControl
          aria-label="Item kind"
          value={kind}
          onChange={(v) => setKind(v as typeof kind)}
          data={[
            { value: 'single', label: 'Single choice' },
            { value: 'multiple', label: 'Multiple choice' },
            { value: 'true_false', label: 'True / false' },
            { value: 'case', label: 'Case from a decision' },
          ]}
          w="fit-content"
        />
        {kind === 'case' ? (
          <>
            <ReviewedDecisionPicker workflowId={version.workflowId} value={decisionId} onChange={setDecisionId} />
            <TextInput label="Question (optional)" value={stem} onChange={(e) => setStem(e.currentTarget.value)} />
            <Group>
              <Button loading={addCase.isPending} disabled={!decisionId.trim()} onClick={() => addCase.mutate({ decisionId: decisionId.trim(), stem: stem || undefined }, { onSuccess: reset })}>
                Add case item
              </Button>
            </Group>
            <ErrorText error={addCase.error} />
          </>
        ) : (
          <>
            <Textarea label="Question" required autosize minRows={2} value={stem} onChange={(e) => setStem(e.currentTarget.value)} />
            {kind === 'true_false' ? (
              <Switch label="The statement is true" checked={trueIsCorrect} onChange={(e) => setTrueIsCorrect(e.currentTarget.checked)} />
            ) : (
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
            <Group>
              <Button
                loading={add.isPending}
                disabled={!stem.trim()}
                onClick={() =>
                  add.mutate(
                    kind === 'true_false'
                      ? { kind, stem, correctOptionIds: [trueIsCorrect ? 'true' : 'false'] }
                      : { kind, stem, options, correctOptionIds: correct },
                    { onSuccess: reset },
                  )
                }
              >
                Add item
              </Button>
            </Group>
            <ErrorText error={add.error} />
          </>
        )}
      </Stack>
    </Paper>
  );
}

export function CourseBuilderPage() {
  const { id = '' } = useParams();
  const version = useCourseVersion(id);
  const publish = usePublish();
  const newDraft = useNewDraft();
  const deleteModule = useDeleteModule();
  const deleteItem = useDeleteItem();
  const [editing, setEditing] = useState<string | null>(null);
  const [editingItem, setEditingItem] = useState<string | null>(null);
  if (version.isPending) return <LoadingState />;
  if (isNotFound(version.error)) return <NotFoundState what="course version" backTo="/training/courses" backLabel="Go to Training" />;
  if (version.error) return <ErrorState error={version.error} onRetry={() => void version.refetch()} />;
  const v = version.data;
  const draft = v.status === 'draft';
  const draftVersion = v.versions.find((x) => x.status === 'draft');
  return (
    <>
      <PageHeader
        title={v.title}
        crumbs={[{ label: 'Training', to: '/training/courses' }]}
        badges={<Badge color={draft ? 'yellow' : v.status === 'published' ? 'green' : 'gray'}>{`Version ${v.version}: ${v.status}`}</Badge>}
        description={draft ? 'A draft: edit freely, then publish. Publishing freezes this version.' : `Published ${formatDate(v.publishedAt)}. Frozen: start a new draft to change it.`}
        actions={
          <Group gap="xs">
            {draft ? (
              <Button onClick={() => publish.mutate(v.id)} loading={publish.isPending}>
                Publish version {v.version}
              </Button>
            ) : draftVersion ? (
              <Button component={Link} to={`/training/versions/${draftVersion.id}`} variant="default">
                Open the draft (v{draftVersion.version})
              </Button>
            ) : (
              <Button variant="default" loading={newDraft.isPending} onClick={() => newDraft.mutate(v.courseId)}>
                Start a new draft
              </Button>
            )}
            {v.status === 'published' && (
              <Button component={Link} to={`/training/assign?courseId=${v.courseId}`}>
                Assign
              </Button>
            )}
          </Group>
        }
      />
      <TrainingLinks />
      <CoursePlacement courseId={v.courseId} workflowId={v.workflowId} />
      {(publish.error || newDraft.error) && (
        <Alert color="red" mb="md" title="Could not do that">
          {errorMessage(publish.error ?? newDraft.error)}
        </Alert>
      )}
      {newDraft.data && (
        <Alert color="blue" mb="md">
          Draft created. <Anchor component={Link} to={`/training/versions/${newDraft.data.id}`}>Open version {newDraft.data.version}</Anchor>
        </Alert>
      )}
      <Stack gap="lg">
        <section aria-labelledby="modules-heading">
          <Title order={2} size="h4" id="modules-heading" mb="sm">
            Modules ({v.modules.length})
          </Title>
          <Stack gap="sm">
            {v.modules.map((m) => (
              <Paper key={m.id} withBorder p="md" radius="md">
                <Group justify="space-between" mb="xs">
                  <Title order={3} size="h5">
                    {m.position + 1}. {m.title}
                  </Title>
                  {draft && (
                    <Group gap={4}>
                      <Button size="xs" variant="subtle" onClick={() => setEditing(m.id)}>
                        Edit module
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => deleteModule.mutate(m.id)}>
                        Remove module
                      </Button>
                    </Group>
                  )}
                </Group>
                {editing === m.id ? <ModuleEditor module={m} onDone={() => setEditing(null)} /> : <MarkdownView source={m.bodyMd} />}
                <ExcerptsAndFiles module={m} />
                {draft && <AttachmentInput moduleId={m.id} />}
              </Paper>
            ))}
            {draft && <ModuleForm version={v} />}
          </Stack>
        </section>
        <section aria-labelledby="assessment-heading">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4" id="assessment-heading">
              Assessment
            </Title>
            {v.assessment && v.status !== 'draft' && (
              <Anchor component={Link} to={`/training/assessments/${v.assessment.id}/analysis`} size="sm">
                Item analysis
              </Anchor>
            )}
          </Group>
          <Stack gap="sm">
            {v.assessment ? (
              <Text size="sm">
                Pass mark {percent(v.assessment.passMark)}; {v.assessment.timeLimitMinutes ? `${v.assessment.timeLimitMinutes} minutes` : 'no time limit'};{' '}
                {v.assessment.attemptsAllowed ? `${v.assessment.attemptsAllowed} attempts` : 'unlimited attempts'}; {v.assessment.formSize ?? 'all'} of {v.assessment.items.length} items per form
                {v.assessment.randomiseItems ? ', randomised' : ''}.
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                No assessment: the course completes when every required module has been read.
              </Text>
            )}
            {draft && <AssessmentSettingsForm version={v} />}
            {v.assessment?.items.map((item) => (
              <Paper key={item.id} withBorder p="sm" radius="md">
                {editingItem === item.id ? (
                  <ItemEditor item={item} onDone={() => setEditingItem(null)} />
                ) : (
                <Group justify="space-between" align="flex-start">
                  <Stack gap={4}>
                    <Text size="sm" fw={600}>
                      {item.position + 1}. {item.stem} <Badge size="xs" variant="light">{item.kind.replace('_', '/')}</Badge>
                    </Text>
                    {item.caseSnapshot && (
                      <Text size="xs" c="dimmed">
                        From decision {item.caseSnapshot.externalId} ({item.caseSnapshot.workflowName}, {item.caseSnapshot.severity ?? 'no'} severity); QA action: {item.caseSnapshot.knownAction}
                      </Text>
                    )}
                    <Text size="xs">
                      {item.options.map((o) => `${item.correctOptionIds.includes(o.id) ? '✓' : '○'} ${o.text}`).join('   ')}
                    </Text>
                  </Stack>
                  {draft && (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="subtle" onClick={() => setEditingItem(item.id)}>
                        Edit item
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => deleteItem.mutate(item.id)}>
                        Remove item
                      </Button>
                    </Group>
                  )}
                </Group>
                )}
              </Paper>
            ))}
            {draft && <ItemForm version={v} />}
          </Stack>
        </section>
      </Stack>
    </>
  );
}
