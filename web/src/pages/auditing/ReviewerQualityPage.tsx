import { useMemo, useState } from 'react';
import { Badge, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useReviewerQuality, type Interval, type ReviewerQualityRow } from '../../api/auditing';
import { useSeesAllVendors } from '../../auth/session';
import { VendorSelect, WorkflowSelect } from '../../components/EntityPickers';
import { PageHeader } from '../../components/PageHeader';
import { ScrollRegion } from '../../components/ScrollRegion';
import { EmptyMessage, ErrorState, LoadingState } from '../../components/States';
import { IntervalText } from './auditingParts';

type Sort = 'name' | 'vendor' | 'gold' | 'peer' | 'overturn' | 'reviews';

const SORTS: Array<{ value: Sort; label: string }> = [
  { value: 'name', label: 'Name' },
  { value: 'vendor', label: 'Vendor' },
  { value: 'reviews', label: 'Reviews written' },
  { value: 'gold', label: 'Gold accuracy (lower bound)' },
  { value: 'peer', label: 'Peer agreement (lower bound)' },
  { value: 'overturn', label: 'Overturn rate (upper bound)' },
];

/**
 * Sorting by a figure uses the cautious end of its interval and keeps figures
 * on too few items at the bottom, so noise never tops the list.
 */
function sortRows(rows: ReviewerQualityRow[], sort: Sort): ReviewerQualityRow[] {
  const byName = (a: ReviewerQualityRow, b: ReviewerQualityRow) => a.name.localeCompare(b.name);
  const cautious = (i: Interval & { tooFew: boolean }, end: 'lower' | 'upper') => (i.tooFew || i.n === 0 ? null : i[end]);
  const byFigure = (pick: (r: ReviewerQualityRow) => number | null, direction: 1 | -1) => (a: ReviewerQualityRow, b: ReviewerQualityRow) => {
    const x = pick(a);
    const y = pick(b);
    if (x === null && y === null) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return direction * (x - y) || byName(a, b);
  };
  const copy = [...rows];
  switch (sort) {
    case 'name':
      return copy.sort(byName);
    case 'vendor':
      return copy.sort((a, b) => (a.vendorName ?? '').localeCompare(b.vendorName ?? '') || byName(a, b));
    case 'reviews':
      return copy.sort((a, b) => b.reviews - a.reviews || byName(a, b));
    case 'gold':
      return copy.sort(byFigure((r) => cautious(r.goldAccuracy, 'lower'), 1));
    case 'peer':
      return copy.sort(byFigure((r) => cautious(r.peerAgreement, 'lower'), 1));
    case 'overturn':
      return copy.sort(byFigure((r) => cautious(r.overturnRate, 'upper'), -1));
  }
}

/** Per QA reviewer: accuracy against gold, agreement with peers on double reviews, dispute overturn rate, each with n and a 95% interval. */
export function ReviewerQualityPage() {
  const seesAll = useSeesAllVendors();
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [vendorId, setVendorId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [sort, setSort] = useState<Sort>('name');
  const quality = useReviewerQuality({ workflowId, vendorId, from: from || null, to: to || null });
  const rows = useMemo(() => sortRows(quality.data?.items ?? [], sort), [quality.data, sort]);
  return (
    <>
      <PageHeader
        title="Reviewer quality"
        description="How far each QA reviewer can be trusted: their answers on hidden gold items, their agreement with the other reviewer of double-reviewed items, and how often their disputed reviews were overturned. Figures on fewer than 20 items are greyed: read the interval, not the point."
      />
      <Stack gap="md">
        <Group gap="md" align="flex-end">
          <WorkflowSelect label="Workflow" clearable placeholder="All workflows" value={workflowId} onChange={setWorkflowId} w={240} />
          {seesAll && <VendorSelect label="Reviewer's vendor" clearable placeholder="All vendors" value={vendorId} onChange={setVendorId} w={220} />}
          <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={160} />
          <TextInput type="date" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={160} />
          <Select label="Sort by" data={SORTS} value={sort} onChange={(v) => setSort((v as Sort) ?? 'name')} allowDeselect={false} w={240} />
        </Group>
        {quality.isPending ? (
          <LoadingState label="Loading reviewer quality" />
        ) : quality.error ? (
          <ErrorState error={quality.error} onRetry={() => void quality.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyMessage title="No reviewers with reviews in this slice" />
        ) : (
          <Paper withBorder radius="md">
            <ScrollRegion label="Reviewer quality" minWidth={1040}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Reviewer</Table.Th>
                    <Table.Th scope="col">Vendor</Table.Th>
                    <Table.Th scope="col">Reviews</Table.Th>
                    <Table.Th scope="col">Accuracy on gold</Table.Th>
                    <Table.Th scope="col">Agreement with peers</Table.Th>
                    <Table.Th scope="col">Disputed</Table.Th>
                    <Table.Th scope="col">Overturned when disputed</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.reviewerId}>
                      <Table.Th scope="row">{r.name}</Table.Th>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Text size="sm">{r.vendorName ?? '—'}</Text>
                          {r.inHouse && (
                            <Badge size="xs" variant="light">
                              In-house
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>{r.reviews}</Table.Td>
                      <Table.Td>
                        <IntervalText interval={r.goldAccuracy} tooFew={r.goldAccuracy.tooFew} />
                      </Table.Td>
                      <Table.Td>
                        <IntervalText interval={r.peerAgreement} tooFew={r.peerAgreement.tooFew} />
                      </Table.Td>
                      <Table.Td>
                        <IntervalText interval={r.disputeRate} />
                      </Table.Td>
                      <Table.Td>
                        <IntervalText interval={r.overturnRate} tooFew={r.overturnRate.tooFew} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
          </Paper>
        )}
      </Stack>
    </>
  );
}
