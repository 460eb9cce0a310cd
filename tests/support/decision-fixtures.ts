import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database.ts';
import type { Severity } from '../../src/db/schema.ts';

/**
 * Sampled decisions written directly as the system (no ingestion, no
 * sampling plan logic), so QA queue tests control exactly which decisions
 * exist, who made them and what the sample recorded about them.
 */

export interface FixtureAgent {
  id: string;
  vendorId: string;
  siteId: string;
  teamId: string | null;
}

export interface SampledDecisionSpec {
  agent: FixtureAgent;
  workflowId: string;
  /** The content's language; null (the default) when the upstream tool sent none. */
  language?: string | null;
  decidedAt?: Date;
  labels?: string[];
  severity?: Severity | null;
  action?: string;
  stratumKey?: string;
  inclusionProbability?: number;
  /** False: the decision exists but was not sampled (no qa_samples row). */
  sampled?: boolean;
}

/** The active plan version of a workflow that samples point at, created on first use. */
export async function ensurePlanVersion(db: Db, workflowId: string): Promise<string> {
  const existing = await db
    .selectFrom('sampling_plan_versions')
    .select('id')
    .where('workflow_id', '=', workflowId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (existing) return existing.id;
  const created = await db
    .insertInto('sampling_plan_versions')
    .values({
      workflow_id: workflowId,
      version: 1,
      status: 'active',
      name: 'Fixture plan',
      definition: JSON.stringify({ strata: [] }),
      seed: randomBytes(8).toString('hex'),
      effective_from: new Date('2020-01-01T00:00:00Z'),
      activated_at: new Date('2020-01-01T00:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

/** Inserts the decisions (and their sample rows) in one statement each; returns their ids in order. */
export async function insertSampledDecisions(db: Db, specs: readonly SampledDecisionSpec[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const plans = new Map<string, string>();
  for (const workflowId of new Set(specs.map((spec) => spec.workflowId))) plans.set(workflowId, await ensurePlanVersion(db, workflowId));
  const rows = specs.map((spec) => {
    const decidedAt = spec.decidedAt ?? new Date('2025-03-03T10:00:00Z');
    return { spec, id: randomUUID(), decidedAt, stratumKey: spec.stratumKey ?? 'all' };
  });
  await db
    .insertInto('decisions')
    .values(
      rows.map(({ spec, id, decidedAt, stratumKey }) => ({
        id,
        source: 'fixture',
        external_id: id,
        workflow_id: spec.workflowId,
        agent_id: spec.agent.id,
        vendor_id: spec.agent.vendorId,
        site_id: spec.agent.siteId,
        team_id: spec.agent.teamId,
        decided_at: decidedAt,
        decided_day: decidedAt.toISOString().slice(0, 10),
        labels: spec.labels ?? [],
        policy_version_ids: [],
        severity: spec.severity ?? null,
        action: spec.action ?? 'no_action',
        handle_time_ms: 30_000,
        content_kind: 'comment',
        content_text: 'fixture content',
        content_language: spec.language ?? null,
        metadata: '{}',
        tenure_days: 300,
        payload_hash: id,
        sampling_plan_version_id: plans.get(spec.workflowId)!,
        stratum_key: stratumKey,
        sampling_p: spec.inclusionProbability ?? 0.1,
        sampling_u: 0.05,
      })),
    )
    .execute();
  const sampled = rows.filter(({ spec }) => spec.sampled !== false);
  if (sampled.length > 0) {
    await db
      .insertInto('qa_samples')
      .values(
        sampled.map(({ spec, id, stratumKey }) => ({
          decision_id: id,
          plan_version_id: plans.get(spec.workflowId)!,
          stratum_key: stratumKey,
          inclusion_probability: spec.inclusionProbability ?? 0.1,
          method: 'rate' as const,
          vendor_id: spec.agent.vendorId,
          site_id: spec.agent.siteId,
          team_id: spec.agent.teamId,
          agent_id: spec.agent.id,
        })),
      )
      .execute();
  }
  return rows.map((row) => row.id);
}
