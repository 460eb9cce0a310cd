import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-operations-overdue.repository.ts';
import { wilson, type ProportionInterval } from '../stats/proportions.ts';

/**
 * Overdue training per vendor or site. The overdue rate is the share of
 * enrolments whose due date has passed that are still not complete, with a
 * Wilson interval and its n; completed-late and still-open-not-yet-due
 * counts are shown beside it. Withdrawn enrolments and those without a due
 * date are left out.
 */

export interface OverdueGroup {
  groupId: string;
  groupName: string | null;
  vendorName: string | null;
  comeDue: number;
  overdue: number;
  completedLate: number;
  openNotDue: number;
  overdueRate: ProportionInterval;
}

export async function overdueSummary(trx: Executor, query: { by?: 'vendor' | 'site'; courseId?: string }, now = new Date()) {
  const by = query.by ?? 'vendor';
  const rows = await repo.overdueByGroup(trx, by, now, { courseId: query.courseId });
  const groups: OverdueGroup[] = rows.map((r) => ({
    groupId: r.group_id, groupName: r.group_name, vendorName: r.vendor_name, comeDue: r.come_due, overdue: r.overdue,
    completedLate: r.completed_late, openNotDue: r.open_not_due, overdueRate: wilson(r.overdue, r.come_due),
  }));
  const total = groups.reduce((a, g) => ({ comeDue: a.comeDue + g.comeDue, overdue: a.overdue + g.overdue }), { comeDue: 0, overdue: 0 });
  return { by, asOf: now.toISOString(), overall: { ...total, overdueRate: wilson(total.overdue, total.comeDue) }, groups };
}

export async function overdueList(trx: Executor, filter: { vendorId?: string; siteId?: string; courseId?: string }, page: { limit: number; offset: number }, now = new Date()) {
  const { rows, total } = await repo.listOverdue(trx, now, filter, page);
  return {
    total,
    items: rows.map((r) => ({
      enrolmentId: r.enrolment_id, personId: r.person_id, fullName: r.full_name, vendorId: r.vendor_id, vendorName: r.vendor_name,
      siteId: r.site_id, siteName: r.site_name, courseId: r.course_id, courseTitle: r.course_title, dueAt: r.due_at.toISOString(),
      daysOverdue: Math.floor((now.getTime() - r.due_at.getTime()) / 86_400_000), status: r.status, lastReminderOn: r.last_reminder_on,
    })),
  };
}
