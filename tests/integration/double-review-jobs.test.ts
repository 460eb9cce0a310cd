import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { asSystem } from '../../src/db/scoped.ts';
import { createTasksForSamples } from '../../src/domain/qa/qa-tasks.service.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { GOLD_INJECTION_JOB, DOUBLE_REVIEW_JOB, registerAuditingJobs, runDoubleReviewJob, runGoldInjectionJob } from '../../src/jobs/auditing-jobs.ts';
import type { JobHandler, JobQueue } from '../../src/jobs/job-queue.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from '../support/decision-world.ts';
import { insertSampledDecisions } from '../support/decision-fixtures.ts';

/**
 * The scheduled auditing jobs (src/jobs/auditing-jobs.ts): gold injection and
 * the double-review draws run as the system actor, audited, and a second run
 * (a retry, or two schedulers) changes nothing.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let dw: DecisionWorld;
let admin: WorldUser;
let vendorQaPerson: WorldPerson;
let secondQaPerson: WorldPerson;
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
  const fullName = `Job QA ${seq}`;
  const row = await database.db
    .insertInto('people')
    .values({ vendor_id: vendorId, site_id: siteId, team_id: null, full_name: fullName, job_role: 'qa_specialist', hire_date: '2021-06-01', languages: ['en'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db.insertInto('person_workflow_skills').values({ person_id: row.id, workflow_id: world.workflowId }).execute();
  return { id: row.id, vendorId, siteId, teamId: null, fullName };
}

/** Sampled decisions of vendor 1's agents with their primary tasks assigned to `assignee`. */
async function tasksFor(count: number, assignee: string) {
  const ids = await insertSampledDecisions(
    database.db,
    Array.from({ length: count }, (_, i) => ({ agent: agents()[i % 4]!, workflowId: world.workflowId, labels: [dw.labels.slur], action: 'remove', severity: 'high' as const, language: 'en' })),
  );
  await asSystem(database.db, (trx) => createTasksForSamples(trx, ids, new Date()));
  await database.db.updateTable('qa_tasks').set({ assignee_id: assignee }).where('decision_id', 'in', ids).execute();
  return database.db.selectFrom('qa_tasks').select(['id', 'decision_id']).where('decision_id', 'in', ids).execute();
}

/** What the jobs make: the non-primary tasks and the draws. */
async function state() {
  const tasks = await sql<{ id: string; purpose: string; decision_id: string; assignee_id: string | null; gold_item_id: string | null; double_review_of: string | null }>`
    SELECT id, purpose, decision_id, assignee_id, gold_item_id, double_review_of FROM qa_tasks WHERE purpose <> 'primary' ORDER BY id`.execute(database.db);
  const draws = await database.db.selectFrom('double_review_draws').select(['review_id', 'u', 'selected', 'task_id']).orderBy('review_id').execute();
  return { tasks: tasks.rows, draws };
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  await database.db
    .insertInto('scorecard_versions')
    .values({ workflow_id: world.workflowId, version: 1, status: 'published', name: 'M', definition: JSON.stringify(definition), published_at: new Date() })
    .execute();
  admin = await addUser(database.db, world, 'admin', 'all', 'jobs-admin');
  vendorQaPerson = await qaPerson(1);
  secondQaPerson = await qaPerson(1);
  await qaPerson(0); // in-house QA: the double reviews' pool
  const vendorQa = await addUser(database.db, world, 'qa_specialist', 'vendor', 'jobs-vendor-qa');
  await database.db.updateTable('users').set({ person_id: vendorQaPerson.id, scope_ref_id: vendorQaPerson.vendorId }).where('id', '=', vendorQa.id).execute();
  app = await buildTestServer(database.db);

  // Eight decisions reviewed by vendor 1's QA: the double-review population and the gold items' sources.
  const reviewed = await tasksFor(8, vendorQaPerson.id);
  const asVendorQa = tokenClient(app, vendorQa.token);
  for (const t of reviewed) {
    expect((await asVendorQa('POST', `/api/qa/tasks/${t.id}/claim`)).statusCode).toBe(200);
    const ws = await asVendorQa('GET', `/api/qa/tasks/${t.id}/workspace`);
    const res = await asVendorQa('POST', `/api/qa/tasks/${t.id}/review`, { scorecardVersionId: ws.json().scorecard.id, verdict: { labels: [dw.labels.slur], action: 'remove' }, answers: [] });
    expect(res.statusCode, res.body).toBe(201);
  }
  const asAdmin = tokenClient(app, admin.token);
  for (const t of reviewed.slice(0, 3)) {
    const created = await asAdmin('POST', '/api/auditing/gold-items', { workflowId: world.workflowId, sourceDecisionId: t.decision_id, labels: [dw.labels.threat], action: 'remove', rationale: 'expert' });
    expect(created.statusCode, created.body).toBe(201);
  }
  // Another vendor-1 reviewer with fifteen ordinary tasks today: at a gold rate of 0.2, three gold tasks (floor(15 * 0.2 + u)).
  await tasksFor(15, secondQaPerson.id);
  const settings = await asAdmin('PUT', `/api/auditing/settings/${world.workflowId}`, { goldRate: 0.2, doubleReviewRate: 0.5, seed: 'jobs-seed' });
  expect(settings.statusCode, settings.body).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('the scheduled auditing jobs', () => {
  it('inject gold tasks and draw double reviews as the system actor, audited; a second run changes nothing', async () => {
    const now = new Date();
    const gold = await runGoldInjectionJob(database.db, now);
    const drawn = await runDoubleReviewJob(database.db, now);
    expect(gold.workflows).toEqual([{ workflowId: world.workflowId, tasks: 3 }]);
    expect(drawn.workflows[0]).toMatchObject({ workflowId: world.workflowId, drawn: 8 });
    const once = await state();
    expect(once.draws).toHaveLength(8);
    const goldTasks = once.tasks.filter((t) => t.purpose === 'gold');
    expect(goldTasks).toHaveLength(3);
    expect(goldTasks.every((t) => t.assignee_id === secondQaPerson.id)).toBe(true);
    const selected = once.draws.filter((d) => d.selected).length;
    expect(once.tasks.filter((t) => t.purpose === 'double_review')).toHaveLength(selected);

    // Again (a retry, or a second process): nothing new.
    const goldAgain = await runGoldInjectionJob(database.db, now);
    const drawnAgain = await runDoubleReviewJob(database.db, now);
    expect(goldAgain.workflows).toEqual([{ workflowId: world.workflowId, tasks: 0 }]);
    expect(drawnAgain.workflows[0]).toMatchObject({ drawn: 0, selected: 0, tasks: 0 });
    expect(await state()).toEqual(once);

    const audits = await database.db.selectFrom('audit_log').select(['action', 'actor_label', 'actor_user_id']).where('action', 'in', ['gold_item.inject', 'double_review.run']).orderBy('id').execute();
    expect(audits).toEqual([
      { action: 'gold_item.inject', actor_label: 'auditing-jobs', actor_user_id: null },
      { action: 'double_review.run', actor_label: 'auditing-jobs', actor_user_id: null },
      { action: 'gold_item.inject', actor_label: 'auditing-jobs', actor_user_id: null },
      { action: 'double_review.run', actor_label: 'auditing-jobs', actor_user_id: null },
    ]);
  });

  it('registers both jobs with an hourly schedule, and their handlers run the steps', async () => {
    const handlers = new Map<string, JobHandler<object>>();
    const schedules = new Map<string, string>();
    const queue: JobQueue = {
      start: async () => {},
      stop: async () => {},
      send: async () => {},
      handle: async (name, handler) => void handlers.set(name, handler as JobHandler<object>),
      schedule: async (name, cron) => void schedules.set(name, cron),
    };
    const logged: unknown[] = [];
    const logger = { info: (...args: unknown[]) => logged.push(args) } as unknown as Parameters<typeof registerAuditingJobs>[2];
    await registerAuditingJobs(queue, database.db, logger);
    expect([...schedules.keys()].sort()).toEqual([DOUBLE_REVIEW_JOB, GOLD_INJECTION_JOB].sort());
    for (const cron of schedules.values()) expect(cron).toMatch(/^\d+ \* \* \* \*$/);
    const before = await state();
    await handlers.get(GOLD_INJECTION_JOB)!({});
    await handlers.get(DOUBLE_REVIEW_JOB)!({});
    expect(await state()).toEqual(before);
    const actions = await database.db.selectFrom('audit_log').select('action').where('actor_label', '=', 'auditing-jobs').execute();
    expect(actions).toHaveLength(6);
  });
});
