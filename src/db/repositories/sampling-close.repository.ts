import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { SampleMethod, Severity } from '../schema.ts';

/**
 * The end-of-day selection of deferred strata (per-agent quotas, capped
 * rates) and its verification: the decisions of one plan version on one UTC
 * day, the samples drawn from them, the per-stratum tallies and the record
 * that a day is closed.
 */

/**
 * decided_at bounds a day wider than the UTC day itself, so the decided_at
 * index narrows the scan; decided_day then picks the day exactly.
 */
function around(day: string) {
  const start = Date.parse(`${day}T00:00:00Z`);
  return { after: new Date(start - 86_400_000), before: new Date(start + 2 * 86_400_000) };
}

/**
 * (day) of one plan version with decisions in the given rules' strata (from
 * the per-stratum tallies ingestion keeps), not closed yet, up to `lastDay`.
 */
export async function listOpenDays(db: Executor, planVersionId: string, ruleKeys: readonly string[], lastDay: string): Promise<string[]> {
  if (ruleKeys.length === 0) return [];
  const rows = await db
    .selectFrom('sampling_strata_daily as s')
    .select('s.day')
    .distinct()
    .where('s.plan_version_id', '=', planVersionId)
    .where('s.day', '<=', lastDay)
    .where('s.population', '>', 0)
    .where(sql<boolean>`split_part(s.stratum_key, '|', 1) = ANY(${[...ruleKeys]}::text[])`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sampling_day_closes as c')
            .select(sql.lit(1).as('one'))
            .whereRef('c.plan_version_id', '=', 's.plan_version_id')
            .whereRef('c.day', '=', 's.day'),
        ),
      ),
    )
    .orderBy('s.day')
    .execute();
  return rows.map((row) => row.day);
}

export async function findDayClose(db: Executor, planVersionId: string, day: string) {
  return db.selectFrom('sampling_day_closes').selectAll().where('plan_version_id', '=', planVersionId).where('day', '=', day).executeTakeFirst();
}

/** Records a day as closed; undefined when it already was (then nothing else may be written). */
export async function insertDayClose(db: Executor, planVersionId: string, day: string, selected: number) {
  return db
    .insertInto('sampling_day_closes')
    .values({ plan_version_id: planVersionId, day, selected })
    .onConflict((oc) => oc.columns(['plan_version_id', 'day']).doNothing())
    .returning(['plan_version_id', 'day', 'closed_at', 'selected'])
    .executeTakeFirst();
}

/**
 * The decisions of a version-day in the given rules' strata: what the day
 * close selects from. An agent's answer to a gold item (gold_responses,
 * written by the ingest hook) is not in the sampling frame (ingestion left it
 * out of the stratum populations too), so it is never selected: a review of it
 * would count in the agent's metrics (docs/decisions/0009).
 */
export async function listDeferredCandidates(db: Executor, planVersionId: string, day: string, ruleKeys: readonly string[]) {
  if (ruleKeys.length === 0) return [];
  const { after, before } = around(day);
  return db
    .selectFrom('decisions')
    .select(['id', 'agent_id', 'vendor_id', 'site_id', 'team_id', 'stratum_key', 'sampling_p', 'sampling_u'])
    .where('sampling_plan_version_id', '=', planVersionId)
    .where('decided_at', '>=', after)
    .where('decided_at', '<', before)
    .where('decided_day', '=', day)
    .where(sql<boolean>`split_part(stratum_key, '|', 1) = ANY(${[...ruleKeys]}::text[])`)
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM gold_responses g WHERE g.decision_id = decisions.id)`)
    .orderBy('id')
    .execute();
}

export interface SampleInsert {
  decisionId: string;
  planVersionId: string;
  stratumKey: string;
  inclusionProbability: number;
  method: SampleMethod;
  vendorId: string;
  siteId: string;
  teamId: string | null;
  agentId: string;
}

/** Inserts samples; a decision already sampled is left alone. Returns the ids inserted. */
export async function insertSamples(db: Executor, samples: readonly SampleInsert[]): Promise<string[]> {
  const inserted: string[] = [];
  for (let i = 0; i < samples.length; i += 2000) {
    const rows = await db
      .insertInto('qa_samples')
      .values(
        samples.slice(i, i + 2000).map((s) => ({
          decision_id: s.decisionId,
          plan_version_id: s.planVersionId,
          stratum_key: s.stratumKey,
          inclusion_probability: s.inclusionProbability,
          method: s.method,
          vendor_id: s.vendorId,
          site_id: s.siteId,
          team_id: s.teamId,
          agent_id: s.agentId,
        })),
      )
      .onConflict((oc) => oc.column('decision_id').doNothing())
      .returning('decision_id')
      .execute();
    inserted.push(...rows.map((row) => row.decision_id));
  }
  return inserted;
}

/**
 * A closed stratum-day's tally: adds the selections, and sets the expected
 * sample to the sum of the final inclusion probabilities (ingestion adds
 * only the population for deferred strata). A row ingestion never wrote is
 * created with the population seen here.
 */
export async function recordStratumClose(
  db: Executor,
  planVersionId: string,
  day: string,
  strata: ReadonlyArray<{ stratumKey: string; population: number; expected: number; selected: number }>,
): Promise<void> {
  if (strata.length === 0) return;
  await db
    .insertInto('sampling_strata_daily')
    .values(
      strata.map((s) => ({
        plan_version_id: planVersionId,
        day,
        stratum_key: s.stratumKey,
        population: s.population,
        expected: s.expected,
        selected: s.selected,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['plan_version_id', 'day', 'stratum_key']).doUpdateSet({
        expected: sql<number>`excluded.expected`,
        selected: sql<number>`sampling_strata_daily.selected + excluded.selected`,
      }),
    )
    .execute();
}

// ---------------------------------------------------------------- verification

/**
 * Every decision of a version-day in the sampling frame (as the caller sees
 * them), with what placement and selection read. Agents' gold answers are not
 * in the frame (see listDeferredCandidates), so they are not checked.
 */
export async function listDayDecisions(db: Executor, planVersionId: string, day: string) {
  const { after, before } = around(day);
  return db
    .selectFrom('decisions as d')
    .leftJoin('qa_samples as s', 's.decision_id', 'd.id')
    .select([
      'd.id',
      'd.agent_id',
      'd.labels',
      'd.severity',
      'd.vendor_id',
      'd.site_id',
      'd.tenure_days',
      'd.model_score',
      'd.policy_version_ids',
      'd.stratum_key',
      'd.sampling_p',
      'd.sampling_u',
      'd.ingested_at',
      's.plan_version_id as sample_plan_version_id',
      's.stratum_key as sample_stratum_key',
      's.inclusion_probability as sample_pi',
      's.method as sample_method',
    ])
    .where('d.sampling_plan_version_id', '=', planVersionId)
    .where('d.decided_at', '>=', after)
    .where('d.decided_at', '<', before)
    .where('d.decided_day', '=', day)
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM gold_responses g WHERE g.decision_id = d.id)`)
    .orderBy('d.id')
    .execute();
}

/** Label severities of the given policy versions: a decision's labels belong to its versions in force. */
export async function labelSeveritiesOfVersions(db: Executor, policyVersionIds: readonly string[]) {
  if (policyVersionIds.length === 0) return [];
  return db
    .selectFrom('policy_labels')
    .select(['policy_version_id', 'key', 'severity'])
    .where(sql<boolean>`policy_version_id::text = ANY(${[...policyVersionIds]}::text[])`)
    .execute() as Promise<Array<{ policy_version_id: string; key: string; severity: Severity }>>;
}

export async function listStrataOfDay(db: Executor, planVersionId: string, day: string) {
  return db
    .selectFrom('sampling_strata_daily')
    .select(['stratum_key', 'population', 'expected', 'selected'])
    .where('plan_version_id', '=', planVersionId)
    .where('day', '=', day)
    .orderBy('stratum_key')
    .execute();
}
