import { Suspense, lazy, useMemo, type MouseEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Group, Paper, Select, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import { useDecisions, useProductionDaily, DECISION_SEVERITIES } from '../../api/decisions';
import { useSeesAllVendors } from '../../auth/session';
import { SiteSelect, TeamSelect, VendorSelect, WorkflowSelect } from '../../components/EntityPickers';
import { EmptyMessage, ListTable } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { SearchInput } from '../../components/SearchInput';
import { ErrorState } from '../../components/States';
import { formatDate, formatNumber } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { useUrlFilters } from '../../lib/useUrlFilters';
import { AgentSelect } from './AgentSelect';
import { DecisionPagination } from './DecisionPagination';
import { SEVERITY_LABELS, formatDuration } from './decisionFormat';
import { decisionColumns } from './decisionColumns';
import classes from './Decisions.module.css';
import { usePolicyLabels } from './usePolicyLabels';

const ProductionChart = lazy(() => import('./ProductionChart'));

const FILTERS = ['q', 'workflowId', 'vendorId', 'siteId', 'teamId', 'agentId', 'label', 'severity', 'from', 'to', 'sampled'] as const;
const FILTER_WIDTH = { base: '100%', sm: 210 };
const SEVERITY_OPTIONS = DECISION_SEVERITIES.map((value) => ({ value, label: SEVERITY_LABELS[value] }));
const SAMPLED_OPTIONS = [
  { value: 'true', label: 'Sampled for QA' },
  { value: 'false', label: 'Not sampled' },
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Volume and AHT per day for the same workflow, organisation and dates as the table. */
function ProductionPanel({ params }: { params: Record<string, string | undefined> }) {
  const daily = useProductionDaily(params);
  const days = daily.data?.items ?? [];
  const total = days.reduce((sum, d) => sum + d.decisions, 0);
  const handle = days.reduce((sum, d) => sum + (d.ahtMs ?? 0) * d.decisions, 0);
  const aht = total > 0 ? handle / total : null;
  const first = days[0]?.day;
  const last = days[days.length - 1]?.day;
  const summary =
    days.length === 0
      ? 'No decisions in this period.'
      : `${formatNumber(total)} decisions from ${formatDate(first)} to ${formatDate(last)}, ${formatNumber(Math.round(total / days.length))} a day on average; average handle time ${formatDuration(aht)}.`;

  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby="production-heading">
      <Group justify="space-between" align="baseline" gap="xs" mb={4}>
        <Title order={2} size="h4" id="production-heading">
          Daily volume and handle time
        </Title>
        <Text size="xs" c="dimmed">
          Workflow, organisation and date filters apply; label, severity and sampling filters do not.
        </Text>
      </Group>
      {daily.isPending ? (
        <Skeleton h={220} />
      ) : daily.isError && !daily.data ? (
        <ErrorState error={daily.error} onRetry={() => void daily.refetch()} />
      ) : (
        <>
          <Text size="sm" c="dimmed" id="production-summary">
            {summary}
          </Text>
          {days.length > 0 && (
            <figure role="img" aria-label={`Chart of daily decisions and average handle time. ${summary}`} style={{ margin: 0 }}>
              <Suspense fallback={<Skeleton h={220} />}>
                <ProductionChart days={days} />
              </Suspense>
            </figure>
          )}
        </>
      )}
    </Paper>
  );
}

export function DecisionsPage() {
  const navigate = useNavigate();
  const now = useNow(60_000);
  const seesAllVendors = useSeesAllVendors();
  const { filters, setFilter, setFilters, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const apiQuery = useMemo(() => {
    const result: Record<string, string | number> = { ...query };
    // A half-typed date is not sent (the browser's date input yields '' until it is whole).
    for (const key of ['from', 'to'] as const) if (result[key] && !DATE.test(String(result[key]))) delete result[key];
    return result;
  }, [query]);
  const decisions = useDecisions(apiQuery);
  const { labelInfo, options: labelOptions } = usePolicyLabels(filters.workflowId || null);
  const filtered = FILTERS.some((key) => filters[key]);
  const dailyParams = useMemo(
    () => ({
      workflowId: filters.workflowId || undefined,
      vendorId: filters.vendorId || undefined,
      siteId: filters.siteId || undefined,
      teamId: filters.teamId || undefined,
      agentId: filters.agentId || undefined,
      from: DATE.test(filters.from) ? filters.from : undefined,
      to: DATE.test(filters.to) ? filters.to : undefined,
    }),
    [filters],
  );
  const columns = useMemo(
    () => decisionColumns({ showVendor: seesAllVendors, showWorkflow: !filters.workflowId, labelInfo, now }),
    [seesAllVendors, filters.workflowId, labelInfo, now],
  );

  // A click anywhere on a row opens it (the link in its first cell is the keyboard way in).
  const openRow = (event: MouseEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest('a, button, input, [role="button"]')) return;
    if (window.getSelection()?.toString()) return; // selecting text, not opening
    const link = target.closest('tr')?.querySelector<HTMLAnchorElement>('a[data-row-link]');
    const href = link?.getAttribute('href');
    if (href) navigate(href);
  };

  return (
    <>
      <PageHeader
        title="Decisions"
        description="Every decision the upstream tools sent, in your scope, newest first. Content stays hidden until you open a decision and ask for it; each view is recorded in the audit log."
      />
      <Stack gap="sm" mb="md">
        <Group align="flex-end" gap="sm">
          <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} label="External ID" placeholder="Exact ID" />
          <WorkflowSelect
            label="Workflow"
            placeholder="All workflows"
            clearable
            value={filters.workflowId || null}
            onChange={(v) => setFilters({ workflowId: v, label: null })}
            w={FILTER_WIDTH}
          />
          {seesAllVendors && (
            <VendorSelect
              label="Vendor"
              placeholder="All vendors"
              clearable
              value={filters.vendorId || null}
              onChange={(v) => setFilters({ vendorId: v, siteId: null, teamId: null, agentId: null })}
              w={FILTER_WIDTH}
            />
          )}
          <SiteSelect
            label="Site"
            placeholder="All sites"
            clearable
            vendorId={filters.vendorId || null}
            value={filters.siteId || null}
            onChange={(v) => setFilters({ siteId: v, teamId: null, agentId: null })}
            w={FILTER_WIDTH}
          />
          <TeamSelect
            label="Team"
            placeholder="All teams"
            clearable
            vendorId={filters.vendorId || null}
            siteId={filters.siteId || null}
            value={filters.teamId || null}
            onChange={(v) => setFilters({ teamId: v, agentId: null })}
            w={FILTER_WIDTH}
          />
        </Group>
        <Group align="flex-end" gap="sm">
          <AgentSelect
            label="Agent"
            placeholder="Any agent"
            clearable
            vendorId={filters.vendorId || null}
            siteId={filters.siteId || null}
            teamId={filters.teamId || null}
            value={filters.agentId || null}
            onChange={(v) => setFilter('agentId', v)}
            w={{ base: '100%', sm: 220 }}
          />
          <Select
            label="Label"
            placeholder="Any label"
            searchable
            clearable
            data={labelOptions}
            value={filters.label || null}
            onChange={(v) => setFilter('label', v)}
            nothingFoundMessage="No labels"
            w={{ base: '100%', sm: 220 }}
          />
          <Select
            label="Severity"
            placeholder="Any severity"
            clearable
            data={SEVERITY_OPTIONS}
            value={filters.severity || null}
            onChange={(v) => setFilter('severity', v)}
            w={{ base: '100%', sm: 150 }}
          />
          <TextInput
            type="date"
            label="From"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(event) => setFilter('from', event.currentTarget.value || null)}
            w={{ base: '100%', sm: 150 }}
          />
          <TextInput
            type="date"
            label="To"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(event) => setFilter('to', event.currentTarget.value || null)}
            w={{ base: '100%', sm: 150 }}
          />
          <Select
            label="Sampled"
            placeholder="Sampled or not"
            clearable
            data={SAMPLED_OPTIONS}
            value={filters.sampled || null}
            onChange={(v) => setFilter('sampled', v)}
            w={{ base: '100%', sm: 160 }}
          />
        </Group>
        <Group gap="sm">
          <Text size="xs" c="dimmed">
            From and To are UTC calendar days, both included.
          </Text>
          {filtered && (
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconFilterOff size={14} aria-hidden="true" />}
              onClick={() => setFilters(Object.fromEntries(FILTERS.map((key) => [key, null])))}
            >
              Clear filters
            </Button>
          )}
        </Group>
      </Stack>
      <ProductionPanel params={dailyParams} />
      <div onClick={openRow} className={classes.clickableRows}>
        <ListTable
          caption="Decisions"
          columns={columns}
          rows={decisions.data?.items}
          rowKey={(d) => d.id}
          isPending={decisions.isPending}
          isFetching={decisions.isPlaceholderData}
          error={decisions.error}
          onRetry={() => void decisions.refetch()}
          minWidth={1100}
          empty={
            <EmptyMessage
              title={filtered ? 'No decisions match these filters' : 'No decisions yet'}
              description={filtered ? undefined : 'Decisions arrive from the upstream moderation and support tools through the ingestion API.'}
            />
          }
          footer={
            <DecisionPagination total={decisions.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} />
          }
        />
      </div>
    </>
  );
}
