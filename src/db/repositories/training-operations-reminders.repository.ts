import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { ReminderKind } from '../schema-training-operations.ts';

/**
 * Reminder emails for enrolments (migration 0012) and the record of those
 * sent (training_reminders, migration 0014). The job runs as the system: it
 * reminds everyone, whatever any viewer's scope.
 */

export interface ReminderCandidateRow {
  enrolment_id: string;
  person_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  full_name: string;
  email: string;
  time_zone: string;
  course_title: string;
  due_at: Date;
  last_due_soon_on: string | null;
  last_overdue_on: string | null;
}

/** Open enrolments with a due date before `horizon`, for active people with an email address. */
export async function listReminderCandidates(db: Executor, horizon: Date): Promise<ReminderCandidateRow[]> {
  const { rows } = await sql<ReminderCandidateRow>`
    SELECT e.id AS enrolment_id, e.person_id, p.vendor_id, p.site_id, p.team_id, p.full_name, p.email,
           s.time_zone, cv.title AS course_title, e.due_at,
           (SELECT max(r.sent_on)::text FROM training_reminders r WHERE r.enrolment_id = e.id AND r.kind = 'due_soon') AS last_due_soon_on,
           (SELECT max(r.sent_on)::text FROM training_reminders r WHERE r.enrolment_id = e.id AND r.kind = 'overdue') AS last_overdue_on
    FROM enrolments e
    JOIN people p ON p.id = e.person_id
    JOIN sites s ON s.id = p.site_id
    JOIN course_versions cv ON cv.id = e.course_version_id
    WHERE e.status IN ('assigned', 'in_progress')
      AND e.due_at IS NOT NULL AND e.due_at < ${horizon}
      AND p.status = 'active' AND p.email IS NOT NULL
    ORDER BY e.due_at, e.id`.execute(db);
  return rows;
}

export interface ReminderClaim {
  enrolmentId: string;
  kind: ReminderKind;
  sentOn: string;
  personId: string;
  vendorId: string;
  siteId: string;
  teamId: string | null;
  recipient: string;
  subject: string;
}

/**
 * Claims today's reminder of a kind for an enrolment; false when it is
 * already claimed (sent, or being sent by another worker): the primary key
 * makes the reminder idempotent across retries and concurrent runs.
 */
export async function claimReminder(db: Executor, claim: ReminderClaim): Promise<boolean> {
  const row = await db
    .insertInto('training_reminders')
    .values({
      enrolment_id: claim.enrolmentId,
      kind: claim.kind,
      sent_on: claim.sentOn,
      person_id: claim.personId,
      vendor_id: claim.vendorId,
      site_id: claim.siteId,
      team_id: claim.teamId,
      recipient: claim.recipient,
      subject: claim.subject,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('enrolment_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function markReminderSent(db: Executor, claim: Pick<ReminderClaim, 'enrolmentId' | 'kind' | 'sentOn'>, at: Date): Promise<void> {
  await db
    .updateTable('training_reminders')
    .set({ status: 'sent', sent_at: at })
    .where('enrolment_id', '=', claim.enrolmentId)
    .where('kind', '=', claim.kind)
    .where('sent_on', '=', claim.sentOn)
    .execute();
}

/** Gives a claim back after the SMTP server refused the message, so the next run tries again. */
export async function releaseReminder(db: Executor, claim: Pick<ReminderClaim, 'enrolmentId' | 'kind' | 'sentOn'>): Promise<void> {
  await db
    .deleteFrom('training_reminders')
    .where('enrolment_id', '=', claim.enrolmentId)
    .where('kind', '=', claim.kind)
    .where('sent_on', '=', claim.sentOn)
    .where('status', '=', 'sending')
    .execute();
}

export interface SentReminderRow {
  enrolment_id: string;
  kind: ReminderKind;
  sent_on: string;
  recipient: string;
  subject: string;
  status: 'sending' | 'sent';
  sent_at: Date | null;
}

/** The reminders sent for an enrolment, newest first (scoped by the caller's transaction). */
export async function listSentReminders(db: Executor, enrolmentId: string): Promise<SentReminderRow[]> {
  return db
    .selectFrom('training_reminders')
    .select(['enrolment_id', 'kind', 'sent_on', 'recipient', 'subject', 'status', 'sent_at'])
    .where('enrolment_id', '=', enrolmentId)
    .orderBy('sent_on', 'desc')
    .execute();
}
