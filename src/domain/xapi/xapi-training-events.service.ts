import type { Executor } from '../../db/database.ts';
import * as facts from '../../db/repositories/xapi-training-events.repository.ts';
import { enqueueIfEnabled } from '../../db/repositories/xapi-forwarding.repository.ts';
import { actAsTableOwner, resumeViewerRole } from '../../db/scoped.ts';
import { buildTrainingStatement, type TrainingEventFacts, type TrainingEventKind } from './xapi-training-events.rules.ts';
import { assayClient, storeStatements } from './xapi-statements.service.ts';

/**
 * Stores Assay's own training events in the LRS, in the caller's transaction (docs/decisions/0011,
 * "Assay's own statements"). Called from the training services with the ids they already hold.
 *
 * The LRS rows carry the person's vendor, so a credential scoped to that vendor reads them. The
 * learner who passes an assessment cannot see LRS rows (row-level security gives LRS tables to
 * credentials, not to people), so the statement is written as the table owner, like COPY in
 * ingestion: the rows are scoped by construction (the person's vendor), and the role is restored
 * before anything else runs.
 */
export interface TrainingEvent {
  kind: TrainingEventKind;
  /** With kind, makes the statement id: emitting the same event twice stores it once. */
  key: string;
  at: Date;
  personId: string;
  courseId?: string;
  certificationId?: string;
  enrolmentId?: string | null;
  result?: TrainingEventFacts['result'];
}

export async function emitTrainingEvents(trx: Executor, events: TrainingEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const scoped = await facts.runsAsAppRole(trx);
  if (scoped) await actAsTableOwner(trx);
  try {
    const base = await facts.activityBase(trx);
    const ids: string[] = [];
    for (const event of events) {
      const person = await facts.personFacts(trx, event.personId);
      if (!person) continue;
      const certification = event.certificationId ? await facts.certificationFacts(trx, event.certificationId) : undefined;
      const courseId = event.courseId ?? certification?.required_course_id;
      const course = courseId ? await facts.courseFacts(trx, courseId) : undefined;
      const statement = buildTrainingStatement(base, {
        kind: event.kind,
        key: event.key,
        at: event.at,
        person: { id: person.id, name: person.full_name },
        course: course ? { id: course.id, title: course.title } : undefined,
        program: course?.program_id ? { id: course.program_id, name: course.program_name! } : null,
        certification: certification ? { id: certification.id, name: certification.name } : undefined,
        enrolmentId: event.enrolmentId ?? null,
        result: event.result,
      });
      const stored = await storeStatements(trx, assayClient(person.vendor_id), [statement], { version: '1.0.3', multi: false, personId: person.id });
      // Forwarded to the external LRS when that is switched on: queued in this transaction.
      await enqueueIfEnabled(trx, stored.map((id) => ({ statementId: id, vendorId: person.vendor_id })));
      ids.push(...stored);
    }
    if (scoped) await resumeViewerRole(trx);
    return ids;
  } catch (error) {
    // After an SQL error the transaction is aborted and rolls back; restoring the role may then fail.
    if (scoped) await resumeViewerRole(trx).catch(() => undefined);
    throw error;
  }
}

export async function emitTrainingEvent(trx: Executor, event: TrainingEvent): Promise<string[]> {
  return emitTrainingEvents(trx, [event]);
}
