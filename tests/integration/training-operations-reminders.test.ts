import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createSmtpMailer } from '../../src/jobs/smtp-mailer.ts';
import { sendTrainingReminders } from '../../src/domain/training-operations/reminders.service.ts';
import type { Mailer } from '../../src/domain/training-operations/mail.types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildWorld, type World, type WorldPerson } from '../support/org-world.ts';
import { addCourse, addEnrolment, setEmail } from '../support/training-operations-world.ts';

/**
 * Reminder emails through a real SMTP server running in this process
 * (smtp-server): what arrives (envelope recipient, subject, body naming the
 * course and the due date in the learner's site time zone), which enrolments
 * are reminded, and that a day's reminder is sent once however often or
 * concurrently the job runs, while a refused message is tried again.
 */

interface Received { rcpt: string[]; raw: string; subject: string; body: string }

let database: TestDatabase;
let world: World;
let smtp: SMTPServer;
let smtpUrl: string;
const inbox: Received[] = [];
let refuseNext = 0;

function parse(raw: string): { subject: string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  const header = (name: string) => head.split('\r\n').find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim() ?? '';
  if (/quoted-printable/i.test(header('Content-Transfer-Encoding'))) {
    body = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return { subject: header('Subject'), body: body.replace(/\r\n/g, '\n') };
}

const NOW = new Date('2026-03-10T06:30:00Z');
const DAY = 86_400_000;
let learners: WorldPerson[];
let enrolments: Record<string, string>;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuseNext > 0) {
        refuseNext -= 1;
        const error = new Error('Mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        inbox.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), raw, ...parse(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?from=training@assay.test`;

  database = await createTestDatabase();
  world = await buildWorld(database.db);
  learners = world.people.filter((p) => p.teamId !== null).slice(0, 6);
  for (const [i, person] of learners.entries()) await setEmail(database.db, person.id, `learner${i}.${world.tag}@example.test`);
  const course = await addCourse(database.db, world, 'Hate speech refresher v3');
  const other = await addCourse(database.db, world, 'Escalation basics');
  enrolments = {
    dueSoon: await addEnrolment(database.db, { personId: learners[0]!.id, course, dueAt: new Date(NOW.getTime() + 2 * DAY) }),
    overdue: await addEnrolment(database.db, { personId: learners[1]!.id, course: other, dueAt: new Date(NOW.getTime() - DAY), status: 'in_progress' }),
    later: await addEnrolment(database.db, { personId: learners[2]!.id, course, dueAt: new Date(NOW.getTime() + 10 * DAY) }),
    completed: await addEnrolment(database.db, { personId: learners[3]!.id, course, dueAt: new Date(NOW.getTime() - DAY), status: 'completed' }),
    withdrawn: await addEnrolment(database.db, { personId: learners[4]!.id, course, dueAt: new Date(NOW.getTime() + DAY), status: 'withdrawn' }),
    noDueDate: await addEnrolment(database.db, { personId: learners[5]!.id, course, dueAt: null }),
  };
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await database?.drop();
});

describe('training reminder emails over SMTP', () => {
  it('sends a due-soon and an overdue reminder, and nothing for the rest', async () => {
    const result = await sendTrainingReminders(database.db, createSmtpMailer(smtpUrl), NOW);
    expect(result.failed).toEqual([]);
    expect(result.sent.map((s) => s.kind).sort()).toEqual(['due_soon', 'overdue']);
    expect(inbox).toHaveLength(2);

    const dueSoon = inbox.find((m) => m.rcpt[0] === `learner0.${world.tag}@example.test`)!;
    expect(dueSoon.subject).toBe('Training due soon: Hate speech refresher v3');
    expect(dueSoon.raw).toMatch(/^From: training@assay\.test/m);
    // Due 2026-03-12 06:30 UTC, shown in the site's zone (Asia/Manila, UTC+8).
    expect(dueSoon.body).toContain('Your training "Hate speech refresher v3" is due on Thu 12 Mar 2026, 14:30 (Asia/Manila) (in 2 days).');
    expect(dueSoon.body).toContain(`Hello Agent,`);

    const overdue = inbox.find((m) => m.rcpt[0] === `learner1.${world.tag}@example.test`)!;
    expect(overdue.subject).toBe('Overdue training: Escalation basics');
    expect(overdue.body).toContain('"Escalation basics" was due on Mon 9 Mar 2026, 14:30 (Asia/Manila) (24 hours ago) and is not complete yet.');

    const rows = await database.db.selectFrom('training_reminders').selectAll().orderBy('kind').execute();
    expect(rows.map((r) => [r.enrolment_id, r.kind, r.sent_on, r.status])).toEqual([
      [enrolments.dueSoon, 'due_soon', '2026-03-10', 'sent'],
      [enrolments.overdue, 'overdue', '2026-03-10', 'sent'],
    ]);
    const audits = await database.db.selectFrom('audit_log').select(['entity_id', 'details']).where('action', '=', 'training.reminder.send').execute();
    expect(audits.map((a) => a.entity_id).sort()).toEqual([enrolments.dueSoon, enrolments.overdue].sort());
  });

  it('sends nothing more the same day, even when runs overlap', async () => {
    const before = inbox.length;
    const runs = await Promise.all([0, 1, 2].map(() => sendTrainingReminders(database.db, createSmtpMailer(smtpUrl), new Date(NOW.getTime() + 3_600_000))));
    expect(runs.flatMap((r) => r.sent)).toEqual([]);
    expect(inbox.length).toBe(before);
  });

  it('claims each reminder once when runs race on a new enrolment', async () => {
    const course = await addCourse(database.db, world, 'Live moderation basics');
    const person = learners[2]!;
    const id = await addEnrolment(database.db, { personId: person.id, course, dueAt: new Date(NOW.getTime() + DAY) });
    const before = inbox.length;
    const runs = await Promise.all([0, 1, 2, 3].map(() => sendTrainingReminders(database.db, createSmtpMailer(smtpUrl), NOW)));
    const sentForIt = runs.flatMap((r) => r.sent).filter((s) => s.enrolmentId === id);
    expect(sentForIt).toHaveLength(1);
    expect(inbox.length - before).toBe(1);
    expect(inbox.at(-1)!.subject).toBe('Training due soon: Live moderation basics');
  });

  it('repeats an overdue reminder weekly, not daily', async () => {
    const nextDay = await sendTrainingReminders(database.db, createSmtpMailer(smtpUrl), new Date(NOW.getTime() + DAY));
    expect(nextDay.sent.filter((s) => s.enrolmentId === enrolments.overdue)).toEqual([]);
    const aWeekLater = await sendTrainingReminders(database.db, createSmtpMailer(smtpUrl), new Date(NOW.getTime() + 7 * DAY));
    expect(aWeekLater.sent.filter((s) => s.enrolmentId === enrolments.overdue)).toHaveLength(1);
  });

  it('gives a refused message back so the next run sends it', async () => {
    const course = await addCourse(database.db, world, 'Appeals workflow');
    const id = await addEnrolment(database.db, { personId: learners[5]!.id, course, dueAt: new Date(NOW.getTime() + DAY) });
    refuseNext = 1;
    const first = await sendTrainingReminders(database.db, createSmtpMailer(smtpUrl), NOW);
    expect(first.failed.map((f) => f.enrolmentId)).toEqual([id]);
    expect(await database.db.selectFrom('training_reminders').select('kind').where('enrolment_id', '=', id).execute()).toEqual([]);
    const second = await sendTrainingReminders(database.db, createSmtpMailer(smtpUrl), NOW);
    expect(second.sent.map((s) => s.enrolmentId)).toEqual([id]);
    expect(inbox.at(-1)!.rcpt).toEqual([`learner5.${world.tag}@example.test`]);
  });

  it('uses any Mailer: the domain does not know SMTP', async () => {
    const course = await addCourse(database.db, world, 'Spam and scams');
    await addEnrolment(database.db, { personId: learners[3]!.id, course, dueAt: new Date(NOW.getTime() + DAY) });
    const outbox: string[] = [];
    const mailer: Mailer = { send: async (m) => void outbox.push(`${m.to}|${m.subject}`) };
    await sendTrainingReminders(database.db, mailer, NOW);
    expect(outbox).toEqual([`learner3.${world.tag}@example.test|Training due soon: Spam and scams`]);
  });
});
