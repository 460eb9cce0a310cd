import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { asSystem, withViewer, type Viewer } from '../../src/db/scoped.ts';
import * as repo from '../../src/db/repositories/metrics.repository.ts';
import { runRunningTermsJob } from '../../src/jobs/running-terms.job.ts';
import {
  pendingRunningTermDays,
  runningRatioTerms,
  runningTermRows,
  type RunningTermsSource,
} from '../../src/db/repositories/metrics-running-terms.repository.ts';
import { rebuildQualityRollups } from '../../src/domain/metrics/rollups.service.ts';
import { CONFUSION_RATES } from '../../src/domain/stats/confusion-estimation.ts';
import { cellSpec, outcomeSpec, ratioFromTerms, scoreSpec, type StratumSumsSpec } from '../../src/domain/stats/ratio-terms.ts';
import type { MetricsResponse } from '../../src/domain/metrics/metrics.types.ts';
import { FROM, metrics, TO, useMetricsWorld } from '../support/metrics-world.ts';

/**
 * The running variance terms (migration 0016, docs/decisions/0014) answer the agent table and label
 * rates by vendor x label with exactly the rows of the per-stratum path (ratioTerms), whatever the
 * state of the refresh: everything logged (before the first refresh), nothing logged, new reviews and
 * a dispute overturn on old days (inside and before the range), an agent moved to another team in the
 * middle of a day; and a rebuild leaves them equal to a recomputation from scratch.
 */
const world = useMetricsWorld();
const ALL: Viewer = { userId: null, scope: { kind: 'all', vendorId: null, siteId: null, teamId: null, personId: null } };

const SOURCES: Array<{ source: RunningTermsSource; spec: StratumSumsSpec }> = [
  { source: { kind: 'agent', measure: 'correct' }, spec: outcomeSpec('correct') },
  { source: { kind: 'agent', measure: 'critical' }, spec: outcomeSpec('critical') },
  { source: { kind: 'agent', measure: 'passed' }, spec: outcomeSpec('passed') },
  { source: { kind: 'agent', measure: 'score' }, spec: scoreSpec() },
  ...(['vendor_label', 'vendor_pooled', 'workflow_pooled'] as const).flatMap((kind) =>
    (['precision', 'recall', 'f1', 'under'] as const).map((rate) => {
      const { numerator, denominator } = CONFUSION_RATES[rate === 'under' ? 'underEnforcementRate' : rate];
      return { source: { kind, rate } as RunningTermsSource, spec: cellSpec(numerator, denominator) };
    }),
  ),
];

const COUNTS = ['n', 'strata', 'singleton_strata', 'undesigned', 'sample_a', 'sample_b', 'row_count'] as const;
const SUMS = ['sum_wa', 'sum_wb', 'sum_w2bb', 'q_aa', 'q_ab', 'q_bb'] as const;
const close = (a: number, b: number, scale = 1) => Math.abs(a - b) <= 1e-9 * Math.max(1, scale, Math.abs(a), Math.abs(b));

type Filters = repo.SliceFilter[];
type Slices = Record<RunningTermsSource['kind'], Array<{ filters: Filters; from: string; to: string }>>;

const day = (iso: string, offset: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/** Filters and ranges over the demo organisation: every vendor, some sites, teams, agents, workflows; whole, inner, one-day and empty ranges. */
async function slicesOf(viewer: Viewer): Promise<Slices> {
  const db = world.database.db;
  const ids = async (query: string) => (await sql.raw<{ id: string }>(query).execute(db)).rows.map((r) => r.id);
  const vendors = await ids(`SELECT id::text AS id FROM vendors ORDER BY name`);
  const sites = await ids(`SELECT id::text AS id FROM sites ORDER BY name LIMIT 3`);
  const teams = await ids(`SELECT DISTINCT team_id::text AS id FROM quality_rollup_agent WHERE team_id IS NOT NULL ORDER BY 1 LIMIT 3`);
  const workflows = await ids(`SELECT id::text AS id FROM workflows ORDER BY key`);
  const agents = await ids(`SELECT agent_id::text AS id FROM quality_rollup_agent GROUP BY agent_id ORDER BY sum(n) DESC LIMIT 4`);
  const labels = await ids(`SELECT label AS id FROM quality_label_rollup_vendor GROUP BY label ORDER BY sum(n_tp + n_fp + n_fn) DESC LIMIT 3`);
  const ranges = [
    { from: FROM, to: TO },
    { from: day(FROM, 30), to: day(FROM, 61) },
    { from: day(FROM, 45), to: day(FROM, 45) },
    { from: day(TO, -10), to: day(TO, 40) },
    { from: day(FROM, -60), to: day(FROM, -1) },
  ];
  const one = (dimension: repo.SliceDimension, values: string[]) => ({ dimension, values });
  const agentFilters: Filters[] = [
    [],
    ...vendors.map((v) => [one('vendor', [v])]),
    ...sites.map((s) => [one('site', [s])]),
    ...teams.map((t) => [one('team', [t])]),
    ...workflows.map((w) => [one('workflow', [w])]),
    [one('vendor', vendors.slice(0, 2)), one('workflow', [workflows[0]!])],
    [one('agent', agents)],
  ];
  const labelFilters: Filters[] = [[], [one('vendor', [vendors[1]!])], [one('workflow', [workflows[0]!])], [one('label', labels)]];
  // A label rate's overall: one vendor's labels pooled (a one-vendor filter, or the vendor's own viewer), or every vendor's (scope all only).
  const vendorPooled: Filters[] = [
    ...vendors.map((v) => [one('vendor', [v])]),
    [one('vendor', [vendors[0]!]), one('workflow', [workflows[1]!])],
    ...(viewer.scope.kind === 'vendor' ? [[]] : []),
  ];
  const workflowPooled: Filters[] = viewer.scope.kind === 'all' ? [[], ...workflows.map((w) => [one('workflow', [w])])] : [];
  const over = (filters: Filters[]) => ranges.flatMap((r) => filters.map((f) => ({ filters: f, ...r })));
  return { agent: over(agentFilters), vendor_label: over(labelFilters), vendor_pooled: over(vendorPooled), workflow_pooled: over(workflowPooled) };
}

interface Compared {
  slices: number;
  groups: number;
}

/** Both paths for every source and slice, as `viewer`: the same groups with the same terms and estimates. */
async function expectSameTerms(stage: string, viewer: Viewer = ALL): Promise<Compared> {
  const slices = await slicesOf(viewer);
  let groups = 0;
  let count = 0;
  await withViewer(world.database.db, viewer, async (trx) => {
    for (const { source, spec } of SOURCES) {
      const [table, by]: [repo.RollupTable, repo.SliceDimension[]] =
        source.kind === 'agent' ? ['quality_rollup_agent', ['agent']] : ['quality_label_rollup_vendor', source.kind === 'vendor_label' ? ['vendor', 'label'] : []];
      for (const s of slices[source.kind]) {
        const slice: repo.Slice = { by, filters: s.filters, from: s.from, to: s.to, grain: null };
        const label = `${stage}: ${JSON.stringify(source)} ${JSON.stringify(s)}`;
        const live = await repo.ratioTerms(trx, table, slice, spec);
        const fast = await runningRatioTerms(trx, source, slice, spec);
        const key = (r: repo.TermsRow) => `${r.overall}|${r.g0}|${r.g1}`;
        expect(fast.map(key).sort(), label).toEqual(live.map(key).sort());
        const byKey = new Map(fast.map((r) => [key(r), r]));
        for (const l of live) {
          const f = byKey.get(key(l))!;
          for (const c of COUNTS) expect(Number(f[c]), `${label} ${key(l)} ${c}`).toBe(Number(l[c]));
          const scale = Math.abs(Number(l.sum_w2bb));
          for (const c of SUMS) expect(close(Number(f[c]), Number(l[c]), scale), `${label} ${key(l)} ${c}: ${f[c]} vs ${l[c]}`).toBe(true);
          const kind = source.kind !== 'agent' && source.rate === 'f1' ? { kind: 'mean' as const, bounds: [0, 1] as const } : source.kind === 'agent' && source.measure === 'score' ? { kind: 'mean' as const } : {};
          const estimate = (r: repo.TermsRow) =>
            ratioFromTerms(
              { n: Number(r.n), strata: Number(r.strata), singletonStrata: Number(r.singleton_strata), sumWA: Number(r.sum_wa), sumWB: Number(r.sum_wb), sumW2BB: Number(r.sum_w2bb), qAA: Number(r.q_aa), qAB: Number(r.q_ab), qBB: Number(r.q_bb) },
              kind,
            );
          const [a, b] = [estimate(f), estimate(l)];
          for (const field of ['estimate', 'lower', 'upper', 'se'] as const) {
            expect(Math.abs(Number(a[field] ?? 0) - Number(b[field] ?? 0)), `${label} ${key(l)} ${field}`).toBeLessThan(1e-9);
          }
        }
        groups += live.length;
        count += 1;
      }
    }
  });
  return { slices: count, groups };
}

const pending = () => pendingRunningTermDays(world.database.db);
/** What the every-minute job runs: the log rows consumed. */
const refresh = async () => (await runRunningTermsJob(world.database.db)).consumed;

describe('running variance terms', () => {
  it('equal the per-stratum path with every day logged (no refresh yet), then after the refresh', async () => {
    expect(await pending()).toBeGreaterThan(0);
    const before = await expectSameTerms('all logged');
    expect(before.groups).toBeGreaterThan(1000);
    expect(await refresh()).toBeGreaterThan(0);
    expect(await pending()).toBe(0);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM quality_agent_terms`.execute(world.database.db);
    expect(rows[0]!.n).toBeGreaterThan(500);
    const after = await expectSameTerms('refreshed');
    expect(after).toEqual(before);
  });

  it('stay exact when new reviews and a dispute overturn land on old days, inside and before the range', async () => {
    await refresh();
    const db = world.database.db;
    // New reviews on a day 40 days into the range: reviewed decisions of that day cloned (decision, sample, task, review), as a late upload reviewed now.
    const clone = (table: string, changes: string) => sql.raw(`(jsonb_populate_record(NULL::${table}, to_jsonb(x) || ${changes})).*`);
    const inserted = await sql`
      WITH picked AS MATERIALIZED (
        SELECT r.id AS review_id, r.task_id, r.decision_id, gen_random_uuid() AS new_decision, gen_random_uuid() AS new_task, gen_random_uuid() AS new_review
        FROM reviews r JOIN decisions d ON d.id = r.decision_id
        WHERE r.purpose = 'primary' AND (d.decided_at AT TIME ZONE 'UTC')::date = ${day(FROM, 40)}::date ORDER BY r.id LIMIT 6),
      decisions_in AS (
        INSERT INTO decisions SELECT ${clone('decisions', `jsonb_build_object('id', p.new_decision, 'external_id', x.external_id || '-late')`)}
        FROM decisions x JOIN picked p ON p.decision_id = x.id RETURNING id),
      samples_in AS (
        INSERT INTO qa_samples SELECT ${clone('qa_samples', `jsonb_build_object('decision_id', p.new_decision)`)}
        FROM qa_samples x JOIN picked p ON p.decision_id = x.decision_id JOIN decisions_in n ON n.id = p.new_decision RETURNING decision_id),
      tasks_in AS (
        INSERT INTO qa_tasks SELECT ${clone('qa_tasks', `jsonb_build_object('id', p.new_task, 'decision_id', p.new_decision)`)}
        FROM qa_tasks x JOIN picked p ON p.task_id = x.id JOIN decisions_in n ON n.id = p.new_decision RETURNING id)
      INSERT INTO reviews SELECT ${clone('reviews', `jsonb_build_object('id', p.new_review, 'task_id', p.new_task, 'decision_id', p.new_decision, 'correct', NOT x.correct, 'disputed', false, 'overturned', false)`)}
      FROM reviews x JOIN picked p ON p.review_id = x.id JOIN tasks_in t ON t.id = p.new_task`.execute(db);
    expect(Number(inserted.numAffectedRows)).toBe(6);
    // Overturns as dispute resolution writes them: one day inside the inner ranges, one before them.
    for (const offset of [50, 10]) {
      await sql`
        UPDATE reviews SET correct = NOT correct, critical_failed = false, passed = NOT passed, score = 100 - score, qa_labels = '{}', overturned = true, disputed = true
        WHERE id IN (SELECT r.id FROM reviews r JOIN decisions d ON d.id = r.decision_id
                     WHERE r.purpose = 'primary' AND (d.decided_at AT TIME ZONE 'UTC')::date = ${day(FROM, offset)}::date ORDER BY r.id LIMIT 6)`.execute(db);
    }
    expect(await pending()).toBeGreaterThan(0);
    await expectSameTerms('new reviews and overturns, logged');
    await refresh();
    expect(await pending()).toBe(0);
    await expectSameTerms('new reviews and overturns, refreshed');
  });

  it('stay exact when an agent moves team in the middle of a day', async () => {
    await refresh();
    const db = world.database.db;
    // An agent's busiest day: half its reviews move to another team of the same site.
    const { rows } = await sql<{ agent_id: string; day: string; team_id: string; other: string }>`
      SELECT a.agent_id, a.day::text AS day, a.team_id, o.id AS other
      FROM (SELECT agent_id, day, team_id, site_id, sum(n) AS n FROM quality_rollup_agent WHERE team_id IS NOT NULL AND day BETWEEN ${day(FROM, 31)}::date AND ${day(FROM, 60)}::date
            GROUP BY 1, 2, 3, 4 ORDER BY n DESC LIMIT 1) a
      JOIN teams o ON o.site_id = a.site_id AND o.id <> a.team_id
      LIMIT 1`.execute(db);
    const move = rows[0]!;
    expect(move).toBeDefined();
    await sql`
      UPDATE reviews SET team_id = ${move.other}::uuid
      WHERE id IN (SELECT r.id FROM reviews r JOIN decisions d ON d.id = r.decision_id
                   WHERE r.agent_id = ${move.agent_id}::uuid AND r.purpose = 'primary' AND (d.decided_at AT TIME ZONE 'UTC')::date = ${move.day}::date
                   ORDER BY r.id LIMIT (SELECT greatest(1, count(*) / 2) FROM reviews r2 JOIN decisions d2 ON d2.id = r2.decision_id
                                        WHERE r2.agent_id = ${move.agent_id}::uuid AND (d2.decided_at AT TIME ZONE 'UTC')::date = ${move.day}::date))`.execute(db);
    await expectSameTerms('team move, logged');
    await refresh();
    const overlaps = await sql<{ n: number }>`SELECT count(*)::int AS n FROM quality_agent_overlaps WHERE agent_id = ${move.agent_id}::uuid AND day = ${move.day}::date`.execute(db);
    expect(overlaps.rows[0]!.n).toBe(2);
    await expectSameTerms('team move, refreshed');
  });

  it('a rebuild leaves the running totals equal to a recomputation from scratch', async () => {
    await refresh();
    const db = world.database.db;
    const KINDS = ['agent', 'vendor_label', 'vendor_pooled', 'workflow_pooled'] as const;
    const snapshot = async () => Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await runningTermRows(db, k)] as const))) as Record<(typeof KINDS)[number], Array<Record<string, unknown>>>;
    const kept = await snapshot();
    const result = await asSystem(db, (trx) => rebuildQualityRollups(trx));
    expect(result.differences).toEqual([]);
    expect(await pending()).toBe(0);
    const rebuilt = await snapshot();
    // From scratch: every workflow logged from its first day, then refreshed.
    await sql`INSERT INTO quality_terms_dirty (workflow_id, day) SELECT workflow_id, min(day) FROM quality_design_strata GROUP BY workflow_id`.execute(db);
    await refresh();
    const scratch = await snapshot();
    for (const kind of KINDS) {
      expect(rebuilt[kind].length).toBeGreaterThan(10);
      expect(rebuilt[kind].length).toBe(scratch[kind].length);
      expect(kept[kind].length).toBe(scratch[kind].length);
      scratch[kind].forEach((row, i) => {
        // Running totals are numeric (strings); the scale of a row's q terms is its sum of squared weights.
        const scale = Math.abs(Number(row.sum_w2bb ?? row.precision_sum_w2bb ?? 1));
        for (const [column, value] of Object.entries(row)) {
          for (const other of [rebuilt[kind][i]!, kept[kind][i]!]) {
            if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) expect(close(Number(other[column]), Number(value), scale), `${kind} ${i} ${column}: ${other[column]} vs ${value}`).toBe(true);
            else expect(String(other[column]), `${kind} ${i} ${column}`).toBe(String(value));
          }
        }
      });
    }
    await expectSameTerms('rebuilt');
  });

  it("a vendor's viewer reads only their vendor's series, with the same figures", async () => {
    const vendor: Viewer = { userId: null, scope: { kind: 'vendor', vendorId: world.coralpoint.id, siteId: null, teamId: null, personId: null } };
    await expectSameTerms('vendor scope', vendor);
    const visible = await withViewer(world.database.db, vendor, async (trx) => {
      const slice: repo.Slice = { by: ['agent'], filters: [], from: FROM, to: TO, grain: null };
      const agents = await runningRatioTerms(trx, { kind: 'agent', measure: 'correct' }, slice, outcomeSpec('correct'));
      const labels = await runningRatioTerms(trx, { kind: 'vendor_label', rate: 'precision' }, { ...slice, by: ['vendor', 'label'] }, cellSpec({ tp: 1 }, { tp: 1, fp: 1 }));
      return { agents: agents.map((r) => r.g0!), vendors: [...new Set(labels.map((r) => r.g0))] };
    });
    expect(visible.agents.length).toBeGreaterThan(3);
    const { rows } = await sql<{ vendor_id: string }>`SELECT DISTINCT vendor_id::text FROM people WHERE id = ANY(${visible.agents}::uuid[])`.execute(world.database.db);
    expect(rows.map((r) => r.vendor_id)).toEqual([world.coralpoint.id]);
    expect(visible.vendors).toEqual([world.coralpoint.id]);
    // Through the API: the vendor manager's agent table and label precision name Coralpoint only.
    const agentTable: MetricsResponse = await metrics(world.asVendorManager, 'measure=accuracy&by=agent');
    expect(agentTable.groups.length).toBe(visible.agents.length);
    const precision: MetricsResponse = await metrics(world.asVendorManager, 'measure=precision&by=vendor,label');
    expect(new Set(precision.groups.map((g) => g.key.vendor))).toEqual(new Set([world.coralpoint.id]));
  });
});
