import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { asSystem } from '../../src/db/scoped.ts';
import { compareRollups, rebuildQualityRollups, snapshotRollups } from '../../src/domain/metrics/rollups.service.ts';
import { createDemoTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { METRICS_DEMO } from '../support/metrics-world.ts';

/**
 * The quality rollups kept by the triggers on reviews (bulk demo inserts,
 * dispute flags, revisions, acknowledgements) equal a rebuild from scratch,
 * and their sums equal the same sums taken directly over the reviews.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await createDemoTestDatabase(METRICS_DEMO);
});

afterAll(async () => {
  await database?.drop();
});

describe('quality rollups', () => {
  it('hold exactly the sums of the reviews, by weight 1/pi', async () => {
    const { rows: direct } = await sql<{ n: number; sum_w: number; sum_w_correct: number; sum_w2_critical: number; disputed: number; overturned: number; score: number }>`
      SELECT count(*)::int AS n, sum(1.0 / coalesce(s.inclusion_probability, 1))::float8 AS sum_w,
             coalesce(sum(1.0 / coalesce(s.inclusion_probability, 1)) FILTER (WHERE r.correct), 0)::float8 AS sum_w_correct,
             coalesce(sum(1.0 / coalesce(s.inclusion_probability, 1) ^ 2) FILTER (WHERE r.critical_failed), 0)::float8 AS sum_w2_critical,
             (SELECT count(DISTINCT x.review_id)::int FROM disputes x JOIN reviews p ON p.id = x.review_id WHERE p.purpose = 'primary') AS disputed,
             (SELECT count(DISTINCT x.review_id)::int FROM disputes x JOIN reviews p ON p.id = x.review_id
              WHERE p.purpose = 'primary' AND x.outcome IN ('overturned', 'partly')) AS overturned,
             sum(r.score)::float8 AS score
      FROM reviews r LEFT JOIN qa_samples s ON s.decision_id = r.decision_id
      -- Gold and double reviews never feed the rollups (migration 0010).
      WHERE r.purpose = 'primary'`.execute(database.db);
    const { rows: rolled } = await sql<{ n: number; sum_w: number; sum_w_correct: number; sum_w2_critical: number; disputed: number; overturned: number; score: number; design: number }>`
      SELECT sum(n)::int AS n, sum(sum_w) AS sum_w, sum(sum_w_correct) AS sum_w_correct, sum(sum_w2_critical) AS sum_w2_critical,
             sum(n_disputed)::int AS disputed, sum(n_overturned)::int AS overturned, sum(sum_score) AS score,
             (SELECT sum(n)::int FROM quality_design_strata) AS design
      FROM quality_rollup`.execute(database.db);
    const d = direct[0]!;
    const r = rolled[0]!;
    expect(d.n).toBeGreaterThan(500);
    expect(d.disputed).toBeGreaterThan(5);
    expect(r.n).toBe(d.n);
    expect(r.design).toBe(d.n);
    expect(r.disputed).toBe(d.disputed);
    expect(r.overturned).toBe(d.overturned);
    for (const key of ['sum_w', 'sum_w_correct', 'sum_w2_critical', 'score'] as const) expect(r[key]).toBeCloseTo(d[key], 6);
    // The coarse cuboid holds the same totals.
    const { rows: team } = await sql<{ n: number; sum_w: number }>`SELECT sum(n)::int AS n, sum(sum_w) AS sum_w FROM quality_rollup_team`.execute(database.db);
    expect(team[0]!.n).toBe(d.n);
    expect(team[0]!.sum_w).toBeCloseTo(d.sum_w, 6);
    const { rows: vendor } = await sql<{ n: number; sum_w: number }>`SELECT sum(n)::int AS n, sum(sum_w) AS sum_w FROM quality_rollup_vendor`.execute(database.db);
    expect(vendor[0]!.n).toBe(d.n);
    expect(vendor[0]!.sum_w).toBeCloseTo(d.sum_w, 6);
  });

  it('keep the agent cuboid and the vendor error rollup equal to their source tables summed, through revisions', async () => {
    const agentDiffers = sql<{ day: string }>`
      SELECT f.day FROM
        (SELECT day, workflow_id, stratum, vendor_id, site_id, team_id, agent_id, sum(n) AS n, sum(sum_w) AS sum_w, sum(n_correct) AS n_correct,
                sum(sum_w2_score) AS sum_w2_score, sum(n_fn) AS n_fn, sum(n_overturned) AS n_overturned
         FROM quality_rollup GROUP BY 1, 2, 3, 4, 5, 6, 7) f
      FULL JOIN quality_rollup_agent a
        ON (a.day, a.workflow_id, a.stratum, a.vendor_id, a.site_id, a.agent_id) = (f.day, f.workflow_id, f.stratum, f.vendor_id, f.site_id, f.agent_id)
       AND a.team_id IS NOT DISTINCT FROM f.team_id
      WHERE f.n IS DISTINCT FROM a.n OR abs(f.sum_w - a.sum_w) > 1e-6 * greatest(1, abs(f.sum_w)) OR f.n_correct IS DISTINCT FROM a.n_correct
         OR abs(f.sum_w2_score - a.sum_w2_score) > 1e-6 * greatest(1, abs(f.sum_w2_score)) OR f.n_fn IS DISTINCT FROM a.n_fn
         OR f.n_overturned IS DISTINCT FROM a.n_overturned`;
    const errorsDiffer = sql<{ day: string }>`
      SELECT f.day FROM
        (SELECT day, workflow_id, vendor_id, kind, key, sum(n) AS n, sum(sum_w) AS sum_w FROM quality_error_rollup GROUP BY 1, 2, 3, 4, 5) f
      FULL JOIN quality_error_rollup_vendor v USING (day, workflow_id, vendor_id, kind, key)
      WHERE f.n IS DISTINCT FROM v.n OR abs(f.sum_w - v.sum_w) > 1e-6 * greatest(1, abs(f.sum_w))`;
    expect((await agentDiffers.execute(database.db)).rows).toEqual([]);
    expect((await errorsDiffer.execute(database.db)).rows).toEqual([]);
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM quality_rollup_agent WHERE n > 0`.execute(database.db)).rows[0]!.n)).toBeGreaterThan(100);
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM quality_error_rollup_vendor WHERE n > 0`.execute(database.db)).rows[0]!.n)).toBeGreaterThan(10);
    // A revision moves reviews between outcomes and error types: both derived tables follow.
    await sql`UPDATE reviews SET correct = NOT correct, error_types = CASE WHEN correct THEN '{wrong_label}'::text[] ELSE '{}'::text[] END
              WHERE id IN (SELECT id FROM reviews ORDER BY id DESC LIMIT 15)`.execute(database.db);
    expect((await agentDiffers.execute(database.db)).rows).toEqual([]);
    expect((await errorsDiffer.execute(database.db)).rows).toEqual([]);
  });

  it('keep production volumes per vendor equal to production_daily, through ingestion upserts', async () => {
    const differing = sql`
      SELECT p.day, p.workflow_id, p.vendor_id, p.label FROM
        (SELECT day, workflow_id, vendor_id, label, sum(decisions) AS decisions, sum(decision_share) AS share, sum(handle_time_ms_sum) AS ht
         FROM production_daily GROUP BY 1, 2, 3, 4) p
      FULL JOIN production_vendor_daily v USING (day, workflow_id, vendor_id, label)
      WHERE p.decisions IS DISTINCT FROM v.decisions OR abs(p.share - v.decision_share) > 1e-6 OR p.ht IS DISTINCT FROM v.handle_time_ms_sum`;
    expect((await differing.execute(database.db)).rows).toEqual([]);
    // An upsert adding to existing rows, as ingestion does.
    await sql`UPDATE production_daily SET decisions = decisions + 2, handle_time_ms_sum = handle_time_ms_sum + 10 WHERE ctid IN (SELECT ctid FROM production_daily LIMIT 30)`.execute(database.db);
    expect((await differing.execute(database.db)).rows).toEqual([]);
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM production_vendor_daily`.execute(database.db)).rows[0]!.n)).toBeGreaterThan(50);
  });

  it('kept incrementally through revisions, dispute flags and acknowledgements, equal a rebuild from scratch', async () => {
    // Revisions as a dispute makes them, flags as the dispute service sets them, and updates the rollups ignore.
    await sql`UPDATE reviews SET correct = NOT correct, score = 100 - score, qa_labels = '{}', overturned = true
              WHERE id IN (SELECT id FROM reviews ORDER BY id LIMIT 25)`.execute(database.db);
    await sql`UPDATE reviews SET disputed = true WHERE id IN (SELECT id FROM reviews WHERE NOT disputed ORDER BY id DESC LIMIT 10)`.execute(database.db);
    await sql`UPDATE reviews SET acknowledged_at = now() WHERE id IN (SELECT id FROM reviews ORDER BY id DESC LIMIT 40)`.execute(database.db);
    const kept = await snapshotRollups(database.db);
    expect(kept.quality_rollup.length).toBeGreaterThan(100);
    expect(kept.quality_label_rollup.length).toBeGreaterThan(50);
    expect(kept.quality_error_rollup.length).toBeGreaterThan(10);

    const result = await asSystem(database.db, (trx) => rebuildQualityRollups(trx));
    expect(result.differences).toEqual([]);
    expect(result.reviews).toBe(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM reviews`.execute(database.db)).rows[0]!.n));
    expect(compareRollups(kept, await snapshotRollups(database.db))).toEqual([]);
  });

  it('a rebuild reports drift when the kept state was wrong', async () => {
    await sql`ALTER TABLE quality_rollup DISABLE TRIGGER ALL`.execute(database.db);
    await sql`UPDATE quality_rollup SET n_correct = n_correct + 1 WHERE ctid = (SELECT ctid FROM quality_rollup WHERE n > 0 LIMIT 1)`.execute(database.db);
    await sql`ALTER TABLE quality_rollup ENABLE TRIGGER ALL`.execute(database.db);
    const result = await asSystem(database.db, (trx) => rebuildQualityRollups(trx));
    expect(result.differences).toEqual([expect.objectContaining({ table: 'quality_rollup', column: 'n_correct' })]);
    expect((await asSystem(database.db, (trx) => rebuildQualityRollups(trx))).differences).toEqual([]);
  });
});
