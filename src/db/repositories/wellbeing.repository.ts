import { sql, type Insertable } from 'kysely';
import type { ExposureRecordsTable } from '../schema-reviews.ts';
import type { Executor } from '../database.ts';

/** Personal wellbeing preferences (own row only, by row-level security) and exposure records. */

export async function readPreferences(db: Executor, userId: string): Promise<unknown> {
  const row = await db.selectFrom('wellbeing_preferences').select('preferences').where('user_id', '=', userId).executeTakeFirst();
  return row?.preferences;
}

export async function writePreferences(db: Executor, userId: string, preferences: unknown): Promise<void> {
  const value = JSON.stringify(preferences);
  await db
    .insertInto('wellbeing_preferences')
    .values({ user_id: userId, preferences: value })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ preferences: value, updated_at: new Date() }))
    .execute();
}

const SEVERITY_RANK = sql<number>`CASE pl.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

/**
 * A decision in the viewer's scope with the policy and severity of its most
 * severe label (the harm the viewer was exposed to); undefined when out of scope.
 */
export async function decisionHarm(db: Executor, decisionId: string) {
  const decision = await db.selectFrom('decisions').select(['id', 'vendor_id', 'labels', 'policy_version_ids', 'severity']).where('id', '=', decisionId).executeTakeFirst();
  if (!decision) return undefined;
  if (decision.labels.length === 0) return { ...decision, harmType: 'none', harmSeverity: null as string | null };
  const worst = await db
    .selectFrom('policy_labels as pl')
    .innerJoin('policy_versions as pv', 'pv.id', 'pl.policy_version_id')
    .innerJoin('policies as p', 'p.id', 'pv.policy_id')
    .select(['p.key as policy_key', 'pl.severity'])
    .where('pl.key', 'in', decision.labels)
    .$if(decision.policy_version_ids.length > 0, (q) => q.where('pl.policy_version_id', 'in', decision.policy_version_ids))
    .orderBy(SEVERITY_RANK, 'desc')
    .limit(1)
    .executeTakeFirst();
  // A label no longer in the catalogue still names its policy by prefix ("policy.label").
  const harmType = worst?.policy_key ?? decision.labels[0]!.split('.')[0]!;
  return { ...decision, harmType, harmSeverity: (worst?.severity ?? decision.severity) as string | null };
}

/** An exposure record as written: the table's columns but its id and time, which the database sets. */
export type NewExposure = Omit<Insertable<ExposureRecordsTable>, 'id' | 'at'>;

export async function insertExposure(db: Executor, values: NewExposure): Promise<string> {
  const row = await db.insertInto('exposure_records').values(values).returning('id').executeTakeFirstOrThrow();
  return String(row.id);
}

/** One user's exposure by harm type over the last `days` days. */
export async function exposureOfUser(db: Executor, userId: string, days: number, now: Date) {
  return db
    .selectFrom('exposure_records')
    .select([
      'harm_type',
      sql<number>`coalesce(sum(seconds), 0)::float8`.as('seconds'),
      sql<number>`count(DISTINCT decision_id)::int`.as('items'),
      sql<number>`count(*) FILTER (WHERE event = 'reveal')::int`.as('reveals'),
    ])
    .where('user_id', '=', userId)
    .where('at', '>', sql<Date>`${now}::timestamptz - make_interval(days => ${days}::int)`)
    .groupBy('harm_type')
    .orderBy('harm_type')
    .execute();
}

/** Exposure in aggregate per viewer vendor and harm type: never per person. */
export async function exposureSummary(db: Executor, days: number, now: Date) {
  return db
    .selectFrom('exposure_records as e')
    .leftJoin('vendors as v', 'v.id', 'e.viewer_vendor_id')
    .select([
      'e.viewer_vendor_id as vendor_id',
      'v.name as vendor_name',
      'e.harm_type',
      sql<number>`count(DISTINCT coalesce(e.person_id, e.user_id))::int`.as('people'),
      sql<number>`count(DISTINCT e.decision_id)::int`.as('items'),
      sql<number>`coalesce(sum(e.seconds), 0)::float8`.as('seconds'),
      sql<number>`count(*) FILTER (WHERE e.event = 'reveal')::int`.as('reveals'),
    ])
    .where('e.at', '>', sql<Date>`${now}::timestamptz - make_interval(days => ${days}::int)`)
    .groupBy(['e.viewer_vendor_id', 'v.name', 'e.harm_type'])
    .orderBy('v.name')
    .orderBy('e.harm_type')
    .execute();
}
