import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { GOLD_INJECTION_JOB, DOUBLE_REVIEW_JOB, registerAuditingJobs, runDoubleReviewJob, runGoldInjectionJob } from '../../src/jobs/auditing-jobs.ts';
import type { JobHandler, JobQueue } from '../../src/jobs/job-queue.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { tokenClient } from '../support/test-app.ts';
import type { World, WorldPerson, WorldUser } from '../support/org-world.ts';
import { buildDoubleReviewWorld } from '../support/double-review-world.ts';

/**
 * The scheduled auditing jobs (src/jobs/auditing-jobs.ts): gold injection and
 * the double-review draws run as the system actor, audited, and a second run
 * (a retry, or two schedulers) changes nothing.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let secondQaPerson: WorldPerson;

/** What the jobs make: the non-primary tasks and the draws. */
async function state() {
  const tasks = await sql<{ id: string; purpose: string; decision_id: string; assignee_id: string | null; gold_item_id: string | null; double_review_of: string | null }>`
    SELECT id, purpose, decision_id, assignee_id, gold_item_id, double_review_of FROM qa_tasks WHERE purpose <> 'primary' ORDER BY id`.execute(database.db);
  const draws = await database.db.selectFrom('double_review_draws').select(['review_id', 'u', 'selected', 'task_id']).orderBy('review_id').execute();
  return { tasks: tasks.rows, draws };
}

beforeAll(async () => {
  const drw = await buildDoubleReviewWorld('jobs');
  ({ database, app, world, admin } = drw);
  const vendorQaPerson = await drw.qaPerson(1);
  secondQaPerson = await drw.qaPerson(1);
  await drw.qaPerson(0); // in-house QA: the double reviews' pool
  const vendorQa = await drw.linked('qa_specialist', 'vendor', vendorQaPerson);

  // Eight decisions reviewed by vendor 1's QA: the double-review population and the gold items' sources.
  const reviewed = await drw.vendorTasks(8, vendorQaPerson.id);
  const asVendorQa = tokenClient(app, vendorQa.token);
  for (const t of reviewed) await drw.review(asVendorQa, t.id, [drw.dw.labels.slur]);
  const asAdmin = tokenClient(app, admin.token);
  for (const t of reviewed.slice(0, 3)) {
    const created = await asAdmin('POST', '/api/auditing/gold-items', { workflowId: world.workflowId, sourceDecisionId: t.decision_id, labels: [drw.dw.labels.threat], action: 'remove', rationale: 'expert' });
    expect(created.statusCode, created.body).toBe(201);
  }
  // Another vendor-1 reviewer with fifteen ordinary tasks today: at a gold rate of 0.2, three gold tasks (floor(15 * 0.2 + u)).
  await drw.vendorTasks(15, secondQaPerson.id);
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
