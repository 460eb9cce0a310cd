import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { JobHandler, JobQueue } from './job-queue.ts';

/** pg-boss keeps its tables in their own schema and coordinates workers with SKIP LOCKED. */
export function createPgBossQueue(connectionString: string, logger: Logger): JobQueue {
  const boss = new PgBoss({ connectionString, schema: 'pgboss', application_name: 'assay-jobs' });
  boss.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
  const queues = new Set<string>();
  let started = false;
  const pending: Array<() => Promise<void>> = [];

  async function ensureQueue(name: string): Promise<void> {
    if (queues.has(name)) return;
    await boss.createQueue(name);
    queues.add(name);
  }

  async function whenStarted(action: () => Promise<void>): Promise<void> {
    if (started) await action();
    else pending.push(action);
  }

  return {
    async start() {
      await boss.start();
      started = true;
      for (const action of pending.splice(0)) await action();
    },
    async handle<T extends object>(name: string, handler: JobHandler<T>) {
      await whenStarted(async () => {
        await ensureQueue(name);
        await boss.work<T>(name, async (jobs) => {
          for (const job of jobs) await handler(job.data);
        });
      });
    },
    async send<T extends object>(name: string, data: T, options?: { singletonKey?: string }) {
      await ensureQueue(name);
      await boss.send(name, data, options ?? {});
    },
    async schedule(name: string, cron: string) {
      await whenStarted(async () => {
        await ensureQueue(name);
        await boss.schedule(name, cron, {}, { tz: 'UTC' });
      });
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 5_000, wait: true });
    },
  };
}
