import { useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Anchor, Code, Paper, SimpleGrid, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { isNotFound } from '../../api/client';
import { useDecisionContent, useDecisions, type DecisionDetail, type DecisionSummary } from '../../api/decisions';
import type { ListResponse } from '../../api/types';
import { useSeesAllVendors } from '../../auth/session';
import { DetailList, type DetailItem } from '../../components/DetailList';
import { PageHeader } from '../../components/PageHeader';
import { ScrollRegion } from '../../components/ScrollRegion';
import { ErrorState, NotFoundState } from '../../components/States';
import { formatDate, formatDateTime, formatTenure, humanize, languageName } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { ContentPanel } from './ContentPanel';
import {
  DateTimeWithOffset,
  LabelBadges,
  SampleBadge,
  SeverityBadge,
  TaskStatusBadge,
  formatDuration,
  formatProbability,
} from './decisionFormat';
import { prettyStratumKey } from '../sampling/planDescribe';
import { useNameOf } from '../sampling/useNameOf';
import { usePolicyLabels } from './usePolicyLabels';

/** The row the explorer already showed for this decision, if it is in the cache (no second, audited fetch). */
function useCachedSummary(id: string | undefined): DecisionSummary | undefined {
  const client = useQueryClient();
  return useMemo(() => {
    if (!id) return undefined;
    for (const [, data] of client.getQueriesData<ListResponse<DecisionSummary>>({ queryKey: ['decisions', 'list'] })) {
      const row = data?.items.find((d) => d.id === id);
      if (row) return row;
    }
    return undefined;
  }, [client, id]);
}

function factsOf(d: DecisionSummary, opts: { showVendor: boolean; labelInfo: ReturnType<typeof usePolicyLabels>['labelInfo']; now: Date }): DetailItem[] {
  const items: DetailItem[] = [
    { label: 'Decided', value: <DateTimeWithOffset value={d.decidedAt} /> },
    {
      label: 'Agent',
      value: (
        <Anchor component={Link} to={`/people/${d.agentId}`} size="sm">
          {d.agentName}
        </Anchor>
      ),
    },
    { label: 'Tenure then', value: formatTenure(d.tenureDays) },
    {
      label: 'Team',
      value: d.teamId ? (
        <Anchor component={Link} to={`/teams/${d.teamId}`} size="sm">
          {d.teamName}
        </Anchor>
      ) : (
        'No team'
      ),
    },
    {
      label: 'Site',
      value: (
        <Anchor component={Link} to={`/sites/${d.siteId}`} size="sm">
          {d.siteName}
        </Anchor>
      ),
    },
  ];
  if (opts.showVendor) {
    items.push({
      label: 'Vendor',
      value: (
        <Anchor component={Link} to={`/vendors/${d.vendorId}`} size="sm">
          {d.vendorName}
        </Anchor>
      ),
    });
  }
  items.push(
    {
      label: 'Workflow',
      value: (
        <Anchor component={Link} to={`/workflows/${d.workflowId}`} size="sm">
          {d.workflowName}
        </Anchor>
      ),
    },
    { label: 'Labels', value: <LabelBadges labels={d.labels} severity={d.severity} labelInfo={opts.labelInfo} /> },
    { label: 'Severity', value: <SeverityBadge severity={d.severity} /> },
    { label: 'Action', value: humanize(d.action) },
    { label: 'Handle time', value: formatDuration(d.handleTimeMs) },
    { label: 'Content', value: `${humanize(d.contentKind)}${d.contentLanguage ? ` · ${languageName(d.contentLanguage)}` : ''}` },
    { label: 'Model score', value: d.modelScore === null ? 'None' : d.modelScore.toFixed(3) },
    { label: 'Sampled for QA', value: <SampleBadge sample={d.sample} /> },
    {
      label: 'QA task',
      value: d.task ? (
        <Stack gap={2}>
          <TaskStatusBadge status={d.task.status} dueAt={d.task.dueAt} now={opts.now} />
          <Text size="xs" c="dimmed">
            Due {formatDateTime(d.task.dueAt)}
          </Text>
        </Stack>
      ) : (
        'None'
      ),
    },
    { label: 'Source', value: d.source },
    { label: 'External ID', value: <Code>{d.externalId}</Code> },
  );
  return items;
}

function PolicyVersionsTable({ detail }: { detail: DecisionDetail }) {
  if (detail.policyVersions.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No policy applies: the decision carries no label.
      </Text>
    );
  }
  return (
    <ScrollRegion label="Policy versions in force" minWidth={420}>
      <Table>
        <caption>
          <VisuallyHidden>Policy versions in force when the decision was made</VisuallyHidden>
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Policy</Table.Th>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Effective from</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {detail.policyVersions.map((v) => (
            <Table.Tr key={v.id}>
              <Table.Td>
                {v.policyName} <Code>{v.policyKey}</Code>
              </Table.Td>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v.effectiveFrom)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}

function SamplingFacts({ detail }: { detail: DecisionDetail }) {
  const nameOf = useNameOf(detail.workflowId);
  const s = detail.sampling;
  if (!s) {
    return (
      <Text size="sm" c="dimmed">
        No sampling plan was in force for this workflow when the decision was made.
      </Text>
    );
  }
  const items: DetailItem[] = [
    {
      label: 'Plan version',
      value:
        s.planVersion === null ? (
          'Unknown'
        ) : (
          <Anchor component={Link} to={`/sampling/${detail.workflowId}?version=${s.planVersion}`} size="sm">
            Version {s.planVersion}
          </Anchor>
        ),
    },
    {
      label: 'Stratum',
      value: s.stratumKey ? (
        <Tooltip label={s.stratumKey} multiline maw={360} style={{ overflowWrap: 'anywhere' }}>
          <span>{prettyStratumKey(s.stratumKey, nameOf)}</span>
        </Tooltip>
      ) : (
        '—'
      ),
    },
    { label: 'Design probability', value: s.p === null ? 'Set when the day closes (quota)' : `p = ${s.p.toPrecision(4)} (${formatProbability(s.p)})` },
    { label: 'Random draw', value: s.u === null ? '—' : `u = ${s.u.toFixed(6)}` },
    {
      label: 'Inclusion probability',
      value: detail.sample
        ? `π = ${detail.sample.inclusionProbability.toPrecision(4)} (${formatProbability(detail.sample.inclusionProbability)}); weight ${(1 / detail.sample.inclusionProbability).toFixed(1)}`
        : 'Not sampled',
    },
    {
      label: 'Selection',
      value: detail.sample
        ? humanize(detail.sample.method)
        : s.p !== null && s.u !== null && s.u >= s.p
          ? 'Not selected (u ≥ p)'
          : 'Not selected',
    },
  ];
  return <DetailList items={items} cols={3} />;
}

function MetadataList({ metadata }: { metadata: Record<string, unknown> }) {
  const entries = Object.entries(metadata ?? {});
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No metadata was sent.
      </Text>
    );
  }
  return (
    <DetailList
      cols={3}
      items={entries.map(([key, value]) => ({
        label: key,
        value: typeof value === 'object' && value !== null ? <Code>{JSON.stringify(value)}</Code> : String(value),
      }))}
    />
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export function DecisionDetailPage() {
  const { decisionId } = useParams();
  const now = useNow(60_000);
  const showVendor = useSeesAllVendors();
  const cached = useCachedSummary(decisionId);
  // Opened from a link (the overdue list, a bookmark): the summary, without content, is not audited.
  const listed = useDecisions({ id: decisionId, limit: 1 }, { enabled: !cached && Boolean(decisionId) });
  const [requested, setRequested] = useState(false);
  const detail = useDecisionContent(decisionId, requested);
  const summary: DecisionSummary | undefined = detail.data ?? cached ?? listed.data?.items[0];
  const { labelInfo } = usePolicyLabels(summary?.workflowId ?? null);

  if (isNotFound(detail.error)) return <NotFoundState what="decision" backTo="/decisions" backLabel="Back to decisions" />;

  return (
    <>
      <PageHeader
        title="Decision"
        documentTitle={summary ? `Decision ${summary.externalId}` : 'Decision'}
        eyebrow={summary ? `${summary.workflowName} · ${formatDate(summary.decidedAt)}` : undefined}
        crumbs={[{ label: 'Decisions', to: '/decisions' }]}
        badges={summary && <SeverityBadge severity={summary.severity} />}
        description={summary ? `${summary.agentName} · ${summary.externalId}` : 'Details, policy versions and sampling appear with the content.'}
      />
      <Stack gap="lg">
        {detail.isError && <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />}
        <ContentPanel
          severity={summary?.severity}
          content={detail.data?.content}
          loading={detail.isFetching}
          onShow={() => (requested ? void detail.refetch() : setRequested(true))}
        />
        {summary && (
          <Section id="decision-facts" title="The decision">
            <DetailList items={factsOf(summary, { showVendor, labelInfo, now })} cols={4} />
            {detail.data && (
              <Text size="xs" c="dimmed" mt="sm">
                Received by Assay {formatDateTime(detail.data.ingestedAt)}.
              </Text>
            )}
          </Section>
        )}
        {detail.data && (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Section id="decision-policies" title="Policy versions in force">
              <PolicyVersionsTable detail={detail.data} />
            </Section>
            <Section id="decision-sampling" title="Sampling">
              <SamplingFacts detail={detail.data} />
            </Section>
          </SimpleGrid>
        )}
        {detail.data && (
          <Section id="decision-metadata" title="Metadata">
            <MetadataList metadata={detail.data.metadata} />
          </Section>
        )}
      </Stack>
    </>
  );
}
