import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { AwardSource } from '../schema-training.ts';

/** Certification definitions and awards (migration 0012). */

function certificationsWithNames(db: Executor) {
  return db
    .selectFrom('certifications as c')
    .innerJoin('workflows as w', 'w.id', 'c.workflow_id')
    .innerJoin('courses as co', 'co.id', 'c.required_course_id')
    .leftJoin('policies as p', 'p.id', 'c.policy_id')
    .leftJoin('vendors as v', 'v.id', 'c.vendor_id')
    .selectAll('c')
    .select(['w.name as workflow_name', 'w.key as workflow_key', 'co.title as course_title', 'p.name as policy_name', 'v.name as vendor_name']);
}
export type CertificationRecord = NonNullable<Awaited<ReturnType<typeof findCertification>>>;

export async function listCertifications(db: Executor, filter: { workflowId?: string; courseId?: string }) {
  let query = certificationsWithNames(db);
  if (filter.workflowId) query = query.where('c.workflow_id', '=', filter.workflowId);
  if (filter.courseId) query = query.where('c.required_course_id', '=', filter.courseId);
  return query.orderBy('c.name').orderBy('c.id').execute();
}

export async function findCertification(db: Executor, id: string) {
  return certificationsWithNames(db).where('c.id', '=', id).executeTakeFirst();
}

export async function insertCertification(
  db: Executor,
  row: { vendorId: string | null; workflowId: string; policyId: string | null; name: string; description: string; validityDays: number; requiredCourseId: string; holdsOffWorkflow: boolean; createdBy: string | null },
) {
  return db
    .insertInto('certifications')
    .values({
      vendor_id: row.vendorId,
      workflow_id: row.workflowId,
      policy_id: row.policyId,
      name: row.name,
      description: row.description,
      validity_days: row.validityDays,
      required_course_id: row.requiredCourseId,
      holds_off_workflow: row.holdsOffWorkflow,
      created_by: row.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateCertification(
  db: Executor,
  id: string,
  patch: { name?: string; description?: string; validity_days?: number; holds_off_workflow?: boolean; status?: 'active' | 'retired' },
) {
  await db.updateTable('certifications').set(patch).where('id', '=', id).execute();
}

/** Active certifications a course earns that apply to a person's vendor. */
export async function certificationsEarnedBy(db: Executor, courseId: string, vendorId: string) {
  return db
    .selectFrom('certifications')
    .selectAll()
    .where('required_course_id', '=', courseId)
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('vendor_id', 'is', null), eb('vendor_id', '=', vendorId)]))
    .execute();
}

/** The person's award with the latest expiry that was not revoked (locked, so two awards cannot race). */
export async function currentAward(db: Executor, personId: string, certificationId: string) {
  return db
    .selectFrom('certification_awards')
    .selectAll()
    .where('person_id', '=', personId)
    .where('certification_id', '=', certificationId)
    .where('revoked_at', 'is', null)
    .orderBy('expires_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertAward(
  db: Executor,
  row: { certificationId: string; personId: string; vendorId: string; siteId: string; source: AwardSource; sourceAttemptId: string | null; sourceEnrolmentId: string | null; awardedAt: Date; expiresAt: Date; awardedBy: string | null },
) {
  return db
    .insertInto('certification_awards')
    .values({
      certification_id: row.certificationId,
      person_id: row.personId,
      vendor_id: row.vendorId,
      site_id: row.siteId,
      source: row.source,
      source_attempt_id: row.sourceAttemptId,
      source_enrolment_id: row.sourceEnrolmentId,
      awarded_at: row.awardedAt,
      expires_at: row.expiresAt,
      awarded_by: row.awardedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

function awardsWithNames(db: Executor) {
  return db
    .selectFrom('certification_awards as a')
    .innerJoin('certifications as c', 'c.id', 'a.certification_id')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('vendors as v', 'v.id', 'a.vendor_id')
    .innerJoin('sites as s', 's.id', 'a.site_id')
    .innerJoin('workflows as w', 'w.id', 'c.workflow_id')
    .selectAll('a')
    .select(['c.name as certification_name', 'c.workflow_id', 'w.name as workflow_name', 'p.full_name as person_name', 'v.name as vendor_name', 's.name as site_name']);
}
export type AwardRecord = NonNullable<Awaited<ReturnType<typeof findAward>>>;

export async function findAward(db: Executor, id: string) {
  return awardsWithNames(db).where('a.id', '=', id).executeTakeFirst();
}

export async function listAwards(db: Executor, filter: { personId?: string; certificationId?: string; vendorId?: string; siteId?: string }) {
  let query = awardsWithNames(db);
  if (filter.personId) query = query.where('a.person_id', '=', filter.personId);
  if (filter.certificationId) query = query.where('a.certification_id', '=', filter.certificationId);
  if (filter.vendorId) query = query.where('a.vendor_id', '=', filter.vendorId);
  if (filter.siteId) query = query.where('a.site_id', '=', filter.siteId);
  return query.orderBy('a.awarded_at', 'desc').orderBy('a.id').limit(2000).execute();
}

export async function revokeAward(db: Executor, id: string, by: string | null, reason: string) {
  await db.updateTable('certification_awards').set({ revoked_at: sql<Date>`now()`, revoked_by: by, revoke_reason: reason }).where('id', '=', id).execute();
}

/**
 * Certification counts per vendor and certification at `at`, by each
 * person's latest award: valid, expiring within `soonDays`, expired, revoked.
 */
export async function certificationCounts(db: Executor, at: Date, soonDays: number) {
  const result = await sql<{ vendor_id: string; vendor_name: string; certification_id: string; certification_name: string; valid: number; expiring_soon: number; expired: number; revoked: number }>`
    WITH latest AS (
      SELECT DISTINCT ON (a.person_id, a.certification_id) a.person_id, a.certification_id, a.vendor_id, a.expires_at, a.revoked_at
      FROM certification_awards a
      WHERE a.awarded_at <= ${at}::timestamptz
      ORDER BY a.person_id, a.certification_id, a.awarded_at DESC, a.expires_at DESC
    )
    SELECT l.vendor_id, v.name AS vendor_name, l.certification_id, c.name AS certification_name,
      count(*) FILTER (WHERE l.revoked_at IS NULL AND l.expires_at > ${at}::timestamptz + make_interval(days => ${soonDays}::int))::int AS valid,
      count(*) FILTER (WHERE l.revoked_at IS NULL AND l.expires_at > ${at}::timestamptz AND l.expires_at <= ${at}::timestamptz + make_interval(days => ${soonDays}::int))::int AS expiring_soon,
      count(*) FILTER (WHERE l.revoked_at IS NULL AND l.expires_at <= ${at}::timestamptz)::int AS expired,
      count(*) FILTER (WHERE l.revoked_at IS NOT NULL)::int AS revoked
    FROM latest l JOIN vendors v ON v.id = l.vendor_id JOIN certifications c ON c.id = l.certification_id
    GROUP BY 1, 2, 3, 4
    ORDER BY v.name, c.name`.execute(db);
  return result.rows;
}

export interface CertifiedRow {
  idx: number;
  person_id: string | null;
  person_name: string | null;
  people_matched: number;
  workflow_id: string | null;
  workflow_key: string | null;
  certification_id: string | null;
  certification_name: string | null;
  holds_off_workflow: boolean | null;
  validity_days: number | null;
  award_id: string | null;
  awarded_at: Date | null;
  expires_at: Date | null;
}

/**
 * "Is this person certified for this workflow at `at`?" for many questions in
 * one statement. Each question names a person (Assay id, or the upstream
 * tool's agent reference: employee reference or email) and a workflow (id or
 * key). One row per (question, active certification of the workflow that
 * applies to the person's vendor), with the best valid award if any; a
 * question with no such certification still returns one row (certification
 * null). Row-level security keeps people outside the caller's scope unmatched.
 */
export async function certifiedFor(db: Executor, questions: Array<{ person: string; workflow: string }>, at: Date): Promise<CertifiedRow[]> {
  if (questions.length === 0) return [];
  const people = questions.map((q) => q.person);
  const workflows = questions.map((q) => q.workflow);
  const result = await sql<CertifiedRow>`
    WITH q AS (
      SELECT idx::int AS idx, person, workflow
      FROM unnest(${people}::text[], ${workflows}::text[]) WITH ORDINALITY AS t(person, workflow, idx)
    ), who AS (
      SELECT q.idx, p.id, p.full_name, p.vendor_id, count(*) OVER (PARTITION BY q.idx) AS matched
      FROM q JOIN people p ON (
        -- CASE, not AND: PostgreSQL may evaluate a cast before the test that guards it.
        p.id = (CASE WHEN q.person ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN q.person::uuid END)
        OR p.employee_ref = q.person OR lower(p.email) = lower(q.person))
    ), wf AS (
      SELECT q.idx, w.id, w.key
      FROM q JOIN workflows w ON (
        w.id = (CASE WHEN q.workflow ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN q.workflow::uuid END) OR w.key = q.workflow)
    )
    SELECT q.idx, who.id AS person_id, who.full_name AS person_name, coalesce(who.matched, 0)::int AS people_matched,
      wf.id AS workflow_id, wf.key AS workflow_key,
      c.id AS certification_id, c.name AS certification_name, c.holds_off_workflow, c.validity_days,
      a.id AS award_id, a.awarded_at, a.expires_at
    FROM q
    LEFT JOIN who ON who.idx = q.idx
    LEFT JOIN wf ON wf.idx = q.idx
    LEFT JOIN certifications c ON c.workflow_id = wf.id AND c.status = 'active'
      AND (c.vendor_id IS NULL OR c.vendor_id = who.vendor_id) AND who.matched = 1
    LEFT JOIN LATERAL (
      SELECT a.id, a.awarded_at, a.expires_at FROM certification_awards a
      WHERE a.person_id = who.id AND a.certification_id = c.id AND a.awarded_at <= ${at} AND a.expires_at > ${at}
        AND (a.revoked_at IS NULL OR a.revoked_at > ${at})
      ORDER BY a.expires_at DESC LIMIT 1
    ) a ON true
    ORDER BY q.idx, c.name`.execute(db);
  return result.rows;
}
