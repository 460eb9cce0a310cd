import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/** Overdue training per vendor or site, from the enrolments of the training core (scoped through the person). */

export interface OverdueGroupRow {
  group_id: string;
  group_name: string | null;
  vendor_name: string | null;
  come_due: number;
  overdue: number;
  completed_late: number;
  open_not_due: number;
}

export async function overdueByGroup(db: Executor, by: 'vendor' | 'site', now: Date, filter: { courseId?: string }): Promise<OverdueGroupRow[]> {
  const key = by === 'vendor' ? sql`e.vendor_id` : sql`e.site_id`;
  const { rows } = await sql<OverdueGroupRow>`
    SELECT ${key}::text AS group_id,
           ${by === 'vendor' ? sql`(SELECT v.name FROM vendors v WHERE v.id = e.vendor_id)` : sql`(SELECT s.name FROM sites s WHERE s.id = e.site_id)`} AS group_name,
           ${by === 'vendor' ? sql`NULL::text` : sql`(SELECT v.name FROM vendors v WHERE v.id = e.vendor_id)`} AS vendor_name,
           count(*) FILTER (WHERE e.due_at <= ${now})::int AS come_due,
           count(*) FILTER (WHERE e.due_at <= ${now} AND e.status IN ('assigned', 'in_progress'))::int AS overdue,
           count(*) FILTER (WHERE e.due_at <= ${now} AND e.status = 'completed' AND e.completed_at > e.due_at)::int AS completed_late,
           count(*) FILTER (WHERE e.due_at > ${now} AND e.status IN ('assigned', 'in_progress'))::int AS open_not_due
    FROM enrolments e
    WHERE e.status <> 'withdrawn' AND e.due_at IS NOT NULL
      AND (${filter.courseId ?? null}::uuid IS NULL OR e.course_id = ${filter.courseId ?? null})
    GROUP BY ${key}, e.vendor_id
    ORDER BY 2`.execute(db);
  return rows;
}

export interface OverdueEnrolmentRow {
  enrolment_id: string;
  person_id: string;
  full_name: string;
  vendor_id: string;
  vendor_name: string | null;
  site_id: string;
  site_name: string | null;
  course_id: string;
  course_title: string;
  due_at: Date;
  status: string;
  last_reminder_on: string | null;
}

export async function listOverdue(db: Executor, now: Date, filter: { vendorId?: string; siteId?: string; courseId?: string }, page: { limit: number; offset: number }): Promise<{ rows: OverdueEnrolmentRow[]; total: number }> {
  const { rows } = await sql<OverdueEnrolmentRow & { total: number }>`
    SELECT e.id AS enrolment_id, e.person_id, p.full_name, e.vendor_id, v.name AS vendor_name, e.site_id, s.name AS site_name,
           e.course_id, cv.title AS course_title, e.due_at, e.status,
           (SELECT max(r.sent_on)::text FROM training_reminders r WHERE r.enrolment_id = e.id) AS last_reminder_on,
           count(*) OVER ()::int AS total
    FROM enrolments e
    JOIN people p ON p.id = e.person_id
    JOIN course_versions cv ON cv.id = e.course_version_id
    LEFT JOIN vendors v ON v.id = e.vendor_id
    LEFT JOIN sites s ON s.id = e.site_id
    WHERE e.status IN ('assigned', 'in_progress') AND e.due_at <= ${now}
      AND (${filter.vendorId ?? null}::uuid IS NULL OR e.vendor_id = ${filter.vendorId ?? null})
      AND (${filter.siteId ?? null}::uuid IS NULL OR e.site_id = ${filter.siteId ?? null})
      AND (${filter.courseId ?? null}::uuid IS NULL OR e.course_id = ${filter.courseId ?? null})
    ORDER BY e.due_at, p.full_name
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return { rows, total: rows[0]?.total ?? 0 };
}
