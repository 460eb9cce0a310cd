import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/**
 * Linking external statements to people and mapped courses (migration 0013). Every query runs in
 * the credential's scope, so a vendor's credential can only ever match that vendor's people.
 */

export async function settings(db: Executor) {
  return db.selectFrom('xapi_settings').select(['activity_base', 'employee_ref_home_page', 'updated_at']).executeTakeFirstOrThrow();
}

export async function updateSettings(db: Executor, patch: { activityBase?: string; employeeRefHomePage?: string | null }, userId: string | null): Promise<void> {
  await db
    .updateTable('xapi_settings')
    .set({
      ...(patch.activityBase !== undefined && { activity_base: patch.activityBase }),
      ...(patch.employeeRefHomePage !== undefined && { employee_ref_home_page: patch.employeeRefHomePage }),
      updated_by: userId,
      updated_at: sql`now()`,
    })
    .execute();
}

export interface PersonMatch {
  id: string;
  vendor_id: string;
  key: string;
}

export async function peopleByEmail(db: Executor, emails: string[]): Promise<PersonMatch[]> {
  if (emails.length === 0) return [];
  return db
    .selectFrom('people')
    .select(['id', 'vendor_id', sql<string>`lower(email)`.as('key')])
    .where(sql<boolean>`lower(email) = ANY(${emails}::text[])`)
    .execute();
}

/** People with an email, for mbox_sha1sum (SHA-1 of "mailto:" + address, which PostgreSQL cannot compute without pgcrypto). */
export async function peopleWithEmail(db: Executor): Promise<PersonMatch[]> {
  return db.selectFrom('people').select(['id', 'vendor_id', sql<string>`email`.as('key')]).where('email', 'is not', null).execute();
}

export async function peopleByEmployeeRef(db: Executor, refs: string[]): Promise<PersonMatch[]> {
  if (refs.length === 0) return [];
  return db.selectFrom('people').select(['id', 'vendor_id', sql<string>`employee_ref`.as('key')]).where('employee_ref', 'in', refs).execute();
}

export async function peopleById(db: Executor, ids: string[]): Promise<PersonMatch[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('people').select(['id', 'vendor_id', sql<string>`id::text`.as('key')]).where('id', 'in', ids).execute();
}

export async function mappedCourses(db: Executor, activityIds: string[]) {
  if (activityIds.length === 0) return [];
  return db.selectFrom('xapi_activity_mappings').select(['activity_id', 'course_id']).where('activity_id', 'in', activityIds).execute();
}

/** The person's open enrolment on the course, locked: completing it twice is a no-op. */
export async function openEnrolment(db: Executor, personId: string, courseId: string) {
  return db
    .selectFrom('enrolments')
    .select(['id', 'person_id', 'vendor_id', 'site_id', 'course_id', 'course_version_id', 'status'])
    .where('person_id', '=', personId)
    .where('course_id', '=', courseId)
    .where('status', 'in', ['assigned', 'in_progress'])
    .forUpdate()
    .executeTakeFirst();
}

export async function insertCompletion(
  db: Executor,
  row: { enrolmentId: string; statementId: string; personId: string; courseId: string; vendorId: string; completedAt: Date },
): Promise<boolean> {
  const inserted = await db
    .insertInto('xapi_enrolment_completions')
    .values({ enrolment_id: row.enrolmentId, statement_id: row.statementId, person_id: row.personId, course_id: row.courseId, vendor_id: row.vendorId, completed_at: row.completedAt })
    .onConflict((oc) => oc.column('enrolment_id').doNothing())
    .returning('enrolment_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function completionFor(db: Executor, enrolmentId: string) {
  return db.selectFrom('xapi_enrolment_completions').selectAll().where('enrolment_id', '=', enrolmentId).executeTakeFirst();
}

export async function listMappings(db: Executor) {
  return db
    .selectFrom('xapi_activity_mappings as m')
    .innerJoin('courses as c', 'c.id', 'm.course_id')
    .leftJoin('vendors as v', 'v.id', 'm.vendor_id')
    .select(['m.id', 'm.activity_id', 'm.course_id', 'c.title as course_title', 'm.vendor_id', 'v.name as vendor_name', 'm.created_at'])
    .select((eb) =>
      eb.selectFrom('xapi_enrolment_completions as x').whereRef('x.course_id', '=', 'm.course_id').select(sql<number>`count(*)::int`.as('n')).as('completions'),
    )
    .orderBy('m.created_at', 'desc')
    .execute();
}

export async function findMapping(db: Executor, id: string) {
  return db.selectFrom('xapi_activity_mappings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertMapping(db: Executor, row: { activityId: string; courseId: string; vendorId: string | null; createdBy: string | null }) {
  return db
    .insertInto('xapi_activity_mappings')
    .values({ activity_id: row.activityId, course_id: row.courseId, vendor_id: row.vendorId, created_by: row.createdBy })
    .onConflict((oc) => oc.columns(['activity_id', 'course_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function deleteMapping(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('xapi_activity_mappings').where('id', '=', id).execute();
}
