import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { sendTrainingReminders } from '../domain/training-operations/reminders.service.ts';
import { inviteCourseCompleters } from '../domain/training-operations/surveys.service.ts';
import type { JobQueue } from './job-queue.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

export const TRAINING_REMINDERS_JOB = 'training.send-reminders';

/**
 * Daily at 06:30 UTC: due-soon and overdue reminder emails for enrolments
 * (domain/training-operations/reminders.service.ts), then reaction-survey
 * invitations for courses completed since. Without SMTP_URL no email goes
 * out (the log says so once), but the in-app survey invitations still do.
 */
export async function registerTrainingReminders(jobs: JobQueue, db: Db, smtpUrl: string | null, logger: Logger): Promise<void> {
  if (!smtpUrl) logger.info('SMTP_URL is not set: training reminder emails are off');
  const mailer = smtpUrl ? createSmtpMailer(smtpUrl) : null;
  await jobs.handle(TRAINING_REMINDERS_JOB, async () => {
    if (mailer) {
      const result = await sendTrainingReminders(db, mailer, new Date());
      logger.info({ day: result.day, sent: result.sent.length, alreadySent: result.alreadySent, failed: result.failed.length }, 'training reminders');
      for (const failure of result.failed) logger.error(failure, 'could not send a training reminder');
    }
    // Reaction surveys for courses completed since the last run (two days back: a missed run is caught up; invitations are idempotent).
    const invited = await inviteCourseCompleters(db, new Date(Date.now() - 2 * 86_400_000));
    if (invited > 0) logger.info({ invited }, 'reaction survey invitations');
  });
  await jobs.schedule(TRAINING_REMINDERS_JOB, '30 6 * * *');
}
