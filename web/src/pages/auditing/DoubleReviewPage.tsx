import { Fragment, useState } from 'react';
import { Alert, Button, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import {
  useAuditingSettings,
  useDoubleReviewResults,
  useRunDoubleReview,
  useUpdateAuditingSettings,
  type AuditingSettings,
  type DoubleReviewGroup,
} from '../../api/auditing';
import { errorMessage } from '../../api/client';
import { useCan, useSeesAllVendors } from '../../auth/session';
import { VendorSelect, WorkflowSelect } from '../../components/EntityPickers';
import { PageHeader } from '../../components/PageHeader';
import { ScrollRegion } from '../../components/ScrollRegion';
import { EmptyMessage, ErrorState, LoadingState } from '../../components/States';
import { CoefficientText, DifferencePlot, DifferenceText, FlagBadges, IntervalText } from './auditingParts';


function GroupRow({ group, reviewer, compared }: { group: DoubleReviewGroup; reviewer?: boolean; compared?: number }) {
  const name = reviewer ? (group.reviewerName ?? 'A reviewer outside your scope') : (group.vendorName ?? 'Vendor');
  return (
    <Table.Tr>
      <Table.Th scope="row" style={reviewer ? { paddingLeft: 32, fontWeight: 400 } : undefined}>
        {name}
      </Table.Th>
      <Table.Td>{group.n}</Table.Td>
      <Table.Td>
        <DifferenceText difference={group.leniency} />
        <Text size="xs" c="dimmed">
          vendor {group.leniency.vendorRate === null ? '—' : `${(100 * group.leniency.vendorRate).toFixed(0)}%`} · internal{' '}
          {group.leniency.internalRate === null ? '—' : `${(100 * group.leniency.internalRate).toFixed(0)}%`}
        </Text>
      </Table.Td>
      <Table.Td>
        <DifferencePlot difference={group.leniency} tolerance={group.tolerance} label={`Leniency of ${name}`} />
      </Table.Td>
      <Table.Td>
        <DifferenceText difference={group.accuracyGap} />
      </Table.Td>
      <Table.Td>
        <IntervalText interval={group.correctness.percentAgreement} tooFew={group.tooFew} />
      </Table.Td>
      <Table.Td>
        <CoefficientText figure={group.correctness.ac1} />
      </Table.Td>
      <Table.Td>
        <CoefficientText figure={group.correctness.kappa} />
      </Table.Td>
      <Table.Td>
        <CoefficientText figure={group.label.kappa} />
      </Table.Td>
      <Table.Td>
        <FlagBadges inflated={group.inflated} inflatedAlone={group.inflatedAlone} tooFew={group.tooFew} compared={compared} />
      </Table.Td>
    </Table.Tr>
  );
}

function SettingsRow({ setting }: { setting: AuditingSettings }) {
  const update = useUpdateAuditingSettings();
  const [rate, setRate] = useState<number | string>(Math.round(setting.doubleReviewRate * 1000) / 10);
  const [tolerance, setTolerance] = useState<number | string>(Math.round(setting.leniencyTolerance * 1000) / 10);
  const dirty = Number(rate) / 100 !== setting.doubleReviewRate || Number(tolerance) / 100 !== setting.leniencyTolerance;
  return (
    <Table.Tr>
      <Table.Th scope="row">{setting.workflowName}</Table.Th>
      <Table.Td>
        <NumberInput aria-label={`Share double reviewed, ${setting.workflowName} (%)`} min={0} max={100} step={1} decimalScale={1} suffix="%" value={rate} onChange={setRate} w={110} />
      </Table.Td>
      <Table.Td>
        <NumberInput aria-label={`Leniency tolerance, ${setting.workflowName} (points)`} min={0} max={50} step={0.5} decimalScale={1} suffix=" pts" value={tolerance} onChange={setTolerance} w={110} />
      </Table.Td>
      <Table.Td>
        <Group gap="xs">
          <Button
            size="xs"
            disabled={!dirty}
            loading={update.isPending}
            onClick={() => update.mutate({ workflowId: setting.workflowId, doubleReviewRate: Number(rate) / 100, leniencyTolerance: Number(tolerance) / 100 })}
          >
            Save
          </Button>
          {update.error && (
            <Text size="xs" c="red" role="alert">
              {errorMessage(update.error)}
            </Text>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** Internal QA sets the share re-reviewed and runs the draw; vendor-scoped leads only read the results. */
function DoubleReviewSettings() {
  const settings = useAuditingSettings();
  const run = useRunDoubleReview();
  if (settings.isPending) return <LoadingState label="Loading the settings" />;
  if (settings.error) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  const made = run.data?.workflows.reduce((a, w) => a + w.tasks, 0);
  return (
    <section aria-labelledby="dr-settings">
      <Title order={2} size="h4" id="dr-settings" mb="xs">
        Settings
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Each vendor-QA review is drawn once with the workflow's seed and selected with exactly this probability, whatever its verdict; selected
        items become blind tasks for in-house QA, who see the decision but never the vendor's review.
      </Text>
      <Paper withBorder radius="md">
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Workflow</Table.Th>
              <Table.Th scope="col">Share double reviewed</Table.Th>
              <Table.Th scope="col">Leniency tolerance</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {settings.data.items.map((s) => (
              <SettingsRow key={s.workflowId} setting={s} />
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Group mt="sm" gap="sm">
        <Button variant="light" loading={run.isPending} onClick={() => run.mutate(null)}>
          Draw new vendor reviews now
        </Button>
        {run.data && (
          <Text size="sm" role="status">
            Drew {run.data.workflows.reduce((a, w) => a + w.drawn, 0)} reviews; {made} new double-review tasks.
          </Text>
        )}
        {run.error && (
          <Text size="sm" c="red" role="alert">
            {errorMessage(run.error)}
          </Text>
        )}
      </Group>
    </section>
  );
}

/** Double review of vendor QA: agreement with internal QA and leniency per vendor and vendor-QA reviewer, with paired intervals. */
export function DoubleReviewPage() {
  const can = useCan();
  const seesAll = useSeesAllVendors();
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [vendorId, setVendorId] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const results = useDoubleReviewResults({ workflowId, vendorId, from: from || null, to: to || null });
  const data = results.data;
  return (
    <>
      <PageHeader
        title="Double review of vendor QA"
        description="Internal QA re-reviews a random share of each vendor's QA reviews blind. Leniency is the vendor QA's pass rate minus internal QA's on the same items, with a paired 95% interval; a vendor is flagged when the whole interval lies above the tolerance. A vendor's reviewers are compared together, so a reviewer is flagged only when that holds after allowing for how many were compared (Holm); one whose interval alone lies above is marked Watch."
      />
      <Stack gap="lg">
        <Group gap="md" align="flex-end">
          <WorkflowSelect label="Workflow" clearable placeholder="All workflows" value={workflowId} onChange={setWorkflowId} w={260} />
          {seesAll && <VendorSelect label="Vendor" clearable placeholder="All vendors" value={vendorId} onChange={setVendorId} w={240} />}
          <TextInput type="date" label="Submitted from" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={170} />
          <TextInput type="date" label="Submitted to" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={170} />
        </Group>
        {results.isPending ? (
          <LoadingState label="Loading the double reviews" />
        ) : results.error ? (
          <ErrorState error={results.error} onRetry={() => void results.refetch()} />
        ) : !data || data.vendors.length === 0 ? (
          <EmptyMessage title="No completed double reviews yet" description="Set a share to double review, draw the vendor reviews, and the figures appear as internal QA completes the tasks." />
        ) : (
          <Paper withBorder radius="md">
            <ScrollRegion label="Double-review results per vendor and reviewer" minWidth={1080}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Vendor / vendor-QA reviewer</Table.Th>
                    <Table.Th scope="col">Pairs</Table.Th>
                    <Table.Th scope="col">Leniency (pass rate)</Table.Th>
                    <Table.Th scope="col">−30 · 0 · tolerance · +30</Table.Th>
                    <Table.Th scope="col">Accuracy gap</Table.Th>
                    <Table.Th scope="col">Agreement on correctness</Table.Th>
                    <Table.Th scope="col">AC1</Table.Th>
                    <Table.Th scope="col">Kappa</Table.Th>
                    <Table.Th scope="col">Label kappa</Table.Th>
                    <Table.Th scope="col">Flag</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.vendors.map((vendor) => (
                    <Fragment key={vendor.vendorId}>
                      <GroupRow group={vendor} />
                      {vendor.reviewers.map((r) => (
                        <GroupRow key={r.reviewerId} group={r} reviewer compared={vendor.reviewers.length} />
                      ))}
                    </Fragment>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
          </Paper>
        )}
        {data && data.vendors.some((v) => v.tooFew) && (
          <Alert color="gray" variant="light" title="Few pairs" role="note">
            Figures on fewer than 30 pairs are shown greyed and never flagged: their intervals are wide. Raise the share double reviewed for these vendors.
          </Alert>
        )}
        {can('auditing.manage') && seesAll && <DoubleReviewSettings />}
      </Stack>
    </>
  );
}
