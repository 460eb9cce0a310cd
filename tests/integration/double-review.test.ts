import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { seededUniform, selectedForDoubleReview } from '../../src/domain/auditing/auditing.rules.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { tokenClient } from '../support/test-app.ts';
import type { World, WorldPerson, WorldUser } from '../support/org-world.ts';
import type { DecisionWorld } from '../support/decision-world.ts';
import { buildDoubleReviewWorld, type DoubleReviewWorld } from '../support/double-review-world.ts';

/**
 * Double review of vendor QA end to end: the seeded draw (kept, and the same
 * in SQL as in the pure rules), blind tasks for in-house QA only, the
 * internal review kept out of the metrics and out of the vendor's sight, and
 * the per-vendor and per-reviewer results with the paired leniency.
 */
let drw: DoubleReviewWorld;
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
const review: DoubleReviewWorld['review'] = (...args) => drw.review(...args);

let vendorReviewIds: string[] = [];

beforeAll(async () => {
  drw = await buildDoubleReviewWorld('dr');
  ({ database, app, world, dw, admin } = drw);
  vendorQaPerson = await drw.qaPerson(1);
  vendorQa = await drw.linked('qa_specialist', 'vendor', vendorQaPerson);
  internalPerson = await drw.qaPerson(0);
  internalQa = await drw.linked('qa_specialist', 'all', internalPerson);
  vendorLead = await drw.linked('qa_lead', 'vendor', null, world.vendors[1]!.id);

  // Eight decisions of vendor 1's agents, reviewed by vendor 1's QA, who passes them all.
  const tasks = await drw.vendorTasks(8, vendorQaPerson.id);
  const asVendorQa = tokenClient(app, vendorQa.token);
  for (const t of tasks) vendorReviewIds.push((await review(asVendorQa, t.id, [dw.labels.slur])).review.id);
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
