import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/** Facts for Assay's own training statements (migration 0013 settings; training tables of 0012). */

export async function activityBase(db: Executor): Promise<string> {
  const row = await db.selectFrom('xapi_settings').select('activity_base').executeTakeFirst();
  return row?.activity_base ?? 'https://assay.local/xapi/';
}

export async function setActivityBase(db: Executor, base: string, userId: string | null): Promise<void> {
  await db.updateTable('xapi_settings').set({ activity_base: base, updated_by: userId, updated_at: sql`now()` }).execute();
}

export async function personFacts(db: Executor, personId: string) {
  return db.selectFrom('people').select(['id', 'full_name', 'vendor_id', 'email', 'employee_ref']).where('id', '=', personId).executeTakeFirst();
}

export async function courseFacts(db: Executor, courseId: string) {
  return db
    .selectFrom('courses as c')
    .leftJoin('training_programs as p', 'p.id', 'c.program_id')
    .select(['c.id', 'c.title', 'p.id as program_id', 'p.name as program_name'])
    .where('c.id', '=', courseId)
    .executeTakeFirst();
}

export async function certificationFacts(db: Executor, certificationId: string) {
  return db.selectFrom('certifications').select(['id', 'name', 'required_course_id']).where('id', '=', certificationId).executeTakeFirst();
}

/** Whether the transaction currently runs as the scoped application role (a request) or the owner. */
export async function runsAsAppRole(db: Executor): Promise<boolean> {
  const { rows } = await sql<{ role: string }>`SELECT current_user AS role`.execute(db);
  return rows[0]?.role === 'assay_app';
}
