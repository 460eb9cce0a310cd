import { Link } from 'react-router-dom';
import { Badge, Button, Group, List, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconHistory, IconPencil, IconPlus } from '@tabler/icons-react';
import { useWorkflows } from '../../api/policy';
import { usePlanVersion, useSamplingPlans, type PlanVersion, type SamplingPlanSummary } from '../../api/sampling';
import type { Workflow } from '../../api/types';
import { useCan, useSeesAllVendors } from '../../auth/session';
import { EmptyMessage } from '../../components/ListTable';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { describeConditions, describeSelection, describeStratifyBy, type NameOf } from './planDescribe';
import { useNameOf } from './useNameOf';

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

export function StrataSummary({ version, nameOf }: { version: PlanVersion; nameOf: NameOf }) {
  const strata = version.definition.strata ?? [];
  const weights = version.definition.riskWeights ?? [];
  return (
    <Stack gap={4}>
      <List size="sm" spacing={2} type="ordered">
        {strata.map((rule, index) => (
          <List.Item key={rule.key}>
            <Text span size="sm" fw={500}>
              {rule.name}
            </Text>
            <Text span size="sm" c="dimmed">
              {' '}
              — {index === strata.length - 1 && Object.keys(rule.when ?? {}).length === 0 ? 'everything else' : describeConditions(rule.when ?? {}, nameOf)}:{' '}
              {describeSelection(rule)}
              {rule.stratifyBy?.length ? `, ${describeStratifyBy(rule.stratifyBy)}` : ''}
            </Text>
          </List.Item>
        ))}
      </List>
      {weights.length > 0 && (
        <Text size="sm" c="dimmed">
          Risk weights: {weights.map((w) => `×${w.weight} for ${describeConditions(w.when ?? {}, nameOf)}`).join('; ')}.
        </Text>
      )}
    </Stack>
  );
}

function PlanCard({ workflow, plan, canWrite }: { workflow: Pick<Workflow, 'id' | 'name'>; plan: SamplingPlanSummary | undefined; canWrite: boolean }) {
  const nameOf = useNameOf(workflow.id);
  const activeSummary = plan?.active ?? null;
  const draft = plan?.draft ?? null;
  // The list gives versions without their definitions: read the active one in full for its strata.
  const activeVersion = usePlanVersion(activeSummary?.id);
  const active = activeVersion.data;
  const headingId = `plan-${workflow.id}`;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Title order={2} size="h4" id={headingId}>
            {workflow.name}
          </Title>
          <Group gap={6}>
            {activeSummary ? (
              <Badge color={activeSummary.inForce ? 'green' : 'blue'}>
                {activeSummary.inForce ? 'In force' : 'Scheduled'} · v{activeSummary.version}
              </Badge>
            ) : (
              <Badge color="gray">No active plan</Badge>
            )}
            {draft && <Badge color="blue">Draft · v{draft.version}</Badge>}
          </Group>
        </Group>
        {activeSummary && !active ? (
          activeVersion.isError ? (
            <ErrorState error={activeVersion.error} onRetry={() => void activeVersion.refetch()} />
          ) : (
            <Skeleton h={80} />
          )
        ) : active ? (
          <>
            <div>
              <Text fw={600} size="sm">
                {active.name}
              </Text>
              <Text size="xs" c="dimmed">
                Version {active.version} · {active.inForce ? 'in force since' : 'takes effect'} {formatDateTime(active.effectiveFrom)} ·{' '}
                {plural(active.definition.strata?.length ?? 0, 'stratum', 'strata')} ·{' '}
                {plural(active.definition.riskWeights?.length ?? 0, 'risk weight')}
              </Text>
            </div>
            <StrataSummary version={active} nameOf={nameOf} />
          </>
        ) : (
          <Text size="sm" c="dimmed">
            Nothing is sampled from this workflow yet: no plan has been activated.
          </Text>
        )}
        {draft && (
          <Text size="sm">
            Draft <strong>{draft.name}</strong> (version {draft.version}), started {formatDateTime(draft.createdAt)}.
          </Text>
        )}
        <Group gap="sm" mt="auto">
          {canWrite && (
            <Button
              component={Link}
              to={`/sampling/${workflow.id}/draft`}
              size="sm"
              variant={draft ? 'filled' : 'light'}
              leftSection={draft ? <IconPencil size={16} aria-hidden="true" /> : <IconPlus size={16} aria-hidden="true" />}
              aria-label={draft ? `Edit the draft for ${workflow.name}` : `New draft for ${workflow.name}`}
            >
              {draft ? 'Edit draft' : 'New draft'}
            </Button>
          )}
          <Button
            component={Link}
            to={`/sampling/${workflow.id}`}
            size="sm"
            variant="default"
            leftSection={<IconHistory size={16} aria-hidden="true" />}
            aria-label={`Version history of the ${workflow.name} plan`}
          >
            Version history{plan?.versions ? ` (${plan.versions})` : ''}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export function SamplingPlansPage() {
  const can = useCan();
  // A plan applies to every vendor of its workflow: only an all-vendor scope may change one.
  const canWrite = useSeesAllVendors() && can('sampling.write');
  const plans = useSamplingPlans();
  const workflows = useWorkflows({ limit: 500, status: 'active' });

  if (plans.isPending || workflows.isPending) return <LoadingState label="Loading sampling plans" />;
  if (plans.isError) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;

  const byWorkflow = new Map(plans.data.items.map((p) => [p.workflowId, p]));
  // Every active workflow gets a card, with or without a plan; plans of other workflows follow.
  const cards: Array<{ workflow: Pick<Workflow, 'id' | 'name'>; plan: SamplingPlanSummary | undefined }> = (workflows.data?.items ?? []).map(
    (w) => ({ workflow: w, plan: byWorkflow.get(w.id) }),
  );
  for (const plan of plans.data.items) {
    if (!cards.some((c) => c.workflow.id === plan.workflowId)) cards.push({ workflow: { id: plan.workflowId, name: plan.workflowName }, plan });
  }

  return (
    <>
      <PageHeader
        title="Sampling plans"
        description="Which decisions each workflow sends to QA. A plan has strata, each sampled in full, at a rate or by a per-agent quota; every sampled decision keeps its inclusion probability so accuracy can be estimated without bias."
      />
      {cards.length === 0 ? (
        <EmptyMessage title="No workflows yet" description="Create a workflow first; each workflow has its own sampling plan." />
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          {cards.map(({ workflow, plan }) => (
            <PlanCard key={workflow.id} workflow={workflow} plan={plan} canWrite={canWrite} />
          ))}
        </SimpleGrid>
      )}
    </>
  );
}
