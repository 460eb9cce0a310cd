import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { asSystem } from '../../src/db/scoped.ts';
import { createTasksForSamples } from '../../src/domain/qa/qa-tasks.service.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { buildTestServer, tokenClient } from './test-app.ts';
import { addQaPerson, addUser, buildWorld, type World, type WorldPerson, type WorldUser } from './org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from './decision-world.ts';
import { insertSampledDecisions } from './decision-fixtures.ts';
import { publishScorecard } from './scorecard-fixtures.ts';

/**
 * The world the auditing tests share (double review, its scheduled jobs): an
 * organisation with a decision catalogue, one published scorecard with a
 * single critical "correct label?" question, an admin, and helpers to add QA
 * people with the workflow's skill, users linked to them, primary tasks on
 * vendor 1's agents and submitted reviews through the API.
 */

export const DOUBLE_REVIEW_DEFINITION: ScorecardDefinition = {
  sections: [{ key: 'd', title: 'Decision', questions: [{ key: 'label_ok', text: 'Correct label?', kind: 'correct_label', weight: 1, critical: true }] }],
  rootCauses: [],
  commentRequiredOnFail: false,
  passMark: 80,
};

export type Client = ReturnType<typeof tokenClient>;

export interface DoubleReviewWorld {
  database: TestDatabase;
  app: FastifyInstance;
  world: World;
  dw: DecisionWorld;
  admin: WorldUser;
  /** Vendor 1's agents (people in a team). */
  agents(): WorldPerson[];
  /** A QA specialist of the given vendor (index into world.vendors) with the workflow's skill. */
  qaPerson(vendor: number): Promise<WorldPerson>;
  /** A user of the role linked to the person; a vendor-scoped one on the person's vendor, or on `vendorId`. */
  linked(role: 'qa_specialist' | 'qa_lead', kind: 'vendor' | 'all', person: WorldPerson | null, vendorId?: string): Promise<WorldUser>;
  /** `count` sampled decisions of vendor 1's agents (slur + remove) with their primary tasks assigned to `assignee`. */
  vendorTasks(count: number, assignee: string): Promise<Array<{ id: string; decision_id: string }>>;
  /** Claims, opens and submits a task with a verdict of the given labels (action remove). */
  review(client: Client, taskId: string, labels: string[]): Promise<{ review: { id: string } & Record<string, unknown>; workspace: string }>;
}

export async function buildDoubleReviewWorld(tag: string): Promise<DoubleReviewWorld> {
  const database = await createTestDatabase();
  const world = await buildWorld(database.db);
  const dw = await addDecisionCatalogue(database.db, world);
  await publishScorecard(database.db, world.workflowId, DOUBLE_REVIEW_DEFINITION, 'M');
  const admin = await addUser(database.db, world, 'admin', 'all', `${tag}-admin`);
  const app = await buildTestServer(database.db);
  let seq = 0;

  const agents = () => world.people.filter((p) => p.vendorId === world.vendors[1]!.id && p.teamId !== null);

  async function qaPerson(vendor: number): Promise<WorldPerson> {
    seq += 1;
    return addQaPerson(database.db, world, vendor, `QA person ${seq}`);
  }

  async function linked(role: 'qa_specialist' | 'qa_lead', kind: 'vendor' | 'all', person: WorldPerson | null, vendorId?: string): Promise<WorldUser> {
    seq += 1;
    const user = await addUser(database.db, world, role, kind, `${tag}-${role}-${kind}-${seq}`);
    if (person) await database.db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
    if (kind === 'vendor') await database.db.updateTable('users').set({ scope_ref_id: vendorId ?? person!.vendorId }).where('id', '=', user.id).execute();
    return user;
  }

  async function vendorTasks(count: number, assignee: string) {
    const ids = await insertSampledDecisions(
      database.db,
      Array.from({ length: count }, (_, i) => ({ agent: agents()[i % 4]!, workflowId: world.workflowId, labels: [dw.labels.slur], action: 'remove', severity: 'high' as const, language: 'en' })),
    );
    await asSystem(database.db, (trx) => createTasksForSamples(trx, ids, new Date()));
    await database.db.updateTable('qa_tasks').set({ assignee_id: assignee }).where('decision_id', 'in', ids).execute();
    const tasks = await database.db.selectFrom('qa_tasks').select(['id', 'decision_id']).where('decision_id', 'in', ids).execute();
    // In the order the decisions were made, so callers can pair tasks with agents.
    return ids.map((id) => tasks.find((t) => t.decision_id === id)!);
  }

  async function review(client: Client, taskId: string, labels: string[]) {
    expect((await client('POST', `/api/qa/tasks/${taskId}/claim`)).statusCode).toBe(200);
    const ws = await client('GET', `/api/qa/tasks/${taskId}/workspace`);
    expect(ws.statusCode, ws.body).toBe(200);
    const res = await client('POST', `/api/qa/tasks/${taskId}/review`, { scorecardVersionId: ws.json().scorecard.id, verdict: { labels, action: 'remove' }, answers: [] });
    expect(res.statusCode, res.body).toBe(201);
    return { review: res.json(), workspace: ws.body };
  }

  return { database, app, world, dw, admin, agents, qaPerson, linked, vendorTasks, review };
}
