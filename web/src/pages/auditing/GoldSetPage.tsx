import { useMemo, useState } from 'react';
import { Badge, Button, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Table, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  useAuditingSettings,
  useCreateGoldItem,
  useGoldItems,
  useInjectGold,
  useRetireGoldItem,
  useUpdateAuditingSettings,
  type AuditingSettings,
  type GoldItem,
} from '../../api/auditing';
import { errorMessage } from '../../api/client';
import { useActions } from '../../api/policy';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { WorkflowSelect } from '../../components/EntityPickers';
import { FormErrorAlert } from '../../components/FormErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ScrollRegion } from '../../components/ScrollRegion';
import { EmptyMessage, ErrorState, LoadingState } from '../../components/States';
import { formatDate } from '../../lib/format';
import { useServerErrors } from '../../lib/serverErrors';

interface GoldFormValues {
  source: 'decision' | 'entered';
  sourceDecisionId: string;
  contentKind: string;
  contentText: string;
  contentLanguage: string;
  severity: string | null;
  labels: string[];
  action: string | null;
  rationale: string;
}

function NewGoldItemForm({ workflowId }: { workflowId: string }) {
  const create = useCreateGoldItem();
  const actions = useActions({ limit: 500 });
  const actionOptions = useMemo(() => (actions.data?.items ?? []).filter((a) => a.status === 'active').map((a) => ({ value: a.key, label: a.name })), [actions.data]);
  const form = useForm<GoldFormValues>({
    initialValues: { source: 'decision', sourceDecisionId: '', contentKind: 'comment', contentText: '', contentLanguage: '', severity: null, labels: [], action: null, rationale: '' },
    validate: {
      sourceDecisionId: (v, values) => (values.source === 'decision' && !/^[0-9a-f-]{36}$/i.test(v.trim()) ? 'Paste the decision id (from its page).' : null),
      contentText: (v, values) => (values.source === 'entered' && v.trim() === '' ? 'Give the content.' : null),
      action: (v) => (v ? null : 'Pick the expert action.'),
    },
  });
  const { formError, handleError, clear } = useServerErrors(form, { content: 'contentText', 'content.text': 'contentText', 'content.kind': 'contentKind' });
  const submit = form.onSubmit((values) => {
    clear();
    create.mutate(
      {
        workflowId,
        ...(values.source === 'decision'
          ? { sourceDecisionId: values.sourceDecisionId.trim() }
          : { content: { kind: values.contentKind.trim(), text: values.contentText.trim(), language: values.contentLanguage.trim() || null } }),
        severity: values.severity,
        labels: values.labels,
        action: values.action!,
        rationale: values.rationale,
      },
      { onSuccess: () => form.reset(), onError: handleError },
    );
  });
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="new-gold">
      <Title order={2} size="h4" id="new-gold" mb="sm">
        Add a gold item
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SegmentedControl
            aria-label="Made from"
            w="fit-content"
            data={[
              { value: 'decision', label: 'From a decided item' },
              { value: 'entered', label: 'Entered content' },
            ]}
            {...form.getInputProps('source')}
          />
          {form.values.source === 'decision' ? (
            <TextInput label="Decision id" description="Content, severity and policy versions are copied from the decision." {...form.getInputProps('sourceDecisionId')} />
          ) : (
            <>
              <Group grow>
                <TextInput label="Content kind" {...form.getInputProps('contentKind')} />
                <TextInput label="Language (BCP 47)" placeholder="en" {...form.getInputProps('contentLanguage')} />
              </Group>
              <Textarea label="Content" autosize minRows={3} {...form.getInputProps('contentText')} />
            </>
          )}
          <Group grow align="flex-start">
            <TagsInput label="Expert labels" description="Label keys of the workflow's policies; none when it does not violate." {...form.getInputProps('labels')} />
            <Select label="Expert action" data={actionOptions} searchable {...form.getInputProps('action')} />
            <Select
              label="Severity"
              clearable
              placeholder={form.values.source === 'decision' ? "The decision's" : 'None'}
              data={['critical', 'high', 'medium', 'low']}
              {...form.getInputProps('severity')}
            />
          </Group>
          <Textarea label="Rationale" description="Why this is the answer: shown to QA leads, never to the people measured." autosize minRows={2} {...form.getInputProps('rationale')} />
          <FormErrorAlert error={formError} />
          <Group>
            <Button type="submit" loading={create.isPending}>
              Add to the gold set
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function InjectionRate({ setting }: { setting: AuditingSettings | undefined }) {
  const update = useUpdateAuditingSettings();
  const inject = useInjectGold();
  const [rate, setRate] = useState<number | string>(setting ? Math.round(setting.goldRate * 1000) / 10 : 0);
  if (!setting) return null;
  const made = inject.data?.workflows.find((w) => w.workflowId === setting.workflowId)?.tasks;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="injection">
      <Title order={2} size="h4" id="injection" mb="xs">
        Injection into reviewers' queues
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Each reviewer gets on average this many gold tasks per 100 ordinary ones, on items made from sampled decisions they may review and have never
        seen. Gold tasks look exactly like ordinary ones and never count in agents' quality figures.
      </Text>
      <Group align="flex-end" gap="sm">
        <NumberInput label="Gold tasks per 100 ordinary tasks" min={0} max={20} step={0.5} decimalScale={1} value={rate} onChange={setRate} w={240} />
        <Button variant="default" loading={update.isPending} disabled={Number(rate) / 100 === setting.goldRate} onClick={() => update.mutate({ workflowId: setting.workflowId, goldRate: Number(rate) / 100 })}>
          Save rate
        </Button>
        <Button variant="light" loading={inject.isPending} onClick={() => inject.mutate(setting.workflowId)}>
          Inject today's gold tasks
        </Button>
        {made !== undefined && (
          <Text size="sm" role="status">
            {made} gold task{made === 1 ? '' : 's'} added.
          </Text>
        )}
        {(update.error ?? inject.error) && (
          <Text size="sm" c="red" role="alert">
            {errorMessage(update.error ?? inject.error)}
          </Text>
        )}
      </Group>
    </Paper>
  );
}

function GoldRow({ item, onRetire }: { item: GoldItem; onRetire: (item: GoldItem) => void }) {
  const text = item.content.text ?? item.content.url ?? '';
  return (
    <Table.Tr>
      <Table.Td maw={360}>
        <Text size="sm" lineClamp={2}>
          {text}
        </Text>
        <Text size="xs" c="dimmed">
          {item.sourceDecisionId ? 'From a decision' : 'Entered'} · {item.content.kind}
          {item.severity ? ` · ${item.severity}` : ''} · added {formatDate(item.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{item.expert.labels.length > 0 ? item.expert.labels.join(', ') : 'No violation'}</Text>
        <Text size="xs" c="dimmed">
          {item.expert.action}
        </Text>
      </Table.Td>
      <Table.Td maw={260}>
        <Text size="xs" lineClamp={3}>
          {item.expert.rationale || '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        {item.usage ? `${item.usage.reviewerCorrect}/${item.usage.reviewerAnswers}` : '—'}
        {item.usage && item.usage.openTasks > 0 && (
          <Text size="xs" c="dimmed">
            {item.usage.openTasks} open
          </Text>
        )}
      </Table.Td>
      <Table.Td>{item.usage ? `${item.usage.agentCorrect}/${item.usage.agentAnswers}` : '—'}</Table.Td>
      <Table.Td>
        {item.status === 'active' ? (
          <Button size="xs" variant="subtle" color="red" onClick={() => onRetire(item)} aria-label={`Retire gold item: ${text.slice(0, 40)}`}>
            Retire
          </Button>
        ) : (
          <Badge color="gray" variant="light">
            Retired
          </Badge>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** The gold set: items with an expert answer, how reviewers and agents answered them, the injection rate. */
export function GoldSetPage() {
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [status, setStatus] = useState<'active' | 'retired'>('active');
  const [retiring, setRetiring] = useState<GoldItem | null>(null);
  const items = useGoldItems(workflowId, status);
  const settings = useAuditingSettings();
  const retire = useRetireGoldItem();
  const setting = settings.data?.items.find((s) => s.workflowId === workflowId);
  return (
    <>
      <PageHeader
        title="Gold set"
        description="Items with an expert answer, slipped unannounced into QA reviewers' queues and (through the feed) agents' queues to measure accuracy without QA labour. Only internal QA sees this page."
      />
      <Stack gap="lg">
        <Group align="flex-end" gap="md">
          <WorkflowSelect label="Workflow" placeholder="All workflows" clearable value={workflowId} onChange={setWorkflowId} w={280} />
          <SegmentedControl
            aria-label="Status"
            value={status}
            onChange={(v) => setStatus(v as typeof status)}
            data={[
              { value: 'active', label: 'Active' },
              { value: 'retired', label: 'Retired' },
            ]}
          />
        </Group>
        {items.isPending ? (
          <LoadingState label="Loading the gold set" />
        ) : items.error ? (
          <ErrorState error={items.error} onRetry={() => void items.refetch()} />
        ) : items.data.items.length === 0 ? (
          <EmptyMessage title={status === 'active' ? 'No active gold items' : 'No retired gold items'} description="Add items from decided cases or enter them below." />
        ) : (
          <Paper withBorder radius="md">
            <ScrollRegion label="Gold items" minWidth={980}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Content</Table.Th>
                    <Table.Th scope="col">Expert answer</Table.Th>
                    <Table.Th scope="col">Rationale</Table.Th>
                    <Table.Th scope="col">Reviewers right</Table.Th>
                    <Table.Th scope="col">Agents right</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.data.items.map((item) => (
                    <GoldRow key={item.id} item={item} onRetire={setRetiring} />
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
          </Paper>
        )}
        {workflowId ? (
          <>
            <InjectionRate key={workflowId} setting={setting} />
            <NewGoldItemForm workflowId={workflowId} />
          </>
        ) : (
          <Text size="sm" c="dimmed">
            Pick a workflow to add gold items and set its injection rate.
          </Text>
        )}
      </Stack>
      <ConfirmDialog
        opened={retiring !== null}
        title="Retire this gold item?"
        confirmLabel="Retire"
        loading={retire.isPending}
        onCancel={() => setRetiring(null)}
        onConfirm={() => retiring && retire.mutate(retiring.id, { onSuccess: () => setRetiring(null) })}
      >
        No new tasks or feed items will use it. Answers already given keep counting in reviewer accuracy.
      </ConfirmDialog>
    </>
  );
}
