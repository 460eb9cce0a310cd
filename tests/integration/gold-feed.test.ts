import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';
import { addActivePlan, addDecisionCatalogue, decision, ndjson, type DecisionWorld } from '../support/decision-world.ts';

/**
 * Gold items in agents' queues: the upstream tool pulls items (content, an
 * opaque id, never the answer), sends the agent's decision back through
 * ordinary ingestion with that id as external_id, and the ingest hook scores
 * it against the expert answer, keeps it out of sampling (so it never gets a
 * review that would count for the agent) and shows it to QA leads only.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let dw: DecisionWorld;
let admin: WorldUser;
let vendorIngest: WorldUser;
let goldId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  // Sample everything, so only the hook can keep a gold answer out of QA.
  await addActivePlan(database.db, world.workflowId, {
    tenureBands: [{ key: 'all', below: null }],
    modelScoreBands: [{ key: 'all', below: null }],
    strata: [{ key: 'everything', name: 'Everything', when: {}, stratifyBy: [], mode: 'all' }],
    riskWeights: [],
    assumedAccuracy: 0.9,
  });
  admin = await addUser(database.db, world, 'admin', 'all', 'feed-admin');
  vendorIngest = await addUser(database.db, world, 'quality_manager', 'vendor', 'feed-vendor');
  app = await buildTestServer(database.db);
  const created = await tokenClient(app, admin.token)('POST', '/api/auditing/gold-items', {
    workflowId: world.workflowId,
    content: { kind: 'comment', text: 'you people should all disappear', language: 'en' },
    severity: 'critical',
    labels: [dw.labels.threat],
    action: 'remove',
    rationale: 'A veiled threat.',
  });
  expect(created.statusCode, created.body).toBe(201);
  goldId = created.json().id;
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

function ingest(token: string, records: unknown[]) {
  return app.inject({ method: 'POST', url: '/api/decisions', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, payload: ndjson(records) });
}

describe('the gold feed for agents', () => {
  it('hands out content with an opaque id, never the expert answer, and scores the answers that come back', async () => {
    const pulled = await tokenClient(app, vendorIngest.token)('POST', '/api/auditing/gold-feed', { workflowId: world.workflowId, limit: 2 });
    expect(pulled.statusCode, pulled.body).toBe(200);
    const items = pulled.json().items as Array<{ id: string; content: { text: string } }>;
    expect(items).toHaveLength(1);
    expect(items[0]!.content.text).toBe('you people should all disappear');
    expect(pulled.body).not.toContain(dw.labels.threat);
    expect(pulled.body).not.toContain('veiled');
    const second = (await tokenClient(app, admin.token)('POST', '/api/auditing/gold-feed', { workflowId: world.workflowId })).json().items[0];

    const agents = world.people.filter((p) => p.vendorId === world.vendors[1]!.id && p.teamId !== null);
    const res = await ingest(admin.token, [
      decision(dw, agents[0]!.id, 1, { external_id: items[0]!.id, labels: [dw.labels.threat], action: 'remove', decided_at: '2026-09-03T10:00:00Z' }),
      decision(dw, agents[1]!.id, 2, { external_id: second.id, labels: [dw.labels.slur], action: 'remove', decided_at: '2026-09-03T10:00:00Z' }),
      decision(dw, agents[1]!.id, 3, { external_id: 'ordinary-1', decided_at: '2026-09-03T10:00:00Z' }),
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 3 });
    const responses = await database.db.selectFrom('gold_responses').selectAll().orderBy('correct', 'desc').execute();
    expect(responses.map((r) => [r.agent_id, r.correct, r.labels_correct, r.action_correct])).toEqual([
      [agents[0]!.id, true, true, true],
      [agents[1]!.id, false, false, true],
    ]);
    // Gold answers are not sampled: only the ordinary decision got a QA task.
    const tasks = await database.db.selectFrom('qa_tasks').innerJoin('decisions', 'decisions.id', 'qa_tasks.decision_id').select('decisions.external_id').execute();
    expect(tasks.map((t) => t.external_id)).toEqual(['ordinary-1']);

    const results = (await tokenClient(app, admin.token)('GET', `/api/auditing/agent-gold?workflowId=${world.workflowId}`)).json().items;
    expect(results.map((r: { agentId: string; accuracy: { x: number; n: number } }) => [r.agentId, r.accuracy.x, r.accuracy.n]).sort()).toEqual(
      [[agents[0]!.id, 1, 1], [agents[1]!.id, 0, 1]].sort(),
    );
    // A vendor-scoped lead sees only their own vendor's agents (here: the same vendor 1, so both); vendor 2 none.
    const other = await addUser(database.db, world, 'qa_lead', 'vendor', 'lead-v2');
    await database.db.updateTable('users').set({ scope_ref_id: world.vendors[2]!.id }).where('id', '=', other.id).execute();
    expect((await tokenClient(app, other.token)('GET', '/api/auditing/agent-gold')).json().items).toEqual([]);
  });

  it('retires an item: no longer fed, 404 for an unknown id', async () => {
    const asAdmin = tokenClient(app, admin.token);
    const retired = await asAdmin('POST', `/api/auditing/gold-items/${goldId}/retire`);
    expect(retired.statusCode).toBe(200);
    expect(retired.json().status).toBe('retired');
    expect((await asAdmin('POST', '/api/auditing/gold-feed', { workflowId: world.workflowId })).json().items).toEqual([]);
    expect((await asAdmin('POST', '/api/auditing/gold-items/00000000-0000-4000-8000-000000000000/retire')).statusCode).toBe(404);
  });
});
