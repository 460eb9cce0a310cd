import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { asSystem, withViewer } from '../../src/db/scoped.ts';
import { UNRESTRICTED } from '../../src/domain/access/scope.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { DEFAULT_PLAN, type SamplingPlanDefinition } from '../../src/domain/sampling/plan.types.ts';
import { addDays, utcDay } from '../../src/domain/sampling/plan-timeline.rules.ts';
import { createActivePlan, loadPlanTimelines, planInForce, previewPlanForWorkflow } from '../../src/domain/sampling/sampling-plans.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { auditRowsFor } from '../support/audit-trail.ts';

/**
 * Sampling plans through HTTP: one plan per workflow, versioned; drafts,
 * validation with JSON pointers, activation and supersession, immutability
 * (service and trigger), audit; the system-level install for the demo; and
 * the preview against a hand calculation, read under the caller's scope.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let analyst: WorldUser;
let vendorLead: WorldUser;
let vendorManager: WorldUser;
let api: ReturnType<typeof tokenClient>;
let policyLabels: string[];
let seq = 0;

const DAY_MS = 86_400_000;
const srs = (p: number, n: number, N: number) => 1.96 * Math.sqrt((p * (1 - p)) / n * (1 - n / N));

/** A workflow of its own for a test, linked to the test policy. */
async function newWorkflow(policyId?: string): Promise<string> {
  const k = `wf_${world.tag}_${++seq}`;
  const response = await api('POST', '/api/workflows', { key: k, name: `Workflow ${k}`, kind: 'moderation', policyIds: policyId ? [policyId] : [] });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

/** Decisions inserted directly as the system (ingestion is tested elsewhere); only what the preview reads matters here. */
async function insertDecisions(workflowId: string, rows: Array<{ agent: WorldPerson; day: string }>): Promise<void> {
  const values = rows.map((row, i) => ({
    id: randomUUID(),
    source: 'test',
    external_id: `${workflowId}-${i}`,
    workflow_id: workflowId,
    agent_id: row.agent.id,
    vendor_id: row.agent.vendorId,
    site_id: row.agent.siteId,
    team_id: row.agent.teamId,
    decided_at: `${row.day}T12:00:00Z`,
    decided_day: row.day,
    labels: [],
    policy_version_ids: [],
    severity: null,
    action: 'remove',
    handle_time_ms: 1000,
    content_kind: 'text',
    content_text: 'x',
    metadata: '{}',
    tenure_days: 400,
    payload_hash: 'h',
  }));
  for (let i = 0; i < values.length; i += 1000) await database.db.insertInto('decisions').values(values.slice(i, i + 1000)).execute();
}

const agents = () => world.people.filter((p) => p.teamId !== null);
const paths = (response: { json(): { error: { details: Array<{ path: string }> } } }) => response.json().error.details.map((d) => d.path).sort();

function definitionWith(over: Partial<SamplingPlanDefinition>): SamplingPlanDefinition {
  return { ...structuredClone(DEFAULT_PLAN), ...over };
}

let policyId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'plan-admin');
  analyst = await addUser(database.db, world, 'analyst', 'all', 'plan-analyst');
  vendorLead = await addUser(database.db, world, 'qa_lead', 'vendor', 'plan-vendor-lead');
  vendorManager = await addUser(database.db, world, 'vendor_manager', 'vendor', 'plan-vendor-manager');
  app = await buildTestServer(database.db);
  api = tokenClient(app, admin.token);
  expect((await api('POST', '/api/actions', { key: 'remove', name: 'Remove' })).statusCode).toBe(201);
  const policy = await api('POST', '/api/policies', {
    key: `hate_${world.tag}`,
    name: 'Hate speech',
    initialVersion: {
      effectiveFrom: new Date(Date.now() - 400 * DAY_MS).toISOString(),
      summary: 'v1',
      labels: [
        { key: 'hate.slur', name: 'Slur', severity: 'critical' },
        { key: 'hate.symbol', name: 'Symbol', severity: 'high' },
      ],
      allowedActions: ['remove'],
    },
  });
  expect(policy.statusCode, policy.body).toBe(201);
  policyId = policy.json().id;
  policyLabels = ['hate.slur', 'hate.symbol'];
  expect((await api('PATCH', `/api/workflows/${world.workflowId}`, { policyIds: [policyId] })).statusCode).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('plan versions', () => {
  it('lists every workflow with no plan yet', async () => {
    const response = await api('GET', '/api/sampling-plans');
    expect(response.statusCode).toBe(200);
    const row = response.json().items.find((r: { workflowId: string }) => r.workflowId === world.workflowId);
    expect(row).toEqual({ workflowId: world.workflowId, workflowKey: `video_${world.tag}`, workflowName: `Video ${world.tag}`, active: null, draft: null, versions: 0 });
  });

  it('drafts, validates with JSON pointers, activates, supersedes, and never changes an activated version', async () => {
    const workflowId = await newWorkflow(policyId);
    // A draft from the default plan (no active version yet); only one draft per workflow.
    const created = await api('POST', `/api/sampling-plans/${workflowId}/versions`, { name: 'First plan', notes: 'Start simple' });
    expect(created.statusCode, created.body).toBe(201);
    const v1 = created.json();
    expect(v1).toMatchObject({ workflowId, version: 1, status: 'draft', name: 'First plan', notes: 'Start simple', effectiveFrom: null, activatedAt: null, inForce: false, createdBy: admin.id });
    expect(v1.definition.strata.map((r: { key: string }) => r.key)).toEqual(DEFAULT_PLAN.strata.map((r) => r.key));
    expect(v1.seed).toMatch(/^[0-9a-f]{32}$/);
    const second = await api('POST', `/api/sampling-plans/${workflowId}/versions`, { name: 'Another' });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toMatch(/already has a draft/);

    // Every problem at once, with its pointer; references checked against the workflow's policies, vendors and sites.
    const bad = definitionWith({
      strata: [
        { key: 'hate', name: 'Hate', when: { labels: ['hate.slur', 'spam.link'] }, stratifyBy: ['label'], mode: 'rate', rate: 1.5 },
        { key: 'base', name: 'Baseline', when: { positive: false }, stratifyBy: [], mode: 'rate', rate: 0.02 },
      ],
      riskWeights: [{ when: { vendorIds: [world.vendors[1]!.id, randomUUID()], siteIds: ['not-a-uuid'] }, weight: 2 }],
    });
    const rejected = await api('PUT', `/api/sampling-plan-versions/${v1.id}`, { name: ' ', definition: bad });
    expect(rejected.statusCode).toBe(422);
    expect(paths(rejected)).toEqual(['/definition/strata/0/rate', '/definition/strata/1/when', '/name']);
    const references = await api('PUT', `/api/sampling-plan-versions/${v1.id}`, {
      name: 'Refs',
      definition: { ...bad, strata: [{ ...bad.strata[0]!, rate: 0.5 }, { ...bad.strata[1]!, when: {} }] },
    });
    expect(references.statusCode).toBe(422);
    expect(references.json().error.details).toEqual([
      { path: '/definition/strata/0/when/labels/1', message: 'No policy of this workflow has the label "spam.link".' },
      { path: '/definition/riskWeights/0/when/vendorIds/1', message: 'No such vendor.' },
      { path: '/definition/riskWeights/0/when/siteIds/0', message: 'No such site.' },
    ]);
    expect(paths(await api('PUT', `/api/sampling-plan-versions/${v1.id}`, { name: 'x', definition: 'nope' }))).toEqual(['/definition']);
    expect(paths(await api('PUT', `/api/sampling-plan-versions/${v1.id}`, { name: 'x' }))).toEqual(['/definition']);
    expect((await api('GET', `/api/sampling-plan-versions/${v1.id}`)).json().name).toBe('First plan');

    // A valid edit.
    const good = definitionWith({
      strata: [
        { key: 'hate', name: 'Hate', when: { labels: policyLabels }, stratifyBy: ['label'], mode: 'rate', rate: 0.5, dailyCap: 20 },
        { key: 'base', name: 'Baseline', when: {}, stratifyBy: ['vendor'], mode: 'rate', rate: 0.02 },
      ],
      riskWeights: [{ when: { siteIds: [world.sites[0]!.id] }, weight: 2 }],
    });
    const edited = await api('PUT', `/api/sampling-plan-versions/${v1.id}`, { name: 'First plan, with hate', notes: '', definition: good });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ status: 'draft', name: 'First plan, with hate', notes: '', definition: good });

    // Activation: not in the past; then active and in force.
    const past = await api('POST', `/api/sampling-plan-versions/${v1.id}/activate`, { effectiveFrom: new Date(Date.now() - 5 * 60_000).toISOString() });
    expect(past.statusCode).toBe(422);
    expect(paths(past)).toEqual(['/effectiveFrom']);
    expect(paths(await api('POST', `/api/sampling-plan-versions/${v1.id}/activate`, { effectiveFrom: 'tomorrow' }))).toEqual(['/effectiveFrom']);
    const before = Date.now();
    const activated = await api('POST', `/api/sampling-plan-versions/${v1.id}/activate`);
    expect(activated.statusCode, activated.body).toBe(200);
    expect(activated.json()).toMatchObject({ status: 'active', inForce: true, activatedBy: admin.id, definition: good });
    expect(Date.parse(activated.json().effectiveFrom)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(activated.json().effectiveFrom)).toBeLessThanOrEqual(Date.now() + 1000);

    // An activated version never changes: 409 from the API...
    for (const [method, url, body] of [
      ['PUT', `/api/sampling-plan-versions/${v1.id}`, { name: 'Rewritten', definition: DEFAULT_PLAN }],
      ['DELETE', `/api/sampling-plan-versions/${v1.id}`, undefined],
      ['POST', `/api/sampling-plan-versions/${v1.id}/activate`, {}],
    ] as const) {
      const response = await api(method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(409);
    }
    // ...and from the database, whoever asks.
    for (const change of [sql`definition = '{}'::jsonb`, sql`seed = 'other'`, sql`effective_from = now() - interval '1 day'`]) {
      await expect(sql`UPDATE sampling_plan_versions SET ${change} WHERE id = ${v1.id}`.execute(database.db)).rejects.toThrow(/cannot change/);
    }
    const unchanged = (await api('GET', `/api/sampling-plan-versions/${v1.id}`)).json();
    expect(unchanged).toMatchObject({ name: 'First plan, with hate', definition: good, seed: v1.seed, effectiveFrom: activated.json().effectiveFrom });

    // The next draft copies the active definition, with a new seed; activating it supersedes version 1.
    const v2 = (await api('POST', `/api/sampling-plans/${workflowId}/versions`, {})).json();
    expect(v2).toMatchObject({ version: 2, status: 'draft', name: 'Version 2', definition: good });
    expect(v2.seed).not.toBe(v1.seed);
    const fromDefault = await api('DELETE', `/api/sampling-plan-versions/${v2.id}`);
    expect(fromDefault.statusCode).toBe(204);
    expect((await api('GET', `/api/sampling-plan-versions/${v2.id}`)).statusCode).toBe(404);
    // A discarded draft leaves no trace but its audit entries: the number is free again.
    const v3 = (await api('POST', `/api/sampling-plans/${workflowId}/versions`, { from: 'default', name: 'Back to default' })).json();
    expect(v3).toMatchObject({ version: 2, definition: { strata: DEFAULT_PLAN.strata.map((r) => expect.objectContaining({ key: r.key })) } });
    const later = new Date(Date.now() + DAY_MS).toISOString();
    const scheduled = await api('POST', `/api/sampling-plan-versions/${v3.id}/activate`, { effectiveFrom: later });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    expect(scheduled.json()).toMatchObject({ status: 'active', inForce: false, effectiveFrom: later });

    const versions = (await api('GET', `/api/sampling-plans/${workflowId}/versions`)).json();
    expect(versions.items.map((v: { version: number; status: string; inForce: boolean }) => [v.version, v.status, v.inForce])).toEqual([
      [2, 'active', false],
      [1, 'superseded', true],
    ]);
    const overview = (await api('GET', '/api/sampling-plans')).json().items.find((r: { workflowId: string }) => r.workflowId === workflowId);
    expect(overview).toMatchObject({ active: { id: v3.id, version: 2, status: 'active', inForce: false }, draft: null, versions: 2 });

    // The timeline only appends: a version may not take effect before the latest one.
    const v4 = (await api('POST', `/api/sampling-plans/${workflowId}/versions`, { name: 'Too early' })).json();
    const early = await api('POST', `/api/sampling-plan-versions/${v4.id}/activate`);
    expect(early.statusCode).toBe(422);
    expect(early.json().error.details).toEqual([{ path: '/effectiveFrom', message: `Version 2 takes effect at ${later}; a new version must take effect after it.` }]);
    expect((await api('GET', '/api/sampling-plans')).json().items.find((r: { workflowId: string }) => r.workflowId === workflowId).draft).toMatchObject({ id: v4.id, version: 3 });

    // Every change is audited.
    expect((await auditRowsFor(database.db, v1.id)).map((e) => e.action)).toEqual(['sampling_plan.draft_create', 'sampling_plan.draft_update', 'sampling_plan.activate']);
    expect((await auditRowsFor(database.db, v2.id)).map((e) => e.action)).toEqual(['sampling_plan.draft_create', 'sampling_plan.draft_discard']);
    const activation = (await auditRowsFor(database.db, v3.id)).at(-1)!;
    expect(activation).toMatchObject({ action: 'sampling_plan.activate', entity_type: 'sampling_plan_version', actor_user_id: admin.id });
    expect(activation.details).toMatchObject({ workflowId, version: 2, effectiveFrom: later, supersededVersionId: v1.id, supersededVersion: 1 });
    expect((await auditRowsFor(database.db, v1.id))[1]!.details).toMatchObject({ changed: ['name', 'notes', 'definition'] });
  });

  it('lets any sampling reader see plans, shows the seed only to all-scope writers, and keeps writes to all-scope users', async () => {
    const workflowId = await newWorkflow();
    const draft = (await api('POST', `/api/sampling-plans/${workflowId}/versions`, { name: 'Seeded' })).json();
    const asAnalyst = await tokenClient(app, analyst.token)('GET', `/api/sampling-plan-versions/${draft.id}`);
    expect(asAnalyst.statusCode).toBe(200);
    expect(asAnalyst.json()).toMatchObject({ id: draft.id, seed: null });
    expect((await tokenClient(app, analyst.token)('GET', `/api/sampling-plans/${workflowId}/versions`)).json().items[0].seed).toBeNull();
    expect((await tokenClient(app, analyst.token)('POST', `/api/sampling-plan-versions/${draft.id}/activate`)).statusCode).toBe(403);
    // A vendor's QA lead may write sampling in general, but a workflow's plan applies to every vendor.
    const lead = tokenClient(app, vendorLead.token);
    expect((await lead('GET', `/api/sampling-plan-versions/${draft.id}`)).json().seed).toBeNull();
    for (const [method, url, body] of [
      ['PUT', `/api/sampling-plan-versions/${draft.id}`, { name: 'Mine', definition: DEFAULT_PLAN }],
      ['POST', `/api/sampling-plan-versions/${draft.id}/activate`, {}],
      ['DELETE', `/api/sampling-plan-versions/${draft.id}`, undefined],
    ] as const) {
      const response = await lead(method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await api('GET', `/api/sampling-plan-versions/${draft.id}`)).json()).toMatchObject({ status: 'draft', name: 'Seeded' });
    expect((await api('GET', `/api/sampling-plans/${randomUUID()}/versions`)).statusCode).toBe(404);
    expect((await api('GET', `/api/sampling-plan-versions/${randomUUID()}`)).statusCode).toBe(404);
    expect((await api('POST', `/api/sampling-plans/${randomUUID()}/versions`, {})).statusCode).toBe(404);
  });

  it('installs an active plan in the past for the demo, and ingestion finds the version in force', async () => {
    const workflowId = await newWorkflow();
    const effectiveFrom = new Date(Date.now() - 100 * DAY_MS);
    const installed = await asSystem(database.db, (trx) =>
      createActivePlan(trx, systemActor('demo'), workflowId, { name: 'Demo plan', definition: DEFAULT_PLAN, effectiveFrom, seed: 'demo-seed' }),
    );
    expect(installed).toMatchObject({ version: 1, status: 'active', seed: 'demo-seed', effectiveFrom: effectiveFrom.toISOString(), inForce: true });
    // The API would refuse that date for a draft of its own.
    const draft = (await api('POST', `/api/sampling-plans/${workflowId}/versions`, {})).json();
    expect((await api('POST', `/api/sampling-plan-versions/${draft.id}/activate`, { effectiveFrom: effectiveFrom.toISOString() })).statusCode).toBe(422);
    await api('POST', `/api/sampling-plan-versions/${draft.id}/activate`);

    const timelines = await asSystem(database.db, (trx) => loadPlanTimelines(trx));
    const timeline = timelines.get(workflowId)!;
    expect(timeline.map((v) => [v.version, v.status, v.seed.length > 0])).toEqual([
      [1, 'superseded', true],
      [2, 'active', true],
    ]);
    expect(timeline[0]!.definition).toEqual(validated(DEFAULT_PLAN));
    expect(planInForce(timeline, new Date(Date.now() - 50 * DAY_MS))?.id).toBe(installed.id);
    expect(planInForce(timeline, new Date(Date.now() - 101 * DAY_MS))).toBeNull();
    expect(planInForce(timeline, new Date(Date.now() + 1000))?.id).toBe(draft.id);
  });
});

function validated(definition: SamplingPlanDefinition): SamplingPlanDefinition {
  return { ...definition, strata: definition.strata.map((r) => (r.mode === 'rate' ? { ...r, dailyCap: r.dailyCap ?? null } : r)) };
}

describe('preview', () => {
  const rate10 = definitionWith({ strata: [{ key: 'base', name: 'Baseline', when: {}, stratifyBy: ['vendor'], mode: 'rate', rate: 0.1 }], riskWeights: [] });

  it('matches a hand calculation: 100 decisions a day at 10% is 10 a day, with the SRS margins', async () => {
    const workflowId = await newWorkflow();
    const today = utcDay(new Date());
    const rows: Array<{ agent: WorldPerson; day: string }> = [];
    const pool = agents();
    for (let d = 1; d <= 28; d++) for (let i = 0; i < 100; i++) rows.push({ agent: pool[i % pool.length]!, day: addDays(today, -d) });
    rows.push({ agent: pool[0]!, day: today }); // today is not a full day: not read
    rows.push({ agent: pool[0]!, day: addDays(today, -29) }); // before the window
    await insertDecisions(workflowId, rows);

    const response = await api('POST', '/api/sampling-plans/preview', { workflowId, definition: rate10 });
    expect(response.statusCode, response.body).toBe(200);
    const preview = response.json();
    expect(preview).toMatchObject({ from: addDays(today, -28), to: addDays(today, -1), days: 28, observedDays: 28, decisions: 2800, sampledFraction: 1, assumedAccuracy: 0.9, note: null });
    expect(preview.total.dailyPopulation).toBeCloseTo(100, 9);
    expect(preview.total.dailyExpectedSample).toBeCloseTo(10, 9);
    expect(preview.total.marginOfErrorDay).toBeCloseTo(srs(0.9, 10, 100), 9);
    expect(preview.total.marginOfErrorWeek).toBeCloseTo(srs(0.9, 70, 700), 9);
    expect(preview.total.marginOfErrorMonth).toBeCloseTo(srs(0.9, 300, 3000), 9);
    // One stratum per vendor (the plan stratifies by vendor): a third of the volume each.
    expect(preview.strata).toHaveLength(3);
    for (const stratum of preview.strata) {
      expect(stratum.stratumKey).toMatch(/^base\|vendor=/);
      expect(stratum.expectedRate).toBeCloseTo(0.1, 12);
    }
    expect(preview.strata.reduce((sum: number, s: { dailyPopulation: number }) => sum + s.dailyPopulation, 0)).toBeCloseTo(100, 9);

    // A very large queue is read as a deterministic subset (by a hash of the id) and scaled back up.
    const subset = await withViewer(database.db, { userId: admin.id, scope: UNRESTRICTED }, (trx) =>
      previewPlanForWorkflow(trx, systemActor(), { workflowId, definition: rate10 }, new Date(), { maxRows: 1000 }),
    );
    expect(subset.decisions).toBe(2800);
    expect(subset.sampledFraction).toBeGreaterThan(0.3);
    expect(subset.sampledFraction).toBeLessThan(0.42);
    expect(subset.total.dailyPopulation).toBeCloseTo(100, 9);
    expect(subset.total.dailyExpectedSample).toBeCloseTo(10, 9);
    expect(subset.total.marginOfErrorDay).toBeCloseTo(srs(0.9, 10, 100), 9);
    const again = await withViewer(database.db, { userId: admin.id, scope: UNRESTRICTED }, (trx) =>
      previewPlanForWorkflow(trx, systemActor(), { workflowId, definition: rate10 }, new Date(), { maxRows: 1000 }),
    );
    expect(again).toEqual(subset);

    // Fewer days: the same daily figures.
    const week = (await api('POST', '/api/sampling-plans/preview', { workflowId, definition: rate10, days: 7 })).json();
    expect(week).toMatchObject({ days: 7, decisions: 700, from: addDays(today, -7) });
    expect(week.total.marginOfErrorDay).toBeCloseTo(srs(0.9, 10, 100), 9);

    // A vendor-scoped reader previews only the decisions they can see.
    const vendorId = world.vendors[1]!.id;
    const own = rows.filter((r) => r.agent.vendorId === vendorId && r.day >= addDays(today, -28) && r.day < today).length;
    const scoped = (await tokenClient(app, vendorManager.token)('POST', '/api/sampling-plans/preview', { workflowId, definition: rate10 })).json();
    expect(scoped.decisions).toBe(own);
    expect(scoped.strata.map((s: { stratumKey: string }) => s.stratumKey)).toEqual([`base|vendor=${vendorId}`]);
    expect(scoped.total.dailyPopulation).toBeCloseTo(own / 28, 9);
  });

  it('answers zeros and a note without history, and checks its input', async () => {
    const workflowId = await newWorkflow();
    const empty = await api('POST', '/api/sampling-plans/preview', { workflowId, definition: rate10 });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ decisions: 0, total: { dailyPopulation: 0, dailyExpectedSample: 0, marginOfErrorDay: 0, marginOfErrorWeek: 0, marginOfErrorMonth: 0 } });
    expect(empty.json().strata).toEqual([expect.objectContaining({ stratumKey: 'base', dailyPopulation: 0 })]);
    expect(empty.json().note).toMatch(/needs history/);

    const invalid = await api('POST', '/api/sampling-plans/preview', { workflowId, definition: { ...rate10, assumedAccuracy: 1 } });
    expect(paths(invalid)).toEqual(['/definition/assumedAccuracy']);
    expect(paths(await api('POST', '/api/sampling-plans/preview', { workflowId: randomUUID(), definition: rate10 }))).toEqual(['/workflowId']);
    expect(paths(await api('POST', '/api/sampling-plans/preview', { workflowId, definition: rate10, days: 91 }))).toEqual(['/days']);
    // Readers may preview; roles without sampling.read may not.
    expect((await tokenClient(app, analyst.token)('POST', '/api/sampling-plans/preview', { workflowId, definition: rate10 })).statusCode).toBe(200);
  });
});
