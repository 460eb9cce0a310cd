import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { asSystem } from '../../src/db/scoped.ts';
import { seededUniform, selectedForDoubleReview } from '../../src/domain/auditing/auditing.rules.ts';
import { createTasksForSamples } from '../../src/domain/qa/qa-tasks.service.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from '../support/decision-world.ts';
import { insertSampledDecisions } from '../support/decision-fixtures.ts';

/**
 * Double review of vendor QA end to end: the seeded draw (kept, and the same
 * in SQL as in the pure rules), blind tasks for in-house QA only, the
 * internal review kept out of the metrics and out of the vendor's sight, and
 * the per-vendor and per-reviewer results with the paired leniency.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let dw: DecisionWorld;
let admin: WorldUser;
let vendorQa: WorldUser;
let vendorQaPerson: WorldPerson;
let internalQa: WorldUser;
let internalPerson: WorldPerson;
let vendorLead: WorldUser;
let seq = 0;

const definition: ScorecardDefinition = {
  sections: [{ key: 'd', title: 'Decision', questions: [{ key: 'label_ok', text: 'Correct label?', kind: 'correct_label', weight: 1, critical: true }] }],
  rootCauses: [],
  commentRequiredOnFail: false,
  passMark: 80,
};

const agents = () => world.people.filter((p) => p.vendorId === world.vendors[1]!.id && p.teamId !== null);

async function qaPerson(vendor: number): Promise<WorldPerson> {
  seq += 1;
  const vendorId = world.vendors[vendor]!.id;
  const siteId = world.sites.find((s) => s.vendorId === vendorId)!.id;
  const row = await database.db
    .insertInto('people')
    .values({ vendor_id: vendorId, site_id: siteId, team_id: null, full_name: `QA person ${seq}`, job_role: 'qa_specialist', hire_date: '2021-06-01', languages: ['en'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db.insertInto('person_workflow_skills').values({ person_id: row.id, workflow_id: world.workflowId }).execute();
  return { id: row.id, vendorId, siteId, teamId: null, fullName: `QA person ${seq}` };
}

async function linked(role: 'qa_specialist' | 'qa_lead', kind: 'vendor' | 'all', person: WorldPerson | null, vendorId?: string): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${kind}-${seq}`);
  if (person) await database.db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
  if (kind === 'vendor') await database.db.updateTable('users').set({ scope_ref_id: vendorId ?? person!.vendorId }).where('id', '=', user.id).execute();
  return user;
}

/** Claims, opens and submits a task with a verdict of the given labels. */
async function review(client: ReturnType<typeof tokenClient>, taskId: string, labels: string[]) {
  expect((await client('POST', `/api/qa/tasks/${taskId}/claim`)).statusCode).toBe(200);
  const ws = await client('GET', `/api/qa/tasks/${taskId}/workspace`);
  expect(ws.statusCode, ws.body).toBe(200);
  const res = await client('POST', `/api/qa/tasks/${taskId}/review`, { scorecardVersionId: ws.json().scorecard.id, verdict: { labels, action: 'remove' }, answers: [] });
  expect(res.statusCode, res.body).toBe(201);
  return { review: res.json(), workspace: ws.body };
}

let vendorReviewIds: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  await database.db
    .insertInto('scorecard_versions')
    .values({ workflow_id: world.workflowId, version: 1, status: 'published', name: 'M', definition: JSON.stringify(definition), published_at: new Date() })
    .execute();
  admin = await addUser(database.db, world, 'admin', 'all', 'dr-admin');
  vendorQaPerson = await qaPerson(1);
  vendorQa = await linked('qa_specialist', 'vendor', vendorQaPerson);
  internalPerson = await qaPerson(0);
  internalQa = await linked('qa_specialist', 'all', internalPerson);
  vendorLead = await linked('qa_lead', 'vendor', null, world.vendors[1]!.id);
  app = await buildTestServer(database.db);

  // Eight decisions of vendor 1's agents, reviewed by vendor 1's QA, who passes them all.
  const ids = await insertSampledDecisions(
    database.db,
    Array.from({ length: 8 }, (_, i) => ({ agent: agents()[i % 4]!, workflowId: world.workflowId, labels: [dw.labels.slur], action: 'remove', severity: 'high' as const, language: 'en' })),
  );
  await asSystem(database.db, (trx) => createTasksForSamples(trx, ids, new Date()));
  await database.db.updateTable('qa_tasks').set({ assignee_id: vendorQaPerson.id }).where('decision_id', 'in', ids).execute();
  const tasks = await database.db.selectFrom('qa_tasks').select(['id', 'decision_id']).where('decision_id', 'in', ids).execute();
  const asVendorQa = tokenClient(app, vendorQa.token);
  for (const id of ids) {
    const t = tasks.find((x) => x.decision_id === id)!;
    vendorReviewIds.push((await review(asVendorQa, t.id, [dw.labels.slur])).review.id);
  }
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('double review', () => {
  it('only internal QA may configure and run it', async () => {
    const asLead = tokenClient(app, vendorLead.token);
    expect((await asLead('PUT', `/api/auditing/settings/${world.workflowId}`, { doubleReviewRate: 1 })).statusCode).toBe(403);
    expect((await asLead('POST', '/api/auditing/double-reviews/run', {})).statusCode).toBe(403);
    const bad = await tokenClient(app, admin.token)('PUT', `/api/auditing/settings/${world.workflowId}`, { doubleReviewRate: 1.5 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details[0].path).toBe('/doubleReviewRate');
    // A vendor's lead reads the settings but not the seed that would tell which reviews get re-reviewed.
    const seen = (await asLead('GET', '/api/auditing/settings')).json().items.find((s: { workflowId: string }) => s.workflowId === world.workflowId);
    expect(seen).toMatchObject({ seed: '', doubleReviewRate: 0 });
  });

  it('draws every vendor-QA review once with the seeded probability and makes blind tasks for in-house QA', async () => {
    const asAdmin = tokenClient(app, admin.token);
    expect((await asAdmin('PUT', `/api/auditing/settings/${world.workflowId}`, { doubleReviewRate: 0.9, seed: 'test-seed' })).statusCode).toBe(200);
    const run = await asAdmin('POST', '/api/auditing/double-reviews/run', {});
    expect(run.statusCode, run.body).toBe(200);
    const draws = await database.db.selectFrom('double_review_draws').selectAll().execute();
    expect(draws).toHaveLength(8);
    const decisionOf = new Map((await database.db.selectFrom('reviews').select(['id', 'decision_id']).execute()).map((r) => [r.id, r.decision_id]));
    for (const d of draws) {
      // The draw kept in SQL is the pure rule's, keyed on the reviewed decision (deterministic; review ids are random).
      expect(d.u).toBeCloseTo(seededUniform('test-seed', decisionOf.get(d.review_id)!), 9);
      expect(d.u).toBeCloseTo(selectedForDoubleReview('test-seed', decisionOf.get(d.review_id)!, 0.9).u, 9);
      expect(d.selected).toBe(d.u < 0.9);
      expect(d.rate).toBe(0.9);
    }
    const selected = draws.filter((d) => d.selected).length;
    expect(run.json().workflows[0]).toMatchObject({ drawn: 8, selected, tasks: selected, assigned: selected });
    // A second run draws nothing new.
    expect((await asAdmin('POST', '/api/auditing/double-reviews/run', {})).json().workflows[0]).toMatchObject({ drawn: 0, tasks: 0 });
    const tasks = await database.db.selectFrom('qa_tasks').select(['id', 'assignee_id', 'kind']).where(sql<boolean>`purpose = 'double_review'`).execute();
    expect(tasks).toHaveLength(selected);
    expect(tasks.every((t) => t.assignee_id === internalPerson.id && (t.kind as string) === 'audit')).toBe(true);

    // The vendor's QA can neither claim them nor get them from the pool.
    await database.db.updateTable('qa_tasks').set({ assignee_id: null }).where('id', '=', tasks[0]!.id).execute();
    const asVendorQa = tokenClient(app, vendorQa.token);
    expect((await asVendorQa('POST', `/api/qa/tasks/${tasks[0]!.id}/claim`)).statusCode).toBe(403);
    const next = await asVendorQa('POST', '/api/qa/tasks/next', {});
    expect(next.statusCode === 204 || next.body === 'null' || next.json() === null).toBe(true);
  });

  it('keeps the internal review blind, out of the metrics and out of the vendor\'s sight, and measures the leniency', async () => {
    const asInternal = tokenClient(app, internalQa.token);
    const tasks = await database.db
      .selectFrom('qa_tasks')
      .select(['id', 'double_review_of' as never])
      .where(sql<boolean>`purpose = 'double_review'`)
      .orderBy('id')
      .execute() as unknown as Array<{ id: string; double_review_of: string }>;
    const internalIds: string[] = [];
    for (const [i, t] of tasks.entries()) {
      // Internal QA finds the first two wrongly labelled: the vendor QA passed them.
      const { review: r, workspace } = await review(asInternal, t.id, i < 2 ? [dw.labels.threat] : [dw.labels.slur]);
      // Blind: the workspace never names the vendor QA's review or its reviewer.
      expect(workspace).not.toContain(t.double_review_of);
      expect(workspace).not.toContain(vendorQaPerson.id);
      internalIds.push(r.id);
    }
    const asVendorQa = tokenClient(app, vendorQa.token);
    expect((await asVendorQa('GET', `/api/reviews/${internalIds[0]}`)).statusCode).toBe(404);
    const rolled = (await sql<{ n: number }>`SELECT coalesce(sum(n), 0)::int AS n FROM quality_rollup`.execute(database.db)).rows[0]!;
    expect(rolled.n).toBe(8);

    const asAdmin = tokenClient(app, admin.token);
    const res = await asAdmin('GET', `/api/auditing/double-reviews/results?workflowId=${world.workflowId}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.vendors).toHaveLength(1);
    const v = body.vendors[0];
    const n = tasks.length;
    expect(v).toMatchObject({ vendorId: world.vendors[1]!.id, n, tooFew: true });
    expect(v.leniency.estimate).toBeCloseTo(2 / n, 10);
    expect(v.leniency.discordant).toEqual({ vendorOnly: 2, internalOnly: 0 });
    expect(v.leniency.vendorRate).toBe(1);
    expect(v.correctness.percentAgreement).toMatchObject({ x: n - 2, n });
    expect(v.reviewers).toHaveLength(1);
    expect(v.reviewers[0]).toMatchObject({ reviewerId: vendorQaPerson.id, n });
    expect(body.progress[0]).toMatchObject({ completed: n, openTasks: 0 });

    // A vendor-scoped lead sees their vendor's figures; reviewer quality shows their own people only.
    const asLead = tokenClient(app, vendorLead.token);
    const theirs = (await asLead('GET', '/api/auditing/double-reviews/results')).json();
    expect(theirs.vendors.map((x: { vendorId: string }) => x.vendorId)).toEqual([world.vendors[1]!.id]);
    const quality = (await asLead('GET', '/api/auditing/reviewer-quality')).json();
    expect(quality.items.map((x: { reviewerId: string }) => x.reviewerId)).toEqual([vendorQaPerson.id]);
    expect(quality.items[0].peerAgreement).toMatchObject({ x: n - 2, n });
    expect(quality.items[0].reviews).toBe(8);
    const all = (await asAdmin('GET', '/api/auditing/reviewer-quality')).json();
    expect(all.items.map((x: { reviewerId: string }) => x.reviewerId).sort()).toEqual([vendorQaPerson.id, internalPerson.id].sort());
  });
});
