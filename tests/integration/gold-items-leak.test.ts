import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { asSystem } from '../../src/db/scoped.ts';
import { createTasksForSamples } from '../../src/domain/qa/qa-tasks.service.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addQaPerson, addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from '../support/decision-world.ts';
import { insertSampledDecisions } from '../support/decision-fixtures.ts';
import { publishScorecard } from '../support/scorecard-fixtures.ts';

/**
 * Gold items slipped into a vendor QA reviewer's queue must be
 * indistinguishable from ordinary work before (and after) they answer: every
 * endpoint the reviewer can reach gives, for the gold task and an ordinary
 * one, JSON of the same shape (keys, types, nullness), with no "gold" in it
 * and no trace of the expert answer. The agent whose decision it was never
 * sees the gold review, cannot dispute it, and it stays out of the metrics.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let dw: DecisionWorld;
let admin: WorldUser;
let reviewer: WorldUser;
let reviewerPerson: WorldPerson;
let other: WorldUser;
let agentUser: WorldUser;
let seq = 0;
const RATIONALE = 'EXPERT-RATIONALE-7f3a: a threat veiled as a joke';

const definition: ScorecardDefinition = {
  sections: [
    {
      key: 'decision',
      title: 'Decision',
      questions: [
        { key: 'label_ok', text: 'Correct label?', kind: 'correct_label', weight: 3, critical: true },
        { key: 'action_ok', text: 'Correct action?', kind: 'correct_action', weight: 2, critical: false },
      ],
    },
  ],
  rootCauses: [],
  commentRequiredOnFail: false,
  passMark: 80,
};

const agent = () => world.people.filter((p) => p.vendorId === world.vendors[1]!.id && p.teamId !== null)[0]!;

async function qaPerson(vendor: number): Promise<WorldPerson> {
  seq += 1;
  return addQaPerson(database.db, world, vendor, `Reviewer ${seq} ${world.tag}`);
}

async function linked(role: 'qa_specialist' | 'agent', kind: 'vendor' | 'self', person: WorldPerson): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${kind}-${seq}`);
  await database.db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
  // A vendor scope must name the person's vendor; a self scope the person.
  if (kind === 'vendor') await database.db.updateTable('users').set({ scope_ref_id: person.vendorId }).where('id', '=', user.id).execute();
  if (kind === 'self') await database.db.updateTable('users').set({ scope_ref_id: person.id }).where('id', '=', user.id).execute();
  return user;
}

/** Sampled decisions of the same agent, alike in every field a list shows, with their primary tasks assigned to `assignee`. */
async function tasksFor(count: number, assignee: string): Promise<Array<{ taskId: string; decisionId: string }>> {
  const ids = await insertSampledDecisions(
    database.db,
    Array.from({ length: count }, () => ({ agent: agent(), workflowId: world.workflowId, labels: [dw.labels.slur], action: 'remove', severity: 'high' as const, language: 'en' })),
  );
  await asSystem(database.db, (trx) => createTasksForSamples(trx, ids, new Date()));
  const rows = await database.db.selectFrom('qa_tasks').select(['id', 'decision_id']).where('decision_id', 'in', ids).execute();
  await database.db.updateTable('qa_tasks').set({ assignee_id: assignee }).where('decision_id', 'in', ids).execute();
  return ids.map((id) => ({ decisionId: id, taskId: rows.find((r) => r.decision_id === id)!.id }));
}

/** The JSON's shape: keys, types and nullness, not values. Arrays: the set of their elements' shapes. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return [...new Set(value.map((v) => JSON.stringify(shape(v))))].sort();
  if (typeof value === 'object') return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  return typeof value;
}

function assertNoLeak(body: string): void {
  expect(body.toLowerCase()).not.toContain('gold');
  expect(body).not.toContain('EXPERT-RATIONALE');
}

type Client = ReturnType<typeof tokenClient>;

/** Works one task through every reviewer endpoint, returning each answer. */
async function workTask(client: Client, taskId: string, decisionId: string) {
  const got: Record<string, { status: number; body: string }> = {};
  const call = async (name: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await client(method, url, payload);
    got[name] = { status: res.statusCode, body: res.body };
    return res;
  };
  await call('task', 'GET', `/api/qa/tasks/${taskId}`);
  await call('claim', 'POST', `/api/qa/tasks/${taskId}/claim`);
  const ws = await call('workspace', 'GET', `/api/qa/tasks/${taskId}/workspace`);
  await call('draft', 'PUT', `/api/qa/tasks/${taskId}/draft`, { answers: [], activeMsDelta: 1000 });
  await call('verdict', 'POST', `/api/qa/tasks/${taskId}/verdict`, { labels: [dw.labels.slur], action: 'remove' });
  await call('decision', 'GET', `/api/decisions/${decisionId}`);
  const submitted = await call('submit', 'POST', `/api/qa/tasks/${taskId}/review`, {
    scorecardVersionId: ws.json().scorecard.id,
    verdict: { labels: [dw.labels.slur], action: 'remove' },
    answers: [
      { questionKey: 'label_ok', value: 'yes' },
      { questionKey: 'action_ok', value: 'yes' },
    ],
  });
  await call('review', 'GET', `/api/reviews/${submitted.json().id}`);
  await call('taskAfter', 'GET', `/api/qa/tasks/${taskId}`);
  return { got, reviewId: submitted.json().id as string };
}

let goldTask: { taskId: string; decisionId: string };
let ordinary: Array<{ taskId: string; decisionId: string }>;
let sourceReviewId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  await publishScorecard(database.db, world.workflowId, definition);
  admin = await addUser(database.db, world, 'admin', 'all', 'gold-admin');
  reviewerPerson = await qaPerson(1);
  reviewer = await linked('qa_specialist', 'vendor', reviewerPerson);
  other = await linked('qa_specialist', 'vendor', await qaPerson(1));
  agentUser = await linked('agent', 'self', agent());
  app = await buildTestServer(database.db);

  // The gold item's source: a decision the other reviewer already reviewed as ordinary work.
  const [source] = await tasksFor(1, (await database.db.selectFrom('users').select('person_id').where('id', '=', other.id).executeTakeFirstOrThrow()).person_id!);
  const done = await workTask(tokenClient(app, other.token), source!.taskId, source!.decisionId);
  sourceReviewId = done.reviewId;
  const asAdmin = tokenClient(app, admin.token);
  const created = await asAdmin('POST', '/api/auditing/gold-items', {
    workflowId: world.workflowId,
    sourceDecisionId: source!.decisionId,
    labels: [dw.labels.threat],
    action: 'remove',
    rationale: RATIONALE,
  });
  expect(created.statusCode, created.body).toBe(201);
  // Five ordinary tasks in the last day at a rate of 0.2: exactly one gold task (floor(5 * 0.2 + u), u < 1).
  ordinary = await tasksFor(5, reviewerPerson.id);
  expect((await asAdmin('PUT', `/api/auditing/settings/${world.workflowId}`, { goldRate: 0.2 })).statusCode).toBe(200);
  const injected = await asAdmin('POST', '/api/auditing/gold-injections', {});
  expect(injected.statusCode, injected.body).toBe(200);
  expect(injected.json().workflows).toEqual([{ workflowId: world.workflowId, tasks: 1 }]);
  // A second run the same day adds nothing.
  expect((await asAdmin('POST', '/api/auditing/gold-injections', {})).json().workflows[0].tasks).toBe(0);
  const gold = await database.db
    .selectFrom('qa_tasks')
    .select(['id', 'decision_id', 'assignee_id'])
    .where(sql<boolean>`purpose = 'gold'`)
    .executeTakeFirstOrThrow();
  expect(gold.assignee_id).toBe(reviewerPerson.id);
  expect(gold.decision_id).toBe(source!.decisionId);
  goldTask = { taskId: gold.id, decisionId: gold.decision_id };
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('gold tasks in a reviewer queue', () => {
  it('look like any other task in the reviewer list', async () => {
    const asReviewer = tokenClient(app, reviewer.token);
    const res = await asReviewer('GET', `/api/qa/tasks?assigneeId=${reviewerPerson.id}&limit=50`);
    expect(res.statusCode).toBe(200);
    assertNoLeak(res.body);
    const items = res.json().items as Array<{ id: string }>;
    expect(items.map((i) => i.id).sort()).toEqual([goldTask.taskId, ...ordinary.map((o) => o.taskId)].sort());
    const goldItem = items.find((i) => i.id === goldTask.taskId)!;
    const normal = items.find((i) => i.id === ordinary[0]!.taskId)!;
    expect(shape(goldItem)).toEqual(shape(normal));
  });

  it("show the viewer's own task when they read the decision, so a gold decision reads like the reviewer's other work", async () => {
    type Task = { id: string; status: string; dueAt: string } | null;
    const asReviewer = tokenClient(app, reviewer.token);
    // The gold decision's primary task was completed by the other reviewer; this reviewer sees their own open task.
    const gold = await asReviewer('GET', `/api/decisions/${goldTask.decisionId}`);
    const normal = await asReviewer('GET', `/api/decisions/${ordinary[0]!.decisionId}`);
    expect(gold.statusCode, gold.body).toBe(200);
    assertNoLeak(gold.body);
    expect(gold.json().task as Task).toMatchObject({ id: goldTask.taskId, status: 'open' });
    expect(normal.json().task as Task).toMatchObject({ id: ordinary[0]!.taskId, status: 'open' });
    expect(shape(gold.json())).toEqual(shape(normal.json()));
    // The list and the one-decision summary say the same.
    for (const url of [`/api/decisions?agentId=${agent().id}&limit=50`, `/api/decisions?id=${goldTask.decisionId}`]) {
      const list = await asReviewer('GET', url);
      expect(list.statusCode, list.body).toBe(200);
      assertNoLeak(list.body);
      const items = list.json().items as Array<{ id: string; task: Task }>;
      expect(items.find((i) => i.id === goldTask.decisionId)!.task).toMatchObject({ id: goldTask.taskId, status: 'open' });
      for (const o of ordinary) {
        const item = items.find((i) => i.id === o.decisionId);
        if (item) expect(item.task).toMatchObject({ id: o.taskId, status: 'open' });
      }
    }
    // Nor can they find the decision's earlier review while the gold task is open: it would tell them the item
    // was reviewed before, and how (the third test shows it visible to them again once they have answered).
    expect((await asReviewer('GET', `/api/reviews/${sourceReviewId}`)).statusCode).toBe(404);
    const visible = (await asReviewer('GET', '/api/reviews?limit=200')).json().items as Array<{ id: string }>;
    expect(visible.map((r) => r.id)).not.toContain(sourceReviewId);
    // Whoever has no task of their own on it sees the primary task: the other reviewer and an administrator.
    const primary = await database.db.selectFrom('qa_tasks').select('id').where('decision_id', '=', goldTask.decisionId).where('kind', '=', 'sample').executeTakeFirstOrThrow();
    for (const token of [other.token, admin.token]) {
      const seen = await tokenClient(app, token)('GET', `/api/decisions/${goldTask.decisionId}`);
      expect(seen.json().task as Task).toMatchObject({ id: primary.id, status: 'completed' });
    }
  });

  it('answer every reviewer endpoint with the same shape as an ordinary task, without gold or the expert answer', async () => {
    const asReviewer = tokenClient(app, reviewer.token);
    const g = await workTask(asReviewer, goldTask.taskId, goldTask.decisionId);
    const n = await workTask(asReviewer, ordinary[0]!.taskId, ordinary[0]!.decisionId);
    const m = await workTask(asReviewer, ordinary[1]!.taskId, ordinary[1]!.decisionId);
    for (const name of Object.keys(n.got)) {
      expect(g.got[name]!.status, `${name}: ${g.got[name]!.body}`).toBe(n.got[name]!.status);
      assertNoLeak(g.got[name]!.body);
      // Two ordinary tasks have the same shape (the check is sound) and so has the gold one.
      expect(shape(JSON.parse(m.got[name]!.body)), name).toEqual(shape(JSON.parse(n.got[name]!.body)));
      expect(shape(JSON.parse(g.got[name]!.body)), name).toEqual(shape(JSON.parse(n.got[name]!.body)));
    }
    // Answered: the decision's earlier review is theirs to see again, as their scope allows.
    expect((await asReviewer('GET', `/api/reviews/${sourceReviewId}`)).statusCode).toBe(200);
    // Their own reviews list shows the gold review like the others.
    const mine = await asReviewer('GET', `/api/reviews?reviewerId=${reviewerPerson.id}&limit=50`);
    assertNoLeak(mine.body);
    const list = mine.json().items as Array<{ id: string }>;
    expect(list.map((r) => r.id)).toEqual(expect.arrayContaining([g.reviewId, n.reviewId, m.reviewId]));
    expect(shape(list.find((r) => r.id === g.reviewId))).toEqual(shape(list.find((r) => r.id === n.reviewId)));
    // The task list after submission too.
    const tasks = await asReviewer('GET', `/api/qa/tasks?assigneeId=${reviewerPerson.id}&status=completed&limit=50`);
    assertNoLeak(tasks.body);

    // "Next" hands out gold and ordinary work alike.
    const rest = ordinary.slice(2);
    const nexts = [];
    for (let i = 0; i < rest.length; i++) {
      const next = await asReviewer('POST', '/api/qa/tasks/next', {});
      expect(next.statusCode, next.body).toBe(200);
      assertNoLeak(next.body);
      nexts.push(next.json());
      const t = rest.find((r) => r.taskId === next.json().id)!;
      await workTask(asReviewer, t.taskId, t.decisionId);
    }
    expect(new Set(nexts.map((x) => JSON.stringify(shape(x)))).size).toBe(1);

    // The agent never sees the gold review, cannot dispute it, and it is not in the metrics.
    const asAgent = tokenClient(app, agentUser.token);
    const agentList = await asAgent('GET', '/api/reviews?limit=200');
    const agentIds = (agentList.json().items as Array<{ id: string }>).map((r) => r.id);
    expect(agentIds).toContain(n.reviewId);
    expect(agentIds).toContain(sourceReviewId);
    expect(agentIds).not.toContain(g.reviewId);
    expect((await asAgent('GET', `/api/reviews/${g.reviewId}`)).statusCode).toBe(404);
    expect((await asAgent('POST', `/api/reviews/${g.reviewId}/disputes`, { reason: 'unfair' })).statusCode).toBe(404);
    expect((await asAgent('POST', `/api/reviews/${g.reviewId}/acknowledge`)).statusCode).toBe(404);
    // Another reviewer of the vendor does not see it either.
    expect((await tokenClient(app, other.token)('GET', `/api/reviews/${g.reviewId}`)).statusCode).toBe(404);
    const rolled = (await sql<{ n: number }>`SELECT coalesce(sum(n), 0)::int AS n FROM quality_rollup WHERE agent_id = ${agent().id}`.execute(database.db)).rows[0]!;
    const primary = await database.db
      .selectFrom('reviews')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('agent_id', '=', agent().id)
      .where(sql<boolean>`purpose = 'primary'`)
      .executeTakeFirstOrThrow();
    expect(rolled.n).toBe(primary.n);
    expect(primary.n).toBe(1 + 5);
  });

  it('scores the gold answer against the expert answer for QA leads, and shows the set only to internal QA', async () => {
    const asAdmin = tokenClient(app, admin.token);
    const quality = (await asAdmin('GET', `/api/auditing/reviewer-quality?workflowId=${world.workflowId}`)).json();
    const row = quality.items.find((i: { reviewerId: string }) => i.reviewerId === reviewerPerson.id);
    // The reviewer answered slur/remove; the expert says threat/remove.
    expect(row.goldAccuracy).toMatchObject({ x: 0, n: 1, tooFew: true });
    expect(row.goldActionAccuracy).toMatchObject({ x: 1, n: 1 });
    const items = (await asAdmin('GET', `/api/auditing/gold-items?workflowId=${world.workflowId}`)).json().items;
    expect(items[0].usage).toMatchObject({ reviewerAnswers: 1, reviewerCorrect: 0, openTasks: 0 });
    expect(items[0].expert.rationale).toBe(RATIONALE);
    const vendorLead = await addUser(database.db, world, 'qa_lead', 'vendor', 'vendor-lead');
    expect((await tokenClient(app, vendorLead.token)('GET', '/api/auditing/gold-items')).statusCode).toBe(403);
  });
});
