import type { Db } from '../../db/database.ts';
import * as reminders from '../../db/repositories/training-operations-reminders.repository.ts';
import { systemActor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import type { Mailer } from './mail.types.ts';
import { DEFAULT_REMINDER_POLICY, reminderMail, reminderOwed, utcDay, type ReminderKind, type ReminderPolicy } from './reminders.rules.ts';

/**
 * Due-date reminder emails for enrolments: the daily job (src/jobs/training-reminders.job.ts)
 * calls `sendTrainingReminders`. Each reminder is claimed (a row keyed by
 * enrolment, kind and UTC day) before the message goes out and marked sent
 * after, so a retried or concurrent run never sends twice on one day; a
 * message the SMTP server refuses gives its claim back for the next run. A
 * run interrupted between the SMTP answer and the mark leaves a 'sending'
 * claim: at most once, never twice.
 */

const DAY_MS = 86_400_000;

export interface ReminderRunResult {
  day: string;
  considered: number;
  sent: Array<{ enrolmentId: string; kind: ReminderKind; to: string }>;
  alreadySent: number;
  failed: Array<{ enrolmentId: string; kind: ReminderKind; error: string }>;
}

export async function sendTrainingReminders(db: Db, mailer: Mailer, now = new Date(), policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): Promise<ReminderRunResult> {
  const day = utcDay(now);
  const candidates = await reminders.listReminderCandidates(db, new Date(now.getTime() + policy.withinDays * DAY_MS));
  const result: ReminderRunResult = { day, considered: candidates.length, sent: [], alreadySent: 0, failed: [] };
  const actor = systemActor('reminders');
  for (const row of candidates) {
    const kind = reminderOwed({ dueAt: row.due_at, lastDueSoonOn: row.last_due_soon_on, lastOverdueOn: row.last_overdue_on }, now, policy);
    if (kind === null) continue;
    const message = reminderMail({ kind, to: row.email, personName: row.full_name, courseTitle: row.course_title, dueAt: row.due_at, timeZone: row.time_zone, now });
    const claim = {
      enrolmentId: row.enrolment_id,
      kind,
      sentOn: day,
      personId: row.person_id,
      vendorId: row.vendor_id,
      siteId: row.site_id,
      teamId: row.team_id,
      recipient: message.to,
      subject: message.subject,
    };
    if (!(await reminders.claimReminder(db, claim))) {
      result.alreadySent += 1;
      continue;
    }
    try {
      await mailer.send(message);
    } catch (error) {
      await reminders.releaseReminder(db, claim);
      result.failed.push({ enrolmentId: row.enrolment_id, kind, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    await db.transaction().execute(async (trx) => {
      await reminders.markReminderSent(trx, claim, new Date());
      await audit(trx, actor, {
        action: 'training.reminder.send',
        entityType: 'enrolment',
        entityId: row.enrolment_id,
        vendorId: row.vendor_id,
        details: { kind, to: message.to, personId: row.person_id, dueAt: row.due_at.toISOString() },
      });
    });
    result.sent.push({ enrolmentId: row.enrolment_id, kind, to: message.to });
  }
  return result;
}
