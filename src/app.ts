import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './api/server.ts';
import type { Config } from './config.ts';
import { secretBox } from './domain/auth/secret-box.ts';
import { sealStoredSecrets } from './domain/xapi/xapi-forwarding.service.ts';
import { loadSecretKey } from './secret-key.ts';
import { connectDatabase, type DbHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { provisionDatabase, type ProvisionedDatabase } from './db/provision.ts';
import { deleteOldSessions, deleteOldSignInAttempts } from './db/repositories/sessions.repository.ts';
import { pruneKeys } from './db/repositories/idempotency.repository.ts';
import { issueSetupCode } from './domain/auth/setup.service.ts';
import { closeDueSamplingDays } from './domain/sampling/day-close.service.ts';
import { createPgBossQueue } from './jobs/pg-boss-queue.ts';
import type { JobQueue } from './jobs/job-queue.ts';
import { registerTrainingReminders } from './jobs/training-reminders.job.ts';
import { registerAuditingJobs } from './jobs/auditing-jobs.ts'; // Auditing the auditors
import { registerXapiForwarding } from './jobs/xapi-forwarding.job.ts'; // xAPI forwarding
import { registerRunningTermsRefresh } from './jobs/running-terms.job.ts'; // Metrics: running variance terms

/**
 * The composition root: database, migrations, jobs and the HTTP server, in
 * that order, and shut down in the reverse order. The CLI's `start` command
 * and the end-to-end tests both use it.
 */
export interface RunningAssay {
  url: string;
  server: FastifyInstance;
  database: DbHandle;
  logger: Logger;
  setupCode: string | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  /** Called before the server listens, with the migrated database: the demo loader hooks in here. */
  prepare?: (database: DbHandle, logger: Logger) => Promise<void>;
  /** Human progress lines (stderr); logs stay JSON. */
  onProgress?: (message: string) => void;
  jobs?: boolean;
  logger?: Logger;
}

export function sessionPolicy(config: Config) {
  return {
    idleMinutes: config.sessionIdleMinutes,
    maxHours: config.sessionMaxHours,
    maxFailures: config.signInMaxFailures,
    windowMinutes: config.signInWindowMinutes,
  };
}

export async function startAssay(options: StartOptions): Promise<RunningAssay> {
  const { config } = options;
  const progress = options.onProgress ?? (() => undefined);
  const logger = options.logger ?? pino({ level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] });
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'));
    }
  };

  try {
    const provisioned: ProvisionedDatabase = await provisionDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onProgress: progress,
    });
    cleanups.push(() => provisioned.stop());

    const database = connectDatabase(provisioned.connectionString);
    cleanups.push(() => database.close());
    const migration = await migrateToLatest(database.db);
    if (migration.applied.length > 0) progress(`Applied migrations: ${migration.applied.join(', ')}`);

    // Stored secrets are sealed with a key kept off the database; one stored in clear by an earlier version is sealed now.
    const box = secretBox(loadSecretKey(config.secretKey, config.dataDir).key);
    await sealStoredSecrets(database.db, box);

    if (options.prepare) await options.prepare(database, logger);
    const setupCode = await issueSetupCode(database.db);

    let jobs: JobQueue | null = null;
    if (options.jobs !== false) {
      jobs = createPgBossQueue(provisioned.connectionString, logger);
      await jobs.handle('maintenance.prune', async () => {
        const cutoff = new Date(Date.now() - 7 * 86_400_000);
        await deleteOldSessions(database.db, cutoff);
        await deleteOldSignInAttempts(database.db, new Date(Date.now() - 30 * 86_400_000));
        await pruneKeys(database.db);
      });
      await jobs.schedule('maintenance.prune', '17 * * * *');
      // Quotas and capped strata are selected once their UTC day has ended (plus a grace period).
      await jobs.handle('sampling.close-days', async () => {
        const result = await closeDueSamplingDays(database.db, new Date());
        if (result.closed.length > 0) logger.info({ days: result.closed.length, throughDay: result.throughDay }, 'sampling days closed');
        for (const failure of result.failed) logger.error(failure, 'could not close a sampling day');
      });
      await jobs.schedule('sampling.close-days', '7 * * * *');
      await registerTrainingReminders(jobs, database.db, config.smtpUrl, logger);
      await registerAuditingJobs(jobs, database.db, logger); // Auditing the auditors: gold injection, double-review draws
      await registerXapiForwarding(jobs, database.db, box, logger); // xAPI forwarding: own statements to an external LRS
      await registerRunningTermsRefresh(jobs, database.db, logger); // Metrics: fold changed days into the running variance terms
      await jobs.start();
      const queue = jobs;
      cleanups.push(() => queue.stop());
    }

    const server = await buildServer({
      db: database.db,
      policy: sessionPolicy(config),
      secureCookies: config.secureCookies,
      secretBox: box,
      logger,
    });
    cleanups.push(() => server.close());
    await server.listen({ host: config.host, port: config.port });
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info({ url, embeddedDatabase: provisioned.embedded }, 'assay listening');

    let stopping: Promise<void> | null = null;
    return {
      url,
      server,
      database,
      logger,
      setupCode,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
