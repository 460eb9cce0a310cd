import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { METRICS_DEMO } from '../support/metrics-world.ts';
import { createDemoTestDatabase, createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/**
 * The demo is deterministic: two loads with the same options hold the same
 * rows, column by column, in every table. A figure a test or a screenshot
 * relies on (a vendor's leniency, an agent's accuracy) must not move between
 * loads; it once did, because QA tasks due together were assigned in the
 * order of their random ids.
 *
 * Left out, each for its reason:
 */
const VOLATILE = new Map<string, string>([
  // When the load ran (wall clock), not what the demo says happened.
  ['*.created_at', 'row creation time'],
  ['*.updated_at', 'row update time'],
  ['decisions.ingested_at', 'ingestion time'],
  ['gold_feed_items.matched_at', 'set by ingestion when the answer arrived'],
  ['scorecard_versions.published_at', 'published through the service at load time'],
  ['audit_log.at', 'audit time'],
  ['audit_log.details', 'holds generated ids'],
  ['audit_log.entity_id', 'generated ids'],
  ['cohort_graduations.evidence', 'holds the nesting settings as read, with their update time'],
  ['xapi_statements.stored', 'the LRS stamps receipt time'],
  // Secrets are random on purpose: a demo credential or password hash must not be guessable from the seed.
  ['users.password_hash', 'salted'],
  ['xapi_credentials.*', 'random key and secret, and the authority naming the key'],
  ['xapi_statements.credential_id', 'references xapi_credentials.id'],
  ['xapi_statements.statement', 'holds its authority (the credential key) and stored time'],
  ['xapi_statement_agents.ifi', 'includes the authority agent, named by the credential key'],
  // Ids the database generates (gen_random_uuid) for rows the demo writes through services, and references to them.
  ['certification_awards.id', 'generated'],
  ['coaching_actions.id', 'generated'],
  ['cohort_graduations.id', 'generated'],
  ['course_modules.id', 'generated'],
  ['gold_responses.id', 'generated'],
  ['policy_labels.id', 'generated'],
  ['qa_tasks.id', 'generated'],
  ['reviews.task_id', 'references qa_tasks.id'],
  ['escalations.task_id', 'references qa_tasks.id'],
  ['sampling_plan_versions.id', 'generated'],
  ['decisions.sampling_plan_version_id', 'references sampling_plan_versions.id'],
  ['qa_samples.plan_version_id', 'references sampling_plan_versions.id'],
  ['sampling_day_closes.plan_version_id', 'references sampling_plan_versions.id'],
  ['sampling_strata_daily.plan_version_id', 'references sampling_plan_versions.id'],
  ['*.stratum', 'a design stratum names its plan version'],
  ['scorecard_versions.id', 'generated'],
  ['reviews.scorecard_version_id', 'references scorecard_versions.id'],
  ['calibration_sessions.scorecard_version_id', 'references scorecard_versions.id'],
  ['survey_invitations.id', 'generated'],
  ['survey_responses.id', 'generated'],
  ['trainer_certifications.id', 'generated'],
  ['trainer_observations.id', 'generated'],
  ['training_program_phases.id', 'generated'],
]);

const volatile = (table: string, column: string) => VOLATILE.has(`${table}.${column}`) || VOLATILE.has(`*.${column}`) || VOLATILE.has(`${table}.*`);

let first: TestDatabase;
let second: TestDatabase;

beforeAll(async () => {
  first = await createDemoTestDatabase(METRICS_DEMO);
  second = await createTestDatabase();
  await loadDemo(second.db, METRICS_DEMO);
}, 600_000);

afterAll(async () => {
  await first?.drop();
  await second?.drop();
});

/** A digest of one column's values, sorted; floats to 9 significant digits (sums of the same terms in another order differ in the last bits). */
async function columnDigest(database: TestDatabase, table: string, column: string, type: string): Promise<{ n: number; digest: string }> {
  const value = type === 'double precision' || type === 'real'
    ? sql`CASE WHEN ${sql.ref(column)} = 0 THEN '0' ELSE to_char(${sql.ref(column)}::float8, '9.99999999EEEE') END`
    : sql`${sql.ref(column)}::text`;
  const { rows } = await sql<{ n: number; digest: string }>`
    SELECT count(*)::int AS n, md5(coalesce(string_agg(coalesce(x, '∅'), '|' ORDER BY x), '')) AS digest
    FROM (SELECT ${value} AS x FROM ${sql.table(table)}) s`.execute(database.db);
  return rows[0]!;
}

describe('the demo data', () => {
  it('is the same, column by column, in two loads with the same options', async () => {
    const { rows: columns } = await sql<{ table: string; column: string; type: string }>`
      SELECT c.table_name AS table, c.column_name AS column, c.data_type AS type
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name NOT IN ('kysely_migration', 'kysely_migration_lock')
      ORDER BY 1, 2`.execute(first.db);
    const compared = columns.filter((c) => !volatile(c.table, c.column));
    const differing: string[] = [];
    let rows = 0;
    for (const c of compared) {
      const [a, b] = [await columnDigest(first, c.table, c.column, c.type), await columnDigest(second, c.table, c.column, c.type)];
      if (a.n !== b.n || a.digest !== b.digest) differing.push(`${c.table}.${c.column} (${a.n} / ${b.n} rows)`);
      rows += a.n;
    }
    expect(differing).toEqual([]);
    // It compared something: most of the schema, and the demo's data in it.
    expect(compared.length).toBeGreaterThan(columns.length * 0.8);
    expect(rows).toBeGreaterThan(100_000);
  }, 300_000);
});
