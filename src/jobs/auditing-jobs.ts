import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { asSystem } from '../db/scoped.ts';
import { systemActor } from '../domain/access/actor.ts';
import { runDoubleReview } from '../domain/auditing/double-review.service.ts';
import { injectGoldTasks } from '../domain/auditing/gold-items.service.ts';
import type { JobQueue } from './job-queue.ts';

/**
 * Auditing the auditors on a schedule (docs/decisions/0009): the same steps
 * the auditing endpoints run on demand, as the system actor (scope all, so
 * every reviewer and every vendor's QA is in reach), each in one transaction
 * with its audit entry. Both steps are idempotent, so a retried or doubled run
 * adds nothing: gold injection tops each reviewer up to floor(k * rate + u)
 * for the UTC day (u seeded per reviewer and day), and every vendor-QA review
 * is drawn once (double_review_draws) and becomes at most one task.
 */

export const GOLD_INJECTION_JOB = 'auditing.inject-gold';
export const DOUBLE_REVIEW_JOB = 'auditing.double-review';

const ACTOR_LABEL = 'auditing-jobs';

/** Hourly: gold tasks for reviewers, in proportion to the ordinary work assigned to them. */
export async function runGoldInjectionJob(db: Db, now = new Date()) {
  return asSystem(db, (trx) => injectGoldTasks(trx, systemActor(ACTOR_LABEL), {}, now));
}

/** Hourly: draw the vendor-QA reviews submitted since the last run and make blind tasks of the selected ones. */
export async function runDoubleReviewJob(db: Db, now = new Date()) {
  return asSystem(db, (trx) => runDoubleReview(trx, systemActor(ACTOR_LABEL), {}, now));
}

export async function registerAuditingJobs(jobs: JobQueue, db: Db, logger: Logger): Promise<void> {
  await jobs.handle(GOLD_INJECTION_JOB, async () => {
    const result = await runGoldInjectionJob(db);
    const tasks = result.workflows.reduce((n, w) => n + w.tasks, 0);
    if (tasks > 0) logger.info({ day: result.day, tasks }, 'gold tasks injected');
  });
  await jobs.schedule(GOLD_INJECTION_JOB, '23 * * * *');
  await jobs.handle(DOUBLE_REVIEW_JOB, async () => {
    const result = await runDoubleReviewJob(db);
    const drawn = result.workflows.reduce((n, w) => n + w.drawn, 0);
    const tasks = result.workflows.reduce((n, w) => n + w.tasks, 0);
    if (drawn > 0) logger.info({ drawn, tasks }, 'double review draws');
  });
  await jobs.schedule(DOUBLE_REVIEW_JOB, '41 * * * *');
}
