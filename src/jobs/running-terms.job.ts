import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { asSystem } from '../db/scoped.ts';
import { refreshRunningVarianceTerms } from '../domain/metrics/rollups.service.ts';
import type { JobQueue } from './job-queue.ts';

export const RUNNING_TERMS_JOB = 'metrics.running-terms';

/**
 * Every minute: folds the days whose quality rollups changed into the running variance terms
 * (migration 0016, docs/decisions/0014), so the agent table and label rates by vendor stay a
 * two-row read per series. Dashboards are exact whether or not it has run (they correct logged days
 * live); a missed run only makes them slower. With nothing logged it is one count.
 */
export async function runRunningTermsJob(db: Db) {
  return asSystem(db, (trx) => refreshRunningVarianceTerms(trx));
}

export async function registerRunningTermsRefresh(jobs: JobQueue, db: Db, logger: Logger): Promise<void> {
  await jobs.handle(RUNNING_TERMS_JOB, async () => {
    const result = await runRunningTermsJob(db);
    if (result.pendingDays > 0) logger.debug(result, 'running variance terms refreshed');
  });
  await jobs.schedule(RUNNING_TERMS_JOB, '* * * * *');
}
