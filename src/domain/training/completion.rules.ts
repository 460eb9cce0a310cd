import { wilson, type ProportionInterval } from '../stats/proportions.ts';

/**
 * Enrolment completion, pure. An enrolment is complete when every required
 * module of its course version has been viewed and, when the version has an
 * assessment, an attempt passed. Overdue is derived, never stored: open and
 * past its due date.
 */

export function isComplete(requiredModuleIds: readonly string[], viewedModuleIds: ReadonlySet<string>, hasAssessment: boolean, passed: boolean): boolean {
  return requiredModuleIds.every((id) => viewedModuleIds.has(id)) && (!hasAssessment || passed);
}

export function isOverdue(status: string, dueAt: Date | null, at: Date): boolean {
  return (status === 'assigned' || status === 'in_progress') && dueAt !== null && dueAt.getTime() < at.getTime();
}

export interface CompletionFigures {
  enrolled: number;
  completed: number;
  inProgress: number;
  overdue: number;
  /** Completed / enrolled with a Wilson interval. */
  completionRate: ProportionInterval;
  overdueRate: ProportionInterval;
}

export function completionFigures(counts: { enrolled: number; completed: number; in_progress: number; overdue: number }): CompletionFigures {
  return {
    enrolled: counts.enrolled,
    completed: counts.completed,
    inProgress: counts.in_progress,
    overdue: counts.overdue,
    completionRate: wilson(counts.completed, counts.enrolled),
    overdueRate: wilson(counts.overdue, counts.enrolled),
  };
}
