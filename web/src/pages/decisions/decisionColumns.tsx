import { Link } from 'react-router-dom';
import { Anchor, Badge, Box, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import type { DecisionSummary } from '../../api/decisions';
import type { Column } from '../../components/ListTable';
import { formatTenure, humanize, languageName } from '../../lib/format';
import { DateTimeWithOffset, LabelBadges, SampleBadge, TaskStatusBadge, formatDuration, type LabelInfo } from './decisionFormat';

interface Options {
  showVendor: boolean;
  showWorkflow: boolean;
  labelInfo: Map<string, LabelInfo>;
  now: Date;
}

export function decisionColumns({ showVendor, showWorkflow, labelInfo, now }: Options): Column<DecisionSummary>[] {
  const columns: Column<DecisionSummary>[] = [
    {
      key: 'decidedAt',
      header: 'Decided',
      render: (d) => (
        <div>
          {/* The row's link: the whole row is clickable, this is its keyboard and screen-reader entry. */}
          <Anchor component={Link} to={`/decisions/${d.id}`} fw={500} data-row-link size="sm" style={{ whiteSpace: 'nowrap' }}>
            <VisuallyHidden>Decision </VisuallyHidden>
            <DateTimeWithOffset value={d.decidedAt} />
          </Anchor>
          <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            <VisuallyHidden>External ID: </VisuallyHidden>
            {d.externalId}
          </Text>
        </div>
      ),
    },
    {
      key: 'agent',
      header: 'Agent',
      render: (d) => (
        <Box miw={170}>
          <Tooltip label={`Tenure when deciding: ${formatTenure(d.tenureDays)}`}>
            <Text size="sm" span>
              {d.agentName}
            </Text>
          </Tooltip>
          <Text size="xs" c="dimmed">
            {d.teamName && (
              <>
                <VisuallyHidden>Team: </VisuallyHidden>
                {d.teamName}
                {' · '}
              </>
            )}
            <VisuallyHidden>Site: </VisuallyHidden>
            {d.siteName}
            {showVendor && (
              <>
                {' · '}
                <VisuallyHidden>Vendor: </VisuallyHidden>
                {d.vendorName}
              </>
            )}
          </Text>
        </Box>
      ),
    },
  ];
  if (showWorkflow) columns.push({ key: 'workflow', header: 'Workflow', render: (d) => <Text size="sm">{d.workflowName}</Text> });
  columns.push(
    { key: 'labels', header: 'Labels', render: (d) => <LabelBadges labels={d.labels} severity={d.severity} labelInfo={labelInfo} wrap /> },
    { key: 'action', header: 'Action', render: (d) => humanize(d.action) },
    { key: 'aht', header: 'Handle time', numeric: true, render: (d) => formatDuration(d.handleTimeMs) },
    {
      key: 'language',
      header: 'Language',
      nowrap: true,
      render: (d) =>
        d.contentLanguage ? (
          <Tooltip label={languageName(d.contentLanguage)}>
            <Badge color="gray" tt="none">
              {d.contentLanguage}
              <VisuallyHidden> ({languageName(d.contentLanguage)})</VisuallyHidden>
            </Badge>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    {
      key: 'score',
      header: 'Score',
      numeric: true,
      render: (d) => (d.modelScore === null ? '—' : d.modelScore.toFixed(2)),
    },
    {
      key: 'qa',
      header: 'QA sample',
      nowrap: true,
      render: (d) =>
        d.sample || d.task ? (
          <Stack gap={4} align="flex-start">
            <SampleBadge sample={d.sample} />
            {d.task && <TaskStatusBadge status={d.task.status} dueAt={d.task.dueAt} now={now} />}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            Not sampled
          </Text>
        ),
    },
  );
  return columns;
}
