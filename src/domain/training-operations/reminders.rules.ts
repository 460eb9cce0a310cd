import type { ReminderKind } from './training-operations.types.ts';
import type { MailMessage } from './mail.types.ts';

/**
 * Which reminder an enrolment is owed today, and the email that says so. Pure.
 *
 * - due_soon: due within `withinDays` (and not yet due); sent at most once
 *   every `dueSoonRepeatDays` (default: once per window).
 * - overdue: past its due date and not completed; repeated every
 *   `overdueRepeatDays` (default weekly), so a late learner is nudged without
 *   a daily flood.
 * Whatever the cadence, at most one reminder per enrolment, kind and UTC day
 * is ever sent: the day is part of the sent-reminder key (migration 0014).
 */

export type { ReminderKind };

export interface ReminderPolicy {
  withinDays: number;
  dueSoonRepeatDays: number;
  overdueRepeatDays: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { withinDays: 3, dueSoonRepeatDays: 3, overdueRepeatDays: 7 };

const DAY_MS = 86_400_000;

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function daysBetweenDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export interface ReminderCandidate {
  dueAt: Date;
  /** The last UTC day a reminder of each kind was sent for this enrolment, if any. */
  lastDueSoonOn: string | null;
  lastOverdueOn: string | null;
}

/** The reminder owed at `now`, or null (not due soon, or one was sent recently enough). */
export function reminderOwed(candidate: ReminderCandidate, now: Date, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): ReminderKind | null {
  const today = utcDay(now);
  const recently = (last: string | null, every: number) => last !== null && daysBetweenDays(last, today) < every;
  if (candidate.dueAt.getTime() <= now.getTime()) {
    return recently(candidate.lastOverdueOn, policy.overdueRepeatDays) ? null : 'overdue';
  }
  if (candidate.dueAt.getTime() - now.getTime() > policy.withinDays * DAY_MS) return null;
  return recently(candidate.lastDueSoonOn, policy.dueSoonRepeatDays) ? null : 'due_soon';
}

/** A due date as the learner reads it: in their site's time zone, with the zone named. */
export function formatDue(dueAt: Date, timeZone: string): string {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(dueAt);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} (${zone})`;
}

export interface ReminderMailInput {
  kind: ReminderKind;
  to: string;
  personName: string;
  courseTitle: string;
  dueAt: Date;
  timeZone: string;
  now: Date;
}

function whenText(dueAt: Date, now: Date): string {
  const hours = Math.round(Math.abs(dueAt.getTime() - now.getTime()) / 3_600_000);
  const amount = hours < 48 ? `${hours} hour${hours === 1 ? '' : 's'}` : `${Math.round(hours / 24)} days`;
  return dueAt.getTime() > now.getTime() ? `in ${amount}` : `${amount} ago`;
}

export function reminderMail(input: ReminderMailInput): MailMessage {
  const due = formatDue(input.dueAt, input.timeZone);
  const when = whenText(input.dueAt, input.now);
  const firstName = input.personName.trim().split(/\s+/)[0] ?? input.personName;
  if (input.kind === 'due_soon') {
    return {
      to: input.to,
      subject: `Training due soon: ${input.courseTitle}`,
      text: [
        `Hello ${firstName},`,
        '',
        `Your training "${input.courseTitle}" is due on ${due} (${when}).`,
        'Open Assay and go to My learning to finish it.',
        '',
        'This is an automatic reminder from Assay.',
      ].join('\n'),
    };
  }
  return {
    to: input.to,
    subject: `Overdue training: ${input.courseTitle}`,
    text: [
      `Hello ${firstName},`,
      '',
      `Your training "${input.courseTitle}" was due on ${due} (${when}) and is not complete yet.`,
      'Open Assay and go to My learning to finish it, or talk to your trainer if you need more time.',
      '',
      'This is an automatic reminder from Assay.',
    ].join('\n'),
  };
}
