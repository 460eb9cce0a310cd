import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Db } from '../../src/db/database.ts';
import type { JobHandler, JobQueue } from '../../src/jobs/job-queue.ts';
import { registerTrainingReminders, TRAINING_REMINDERS_JOB } from '../../src/jobs/training-reminders.job.ts';
import { loadConfig } from '../../src/config.ts';

/** The reminder job is scheduled daily (emails only when SMTP_URL is set; survey invitations always), and SMTP_URL is checked at start. */
function fakeQueue() {
  const handled: string[] = [];
  const scheduled: Array<[string, string]> = [];
  const queue: JobQueue = {
    start: async () => undefined,
    stop: async () => undefined,
    send: async () => undefined,
    handle: async <T extends object>(name: string, _handler: JobHandler<T>) => void handled.push(name),
    schedule: async (name: string, cron: string) => void scheduled.push([name, cron]),
  };
  return { queue, handled, scheduled };
}

describe('training reminder job', () => {
  const logger = pino({ level: 'silent' });
  it('is scheduled at 06:30 UTC with an SMTP server', async () => {
    const { queue, handled, scheduled } = fakeQueue();
    await registerTrainingReminders(queue, {} as Db, 'smtp://127.0.0.1:2525?from=training@example.test', logger);
    expect(handled).toEqual([TRAINING_REMINDERS_JOB]);
    expect(scheduled).toEqual([[TRAINING_REMINDERS_JOB, '30 6 * * *']]);
  });
  it('is scheduled without one too: the in-app survey invitations do not need mail', async () => {
    const { queue, handled, scheduled } = fakeQueue();
    await registerTrainingReminders(queue, {} as Db, null, logger);
    expect([handled, scheduled]).toEqual([[TRAINING_REMINDERS_JOB], [[TRAINING_REMINDERS_JOB, '30 6 * * *']]]);
  });
  it('reads SMTP_URL and refuses what is not an SMTP URL', () => {
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.test:465' }).smtpUrl).toBe('smtps://u:p@mail.example.test:465');
    expect(loadConfig({}).smtpUrl).toBeNull();
    expect(() => loadConfig({ SMTP_URL: 'mail.example.test' })).toThrow(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
  });
});
