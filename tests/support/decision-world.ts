import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type { DecisionInput } from '../../src/domain/decisions/decision-input.ts';
import type { World } from './org-world.ts';

/**
 * A policy catalogue for the org world's workflow, for ingestion tests:
 * policy "abuse_<tag>" with v1 (from 2025-01-01: labels slur high, threat
 * critical) and v2 (from 2026-06-01: slur high, threat critical, and a new
 * label "dogwhistle" medium). Actions remove / no_action / warn_user exist.
 */
export interface DecisionWorld {
  workflowKey: string;
  labels: { slur: string; threat: string; dogwhistle: string };
  v1: string;
  v2: string;
}

export async function addDecisionCatalogue(db: Db, world: World): Promise<DecisionWorld> {
  const workflow = await db.selectFrom('workflows').select('key').where('id', '=', world.workflowId).executeTakeFirstOrThrow();
  for (const key of ['remove', 'no_action', 'warn_user']) {
    await db.insertInto('enforcement_actions').values({ key, name: key }).onConflict((c) => c.column('key').doNothing()).execute();
  }
  const prefix = `abuse_${world.tag}`;
  const policy = await db.insertInto('policies').values({ key: prefix, name: `Abuse ${world.tag}` }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('workflow_policies').values({ workflow_id: world.workflowId, policy_id: policy.id }).execute();
  const labels = { slur: `${prefix}.slur`, threat: `${prefix}.threat`, dogwhistle: `${prefix}.dogwhistle` };
  const versions: string[] = [];
  for (const [version, from, keys] of [
    [1, '2025-01-01T00:00:00Z', [labels.slur, labels.threat]],
    [2, '2026-06-01T00:00:00Z', [labels.slur, labels.threat, labels.dogwhistle]],
  ] as const) {
    const row = await db
      .insertInto('policy_versions')
      .values({ policy_id: policy.id, version, effective_from: from, summary: `v${version}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    versions.push(row.id);
    await db
      .insertInto('policy_labels')
      .values(keys.map((key, position) => ({ policy_version_id: row.id, key, name: key, severity: key === labels.threat ? ('critical' as const) : key === labels.dogwhistle ? ('medium' as const) : ('high' as const), position })))
      .execute();
    await db.insertInto('policy_version_actions').values(['remove', 'warn_user', 'no_action'].map((action_key) => ({ policy_version_id: row.id, action_key }))).execute();
  }
  return { workflowKey: workflow.key, labels, v1: versions[0]!, v2: versions[1]! };
}

/** A valid decision by `agentId`; override any field. */
export function decision(dw: DecisionWorld, agentId: string, n: number, overrides: Partial<DecisionInput> = {}): DecisionInput {
  const day = 1 + (n % 28);
  return {
    source: 'modtool',
    external_id: `d-${n}`,
    workflow: dw.workflowKey,
    agent: agentId,
    decided_at: `2026-09-${String(day).padStart(2, '0')}T10:${String(n % 60).padStart(2, '0')}:00+08:00`,
    labels: n % 3 === 0 ? [dw.labels.slur] : [],
    action: n % 3 === 0 ? 'remove' : 'no_action',
    handle_time_ms: 20_000 + (n % 7) * 1000,
    content: { kind: 'comment', text: `comment number ${n}`, language: 'en' },
    model_score: (n % 10) / 10,
    metadata: { queue: 'reported' },
    ...overrides,
  };
}

export function ndjson(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** Everything ingestion writes, as one comparable value. */
export async function ingestFingerprint(db: Db) {
  const one = async (query: string) => (await sql.raw<{ f: string | null; n: number }>(query).execute(db)).rows[0]!;
  return {
    decisions: await one(`SELECT count(*)::int AS n, md5(string_agg(id::text || payload_hash || coalesce(stratum_key, '') || coalesce(sampling_p::text, '') || coalesce(sampling_u::text, '') || policy_version_ids::text || tenure_days, ',' ORDER BY id)) AS f FROM decisions`),
    production: await one(`SELECT count(*)::int AS n, md5(string_agg(day::text || agent_id::text || label || decisions || round(decision_share::numeric, 9) || handle_time_ms_sum, ',' ORDER BY day, agent_id, workflow_id, label)) AS f FROM production_daily`),
    samples: await one(`SELECT count(*)::int AS n, md5(string_agg(decision_id::text || stratum_key || inclusion_probability || method, ',' ORDER BY decision_id)) AS f FROM qa_samples`),
    frame: await one(`SELECT count(*)::int AS n, md5(string_agg(day::text || stratum_key || population || round(expected::numeric, 9) || selected, ',' ORDER BY plan_version_id, day, stratum_key)) AS f FROM sampling_strata_daily`),
    tasks: await one(`SELECT count(*)::int AS n, md5(string_agg(decision_id::text, ',' ORDER BY decision_id)) AS f FROM qa_tasks`),
  };
}


/** Empties everything ingestion writes, to ingest the same input again from scratch. */
export async function clearIngested(db: Db): Promise<void> {
  await sql`TRUNCATE qa_tasks, qa_samples, sampling_day_closes, sampling_strata_daily, production_daily, decisions CASCADE`.execute(db);
}

/** An active sampling plan for the world's workflow, in force since 2025. */
export async function addActivePlan(db: Db, workflowId: string, definition: unknown, seed = 'test-seed'): Promise<string> {
  const row = await db
    .insertInto('sampling_plan_versions')
    .values({ workflow_id: workflowId, version: 1, status: 'active', name: 'Test plan', definition: JSON.stringify(definition), seed, effective_from: new Date('2025-01-01T00:00:00Z') })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
