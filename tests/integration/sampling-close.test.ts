import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Severity } from '../../src/db/schema.ts';
import { asSystem } from '../../src/db/scoped.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { decisionId } from '../../src/domain/decisions/decision-input.ts';
import { ingestDecisions } from '../../src/domain/decisions/ingest.service.ts';
import { closeDueSamplingDays, closeSamplingDay } from '../../src/domain/sampling/day-close.service.ts';
import { placeDecision } from '../../src/domain/sampling/plan.rules.ts';
import type { Placement, SamplingPlanDefinition } from '../../src/domain/sampling/plan.types.ts';
import { addDays, dayEnd, utcDay } from '../../src/domain/sampling/plan-timeline.rules.ts';
import { createActivePlan } from '../../src/domain/sampling/sampling-plans.service.ts';
import { verifySamplingDay } from '../../src/domain/sampling/sampling-verify.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { runCli } from '../support/cli-runner.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';

/**
 * The end-of-day selection of deferred strata: per-agent quotas (k of N with
 * pi = k/N, or all with pi = 1), capped rates (exactly the cap, pi = p cap /
 * sum p), idempotence, the due-day sweep with its grace period, and
 * verification that recomputes a day and finds planted differences.
 */

// QA tasks are another module's job (qa-queue tests): the real one runs, and its calls are recorded.
const tasks = vi.hoisted(() => ({ calls: [] as Array<{ ids: string[]; now: Date }> }));
vi.mock('../../src/domain/qa/qa-tasks.service.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/domain/qa/qa-tasks.service.ts')>();
  return {
    ...original,
    createTasksForSamples: (...args: Parameters<typeof original.createTasksForSamples>) => {
      tasks.calls.push({ ids: [...args[1]], now: args[2] });
      return original.createTasksForSamples(...args);
    },
  };
});

let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let vendorManager: WorldUser;
let plan: { id: string; definition: SamplingPlanDefinition; seed: string };

const SEED = 'close-test-seed';
const today = utcDay(new Date());
const D1 = addDays(today, -3);
const DEFINITION = (riskySite: string): SamplingPlanDefinition => ({
  tenureBands: [
    { key: 'nesting', below: 30 },
    { key: 'established', below: null },
  ],
  modelScoreBands: [{ key: 'any', below: null }],
  strata: [
    { key: 'crit', name: 'Every critical', when: { severities: ['critical'] }, stratifyBy: [], mode: 'all' },
    { key: 'newbies', name: 'Three a day per new hire', when: { tenureBands: ['nesting'] }, stratifyBy: [], mode: 'quota', quota: { perAgent: 3, period: 'day' } },
    { key: 'positives', name: 'Positives, at most 5 a day', when: { positive: true }, stratifyBy: [], mode: 'rate', rate: 0.2, dailyCap: 5 },
    { key: 'base', name: 'Baseline', when: {}, stratifyBy: ['vendor'], mode: 'rate', rate: 0.1 },
  ],
  riskWeights: [{ when: { siteIds: [riskySite] }, weight: 2 }],
  assumedAccuracy: 0.9,
});

interface Row {
  key: string;
  agent: WorldPerson;
  day: string;
  tenureDays?: number;
  labels?: string[];
  severity?: Severity | null;
}

interface Placed {
  id: string;
  row: Row;
  placement: Placement;
}

/**
 * Decisions written as ingestion writes them (it is being built in parallel):
 * placed by placeDecision, immediate selections sampled, and the per-stratum
 * tallies (population; expected and selected for immediate strata).
 */
async function insertPlaced(version: { id: string; definition: SamplingPlanDefinition; seed: string }, rows: Row[]): Promise<Placed[]> {
  const placed = rows.map((row) => {
    const id = decisionId('close-test', row.key);
    const placement = placeDecision(version.definition, version.seed, {
      decisionId: id,
      labels: row.labels ?? [],
      severity: row.severity ?? null,
      vendorId: row.agent.vendorId,
      siteId: row.agent.siteId,
      tenureDays: row.tenureDays ?? 400,
      modelScore: null,
    });
    return { id, row, placement };
  });
  await database.db
    .insertInto('decisions')
    .values(
      placed.map(({ id, row, placement }) => ({
        id,
        source: 'close-test',
        external_id: row.key,
        workflow_id: world.workflowId,
        agent_id: row.agent.id,
        vendor_id: row.agent.vendorId,
        site_id: row.agent.siteId,
        team_id: row.agent.teamId,
        decided_at: `${row.day}T10:00:00Z`,
        decided_day: row.day,
        labels: row.labels ?? [],
        policy_version_ids: [],
        severity: row.severity ?? null,
        action: 'remove',
        handle_time_ms: 1000,
        content_kind: 'text',
        content_text: 'x',
        metadata: '{}',
        tenure_days: row.tenureDays ?? 400,
        payload_hash: 'h',
        sampling_plan_version_id: version.id,
        stratum_key: placement.stratumKey,
        sampling_p: placement.p,
        sampling_u: placement.u,
      })),
    )
    .execute();
  const now = placed.filter((d) => d.placement.selectedNow);
  if (now.length > 0) {
    await database.db
      .insertInto('qa_samples')
      .values(
        now.map(({ id, row, placement }) => ({
          decision_id: id,
          plan_version_id: version.id,
          stratum_key: placement.stratumKey,
          inclusion_probability: placement.p!,
          method: placement.mode === 'all' ? ('all' as const) : ('rate' as const),
          vendor_id: row.agent.vendorId,
          site_id: row.agent.siteId,
          team_id: row.agent.teamId,
          agent_id: row.agent.id,
        })),
      )
      .execute();
  }
  const tallies = new Map<string, { day: string; stratumKey: string; population: number; expected: number; selected: number }>();
  for (const { row, placement } of placed) {
    const key = `${row.day}|${placement.stratumKey}`;
    const t = tallies.get(key) ?? { day: row.day, stratumKey: placement.stratumKey, population: 0, expected: 0, selected: 0 };
    t.population++;
    if (!placement.deferred) t.expected += placement.p!;
    if (placement.selectedNow) t.selected++;
    tallies.set(key, t);
  }
  await database.db
    .insertInto('sampling_strata_daily')
    .values([...tallies.values()].map((t) => ({ plan_version_id: version.id, day: t.day, stratum_key: t.stratumKey, population: t.population, expected: t.expected, selected: t.selected })))
    .onConflict((oc) =>
      oc.columns(['plan_version_id', 'day', 'stratum_key']).doUpdateSet({
        population: sql<number>`sampling_strata_daily.population + excluded.population`,
        expected: sql<number>`sampling_strata_daily.expected + excluded.expected`,
        selected: sql<number>`sampling_strata_daily.selected + excluded.selected`,
      }),
    )
    .execute();
  return placed;
}

const agents = () => world.people.filter((p) => p.teamId !== null);

async function samplesOf(ids: string[]) {
  if (ids.length === 0) return [];
  return database.db.selectFrom('qa_samples').selectAll().where('decision_id', 'in', ids).orderBy('decision_id').execute();
}

async function stratum(day: string, stratumKey: string) {
  return database.db.selectFrom('sampling_strata_daily').select(['population', 'expected', 'selected']).where('plan_version_id', '=', plan.id).where('day', '=', day).where('stratum_key', '=', stratumKey).executeTakeFirst();
}

let day1: Placed[];

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'close-admin');
  vendorManager = await addUser(database.db, world, 'vendor_manager', 'vendor', 'close-vendor-manager');
  app = await buildTestServer(database.db);
  const definition = DEFINITION(world.sites[0]!.id);
  const installed = await asSystem(database.db, (trx) =>
    createActivePlan(trx, systemActor('test'), world.workflowId, { name: 'Close test', definition, effectiveFrom: new Date(Date.now() - 60 * 86_400_000), seed: SEED }),
  );
  plan = { id: installed.id, definition: installed.definition, seed: SEED };

  const pool = agents();
  const [n1, n2] = [pool[0]!, pool[5]!];
  day1 = await insertPlaced(plan, [
    // New hire 1: 10 decisions, quota 3. New hire 2: only 2 (N < k).
    ...Array.from({ length: 10 }, (_, i) => ({ key: `d1-n1-${i}`, agent: n1, day: D1, tenureDays: 10 })),
    ...Array.from({ length: 2 }, (_, i) => ({ key: `d1-n2-${i}`, agent: n2, day: D1, tenureDays: 12 })),
    // 60 positives from established agents on every site: p = 0.2, or 0.4 on the risky site; expected 14 > cap 5.
    ...Array.from({ length: 60 }, (_, i) => ({ key: `d1-pos-${i}`, agent: pool[i % pool.length]!, day: D1, labels: ['spam.link'], severity: 'low' as const })),
    // One critical (always), and a baseline.
    { key: 'd1-crit', agent: pool[7]!, day: D1, labels: ['threat'], severity: 'critical' as const },
    ...Array.from({ length: 80 }, (_, i) => ({ key: `d1-base-${i}`, agent: pool[(i * 7) % pool.length]!, day: D1 })),
  ]);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

beforeEach(() => {
  tasks.calls.length = 0;
});

describe('closing a day', () => {
  it('selects k of N per agent-day (all when N < k) and exactly the cap, with the inclusion probabilities of the design', async () => {
    const now = new Date();
    const result = await asSystem(database.db, (trx) => closeSamplingDay(trx, plan.id, D1, now));
    expect(result).toMatchObject({ planVersionId: plan.id, day: D1, alreadyClosed: false, selected: 10 });

    // Quota: new hire 1 gets the 3 smallest draws, pi = 3/10; new hire 2 both, pi = 1.
    const n1 = day1.filter((d) => d.row.key.startsWith('d1-n1-'));
    const n2 = day1.filter((d) => d.row.key.startsWith('d1-n2-'));
    expect(n1.every((d) => d.placement.mode === 'quota' && d.placement.stratumKey === 'newbies')).toBe(true);
    const smallest = [...n1].sort((a, b) => a.placement.u - b.placement.u).slice(0, 3).map((d) => d.id).sort();
    const quota1 = await samplesOf(n1.map((d) => d.id));
    expect(quota1.map((s) => s.decision_id)).toEqual(smallest);
    expect(quota1.every((s) => s.inclusion_probability === 0.3 && s.method === 'quota' && s.stratum_key === 'newbies')).toBe(true);
    const quota2 = await samplesOf(n2.map((d) => d.id));
    expect(quota2.map((s) => [s.inclusion_probability, s.method])).toEqual([
      [1, 'quota'],
      [1, 'quota'],
    ]);
    expect(quota2[0]).toMatchObject({ agent_id: n2[0]!.row.agent.id, vendor_id: n2[0]!.row.agent.vendorId, site_id: n2[0]!.row.agent.siteId, team_id: n2[0]!.row.agent.teamId, plan_version_id: plan.id });

    // Capped: the Poisson sample would exceed the cap, so exactly 5, the smallest u/p, pi = p * 5 / sum p.
    const positives = day1.filter((d) => d.row.key.startsWith('d1-pos-'));
    const sum = positives.reduce((s, d) => s + d.placement.p!, 0);
    const risky = positives.filter((d) => d.row.agent.siteId === world.sites[0]!.id).length;
    expect(risky).toBe(12); // 3 for each of the risky site's 4 agents
    expect(sum).toBeCloseTo((60 - risky) * 0.2 + risky * 0.4, 9);
    expect(positives.filter((d) => d.placement.u < d.placement.p!).length).toBeGreaterThan(5);
    const byRatio = [...positives].sort((a, b) => a.placement.u / a.placement.p! - b.placement.u / b.placement.p!).slice(0, 5);
    const capped = await samplesOf(positives.map((d) => d.id));
    expect(capped.map((s) => s.decision_id)).toEqual(byRatio.map((d) => d.id).sort());
    for (const sample of capped) {
      const p = positives.find((d) => d.id === sample.decision_id)!.placement.p!;
      expect(sample.method).toBe('capped_rate');
      expect(sample.inclusion_probability).toBeCloseTo((p * 5) / sum, 12);
    }

    // Tallies: selections added, expected = sum of the final pi; the close recorded; tasks asked for.
    expect(await stratum(D1, 'newbies')).toEqual({ population: 12, expected: 5, selected: 5 });
    const pos = await stratum(D1, 'positives');
    expect(pos).toMatchObject({ population: 60, selected: 5 });
    expect(pos!.expected).toBeCloseTo(5, 9);
    const close = await database.db.selectFrom('sampling_day_closes').selectAll().where('plan_version_id', '=', plan.id).where('day', '=', D1).executeTakeFirstOrThrow();
    expect(close.selected).toBe(10);
    expect(tasks.calls).toHaveLength(1);
    expect(tasks.calls[0]!.now).toBe(now);
    const selectedIds = [...quota1, ...quota2, ...capped].map((s) => s.decision_id).sort();
    expect([...tasks.calls[0]!.ids].sort()).toEqual(selectedIds);
    expect(result.tasksCreated).toBe(10);
    const created = await database.db.selectFrom('qa_tasks').select(['decision_id', 'agent_id', 'status']).where('decision_id', 'in', selectedIds).orderBy('decision_id').execute();
    expect(created.map((t) => t.decision_id)).toEqual(selectedIds);
  });

  it('changes nothing when the day is closed again, and gives the same answer', async () => {
    const count = async () => Number((await database.db.selectFrom('qa_samples').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const samples = await count();
    const tallies = await database.db.selectFrom('sampling_strata_daily').selectAll().where('plan_version_id', '=', plan.id).orderBy('stratum_key').execute();
    const again = await asSystem(database.db, (trx) => closeSamplingDay(trx, plan.id, D1));
    expect(again).toMatchObject({ alreadyClosed: true, selected: 10, tasksCreated: 0 });
    expect(await count()).toBe(samples);
    expect(await database.db.selectFrom('sampling_strata_daily').selectAll().where('plan_version_id', '=', plan.id).orderBy('stratum_key').execute()).toEqual(tallies);
    expect(tasks.calls).toHaveLength(0);
    // A day that has not ended cannot close.
    await expect(asSystem(database.db, (trx) => closeSamplingDay(trx, plan.id, today))).rejects.toThrow(/has not ended/);
  });
});

describe('verification', () => {
  it('recomputes the closed day and finds no mismatch', async () => {
    const report = await asSystem(database.db, (trx) => verifySamplingDay(trx, plan.id, D1, { fullView: true }));
    expect(report).toMatchObject({ planVersionId: plan.id, day: D1, closed: true, checked: day1.length, mismatches: 0, details: [], lateArrivals: 0, partial: false, skippedStrata: [] });
  });

  it('finds a planted difference in a sample, a missing sample and a changed draw', async () => {
    const quotaSample = (await samplesOf(day1.filter((d) => d.row.key.startsWith('d1-n1-')).map((d) => d.id)))[0]!;
    await sql`UPDATE qa_samples SET inclusion_probability = 0.5 WHERE decision_id = ${quotaSample.decision_id}`.execute(database.db);
    const planted = await asSystem(database.db, (trx) => verifySamplingDay(trx, plan.id, D1, { fullView: true }));
    expect(planted.mismatches).toBe(1);
    expect(planted.details).toEqual([{ decisionId: quotaSample.decision_id, stratumKey: 'newbies', field: 'inclusion_probability', expected: 0.3, actual: 0.5 }]);
    await sql`UPDATE qa_samples SET inclusion_probability = 0.3 WHERE decision_id = ${quotaSample.decision_id}`.execute(database.db);

    const crit = day1.find((d) => d.row.key === 'd1-crit')!;
    const saved = (await samplesOf([crit.id]))[0]!;
    await sql`DELETE FROM qa_samples WHERE decision_id = ${crit.id}`.execute(database.db);
    const missing = await asSystem(database.db, (trx) => verifySamplingDay(trx, plan.id, D1, { fullView: true }));
    expect(missing.details.map((d) => [d.decisionId, d.stratumKey, d.field, d.expected, d.actual])).toEqual([
      [crit.id, 'crit', 'selected', true, false],
      [null, 'crit', 'selected_count', 0, 1],
    ]);
    await database.db.insertInto('qa_samples').values({ ...saved, selected_at: undefined }).execute();

    const base = day1.find((d) => d.row.key === 'd1-base-0')!;
    await sql`UPDATE decisions SET sampling_u = 0.123 WHERE id = ${base.id}`.execute(database.db);
    const draw = await asSystem(database.db, (trx) => verifySamplingDay(trx, plan.id, D1, { fullView: true }));
    expect(draw.details).toEqual([{ decisionId: base.id, stratumKey: base.placement.stratumKey, field: 'sampling_u', expected: base.placement.u, actual: 0.123 }]);
    await sql`UPDATE decisions SET sampling_u = ${base.placement.u} WHERE id = ${base.id}`.execute(database.db);

    expect((await asSystem(database.db, (trx) => verifySamplingDay(trx, plan.id, D1, { fullView: true }))).mismatches).toBe(0);
  });

  it('counts a decision that arrives after its day closed in the frame, without selecting it', async () => {
    const late = await insertPlaced(plan, [{ key: 'd1-late', agent: agents()[0]!, day: D1, tenureDays: 10 }]);
    expect(late[0]!.placement.deferred).toBe(true);
    const report = await asSystem(database.db, (trx) => verifySamplingDay(trx, plan.id, D1, { fullView: true }));
    expect(report).toMatchObject({ checked: day1.length + 1, mismatches: 0, lateArrivals: 1 });
    expect((await stratum(D1, 'newbies'))!.population).toBe(13);
    expect((await asSystem(database.db, (trx) => closeSamplingDay(trx, plan.id, D1))).alreadyClosed).toBe(true);
    expect(await samplesOf([late[0]!.id])).toEqual([]);
  });

  it('answers over HTTP: in full for scope all, partially for a vendor (capped strata need the whole day)', async () => {
    const full = await tokenClient(app, admin.token)('GET', `/api/sampling-plan-versions/${plan.id}/verify?day=${D1}`);
    expect(full.statusCode, full.body).toBe(200);
    expect(full.json()).toMatchObject({ closed: true, checked: day1.length + 1, mismatches: 0, lateArrivals: 1, partial: false });
    const scoped = await tokenClient(app, vendorManager.token)('GET', `/api/sampling-plan-versions/${plan.id}/verify?day=${D1}`);
    expect(scoped.statusCode, scoped.body).toBe(200);
    const vendorId = world.vendors[1]!.id;
    const visible = day1.filter((d) => d.row.agent.vendorId === vendorId).length;
    expect(scoped.json()).toMatchObject({ checked: visible, mismatches: 0, partial: true, skippedStrata: ['positives'] });
    const bad = await tokenClient(app, admin.token)('GET', `/api/sampling-plan-versions/${plan.id}/verify?day=2026-02-30`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details).toEqual([{ path: '?day', message: 'A UTC day written YYYY-MM-DD.' }]);
  });
});

describe("agents' gold answers", () => {
  it('are never selected by the day close nor checked by verification: they are not in the sampling frame', async () => {
    const day = addDays(today, -5);
    const newHire = agents()[3]!;
    // Four decisions of a new hire (quota 3); two are the agent's answers to gold items fed upstream.
    const placed = await insertPlaced(plan, Array.from({ length: 4 }, (_, i) => ({ key: `gold-day-${i}`, agent: newHire, day, tenureDays: 8 })));
    expect(placed.every((d) => d.placement.deferred && d.placement.stratumKey === 'newbies')).toBe(true);
    const [goldA, goldB, ...ordinary] = placed;
    for (const answer of [goldA!, goldB!]) {
      const item = await database.db
        .insertInto('gold_items')
        .values({ workflow_id: world.workflowId, content_kind: 'text', content_text: 'x', expert_labels: [], expert_action: 'none' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const feed = await database.db
        .insertInto('gold_feed_items')
        .values({ gold_item_id: item.id, workflow_id: world.workflowId, matched_decision_id: answer.id, matched_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto('gold_responses')
        .values({
          gold_item_id: item.id, feed_item_id: feed.id, decision_id: answer.id, workflow_id: world.workflowId, labels: [], action: 'remove',
          labels_correct: true, action_correct: false, correct: false, responded_at: new Date(),
          vendor_id: newHire.vendorId, site_id: newHire.siteId, team_id: newHire.teamId, agent_id: newHire.id,
        })
        .execute();
    }
    // Ingestion leaves gold answers out of the stratum's population; the fixture counted them.
    await sql`UPDATE sampling_strata_daily SET population = population - 2 WHERE plan_version_id = ${plan.id} AND day = ${day} AND stratum_key = 'newbies'`.execute(database.db);

    const closed = await asSystem(database.db, (trx) => closeSamplingDay(trx, plan.id, day));
    // N = 2 ordinary decisions < k = 3: both, with certainty; neither gold answer (without the filter 3 of 4 would be drawn).
    expect(closed).toMatchObject({ alreadyClosed: false, selected: 2 });
    expect(await samplesOf([goldA!.id, goldB!.id])).toEqual([]);
    expect((await samplesOf(ordinary.map((d) => d.id))).map((s) => [s.method, s.inclusion_probability])).toEqual([
      ['quota', 1],
      ['quota', 1],
    ]);
    const report = await asSystem(database.db, (trx) => verifySamplingDay(trx, plan.id, day, { fullView: true }));
    expect(report).toMatchObject({ closed: true, checked: 2, mismatches: 0 });
  });
});

describe('closing the days that are due', () => {
  it('waits for the grace period, closes each due day once, skips plans without deferred strata, and stops at --until', async () => {
    const E = addDays(today, -10);
    const F = addDays(today, -9);
    const newHire = agents()[2]!;
    const onE = await insertPlaced(plan, Array.from({ length: 5 }, (_, i) => ({ key: `e-${i}`, agent: newHire, day: E, tenureDays: 5 })));
    await insertPlaced(plan, Array.from({ length: 4 }, (_, i) => ({ key: `f-${i}`, agent: newHire, day: F, tenureDays: 5 })));
    // Another workflow whose plan selects everything at ingestion: nothing to close.
    const other = await database.db.insertInto('workflows').values({ key: `other_${world.tag}`, name: `Other ${world.tag}`, kind: 'support' }).returning('id').executeTakeFirstOrThrow();
    await asSystem(database.db, (trx) =>
      createActivePlan(trx, systemActor('test'), other.id, {
        name: 'Immediate only',
        definition: { ...plan.definition, strata: [{ key: 'base', name: 'Base', when: {}, stratifyBy: [], mode: 'rate', rate: 0.5 }], riskWeights: [] },
        effectiveFrom: new Date(Date.now() - 60 * 86_400_000),
      }),
    );

    const grace = 6 * 3_600_000;
    const early = await closeDueSamplingDays(database.db, new Date(dayEnd(E).getTime() + grace - 60_000));
    expect(early).toEqual({ throughDay: addDays(E, -1), closed: [], failed: [] });

    const due = await closeDueSamplingDays(database.db, new Date(dayEnd(E).getTime() + grace));
    expect(due.throughDay).toBe(E);
    expect(due.failed).toEqual([]);
    expect(due.closed.map((c) => [c.planVersionId, c.day, c.selected, c.alreadyClosed])).toEqual([[plan.id, E, 3, false]]);
    const samples = await samplesOf(onE.map((d) => d.id));
    expect(samples.map((s) => s.inclusion_probability)).toEqual([0.6, 0.6, 0.6]);
    expect((await closeDueSamplingDays(database.db, new Date(dayEnd(E).getTime() + grace))).closed).toEqual([]);

    // --until stops before F even though F is long due; without it, F closes.
    expect((await closeDueSamplingDays(database.db, new Date(), 6, { until: E })).closed).toEqual([]);
    const rest = await closeDueSamplingDays(database.db, new Date());
    expect(rest.closed.map((c) => [c.day, c.selected])).toEqual([[F, 3]]);
    expect(tasks.calls.map((c) => c.ids.length)).toEqual([3, 3]);
    const report = await asSystem(database.db, (trx) => verifySamplingDay(trx, plan.id, F, { fullView: true }));
    expect(report).toMatchObject({ closed: true, checked: 4, mismatches: 0 });
  });
});

describe('with the real ingestion', () => {
  it('places, samples and tallies as the verification recomputes it, stratified by label, quotas and caps included', async () => {
    const api = tokenClient(app, admin.token);
    for (const key of ['remove', 'no_action']) expect((await api('POST', '/api/actions', { key, name: key })).statusCode).toBe(201);
    const policy = await api('POST', '/api/policies', {
      key: `hate_${world.tag}`,
      name: 'Hate',
      initialVersion: {
        effectiveFrom: new Date(Date.now() - 400 * 86_400_000).toISOString(),
        summary: 'v1',
        labels: [
          { key: 'hate.slur', name: 'Slur', severity: 'critical' },
          { key: 'hate.symbol', name: 'Symbol', severity: 'medium' },
          { key: 'hate.joke', name: 'Joke', severity: 'low' },
        ],
        allowedActions: ['remove'],
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const workflowKey = `ingested_${world.tag}`;
    const workflow = await api('POST', '/api/workflows', { key: workflowKey, name: 'Ingested', kind: 'moderation', policyIds: [policy.json().id] });
    expect(workflow.statusCode, workflow.body).toBe(201);
    const definition: SamplingPlanDefinition = {
      tenureBands: [{ key: 'all', below: null }],
      modelScoreBands: [{ key: 'any', below: null }],
      strata: [
        { key: 'crit', name: 'Critical', when: { severities: ['critical'] }, stratifyBy: [], mode: 'all' },
        { key: 'hate', name: 'Hate, capped', when: { positive: true }, stratifyBy: ['label'], mode: 'rate', rate: 0.5, dailyCap: 3 },
        { key: 'clean', name: 'Two clean a day', when: { positive: false }, stratifyBy: [], mode: 'quota', quota: { perAgent: 2, period: 'day' } },
        { key: 'rest', name: 'Rest', when: {}, stratifyBy: ['vendor'], mode: 'rate', rate: 0.3 },
      ],
      riskWeights: [{ when: { vendorIds: [world.vendors[2]!.id] }, weight: 1.5 }],
      assumedAccuracy: 0.9,
    };
    const installed = await asSystem(database.db, (trx) =>
      createActivePlan(trx, systemActor('test'), workflow.json().id, { name: 'Ingested plan', definition, effectiveFrom: new Date(Date.now() - 60 * 86_400_000) }),
    );
    const G = addDays(today, -20);
    const labelSets = [[], ['hate.symbol'], ['hate.joke'], ['hate.symbol', 'hate.joke'], ['hate.slur', 'hate.joke'], []];
    const pool = agents();
    async function* lines() {
      for (let i = 0; i < 180; i++) {
        const labels = labelSets[i % labelSets.length]!;
        yield {
          line: i + 1,
          value: {
            source: 'ingest-test',
            external_id: `g-${i}`,
            workflow: workflowKey,
            agent: pool[i % pool.length]!.id,
            decided_at: `${G}T${String(i % 24).padStart(2, '0')}:15:00Z`,
            labels,
            action: labels.length ? 'remove' : 'no_action',
            handle_time_ms: 30_000,
            content: { kind: 'comment', text: `comment ${i}` },
          },
        };
      }
    }
    const summary = await ingestDecisions(database.db, systemActor('test'), lines());
    expect(summary).toMatchObject({ accepted: 180, rejectedCount: 0 });
    const stored = await database.db.selectFrom('decisions').select(['stratum_key']).where('sampling_plan_version_id', '=', installed.id).execute();
    expect(new Set(stored.map((d) => d.stratum_key))).toEqual(new Set(['crit', 'hate|label=hate.symbol', 'hate|label=hate.joke', 'clean']));

    const before = await asSystem(database.db, (trx) => verifySamplingDay(trx, installed.id, G, { fullView: true }));
    expect(before).toMatchObject({ closed: false, checked: 180, mismatches: 0 });
    const closed = await closeDueSamplingDays(database.db, new Date(), 6, { until: G });
    expect(closed.failed).toEqual([]);
    expect(closed.closed.map((c) => c.day)).toEqual([G]);
    // The quota takes min(2, N) of each agent's clean decisions; each capped label stratum exactly 3 (the cap binds).
    const cleanPerAgent = new Map<string, number>();
    for (let i = 0; i < 180; i++) if (labelSets[i % labelSets.length]!.length === 0) cleanPerAgent.set(pool[i % pool.length]!.id, (cleanPerAgent.get(pool[i % pool.length]!.id) ?? 0) + 1);
    const quotaTotal = [...cleanPerAgent.values()].reduce((t, n) => t + Math.min(2, n), 0);
    expect(closed.closed[0]!.selected).toBe(quotaTotal + 3 + 3);
    const after = await asSystem(database.db, (trx) => verifySamplingDay(trx, installed.id, G, { fullView: true }));
    expect(after).toMatchObject({ closed: true, checked: 180, mismatches: 0, lateArrivals: 0 });
  });
});

describe('the command line', () => {
  it('verifies a day (exit 0 without mismatches) and closes due days; a bad day is exit 2', async () => {
    const verify = await runCli(database.connectionString, ['sampling', 'verify', '--plan-version', plan.id, '--day', D1]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ planVersionId: plan.id, day: D1, closed: true, mismatches: 0, lateArrivals: 1 });
    expect(verify.stderr).toMatch(/0 mismatch/);

    const close = await runCli(database.connectionString, ['sampling', 'close', '--grace-hours', '0']);
    expect(close.code, close.stderr).toBe(0);
    expect(JSON.parse(close.stdout)).toMatchObject({ throughDay: addDays(today, -1), closed: [], failed: [] });

    const bad = await runCli(database.connectionString, ['sampling', 'close', '--until', '2026-13-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--until/);
  });
});
