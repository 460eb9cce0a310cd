import type { AttendanceStatus } from './training-operations.types.ts';
import { Issues } from '../errors.ts';
import { wilson, type ProportionInterval } from '../stats/proportions.ts';

/**
 * Cohort rules, pure: the schedule's checks, attendance rates, and whether a
 * nesting agent meets the cohort's QA targets.
 */

export const ATTENDANCE_STATUSES: readonly AttendanceStatus[] = ['present', 'late', 'absent', 'excused'];

export interface SessionInput {
  startsAt: string;
  endsAt: string;
  topic: string;
}

export function checkSession(input: SessionInput, issues: Issues = new Issues()): Issues {
  const start = Date.parse(input.startsAt);
  const end = Date.parse(input.endsAt);
  issues.check(Number.isFinite(start), '/startsAt', 'Give the start as a date and time.');
  issues.check(Number.isFinite(end), '/endsAt', 'Give the end as a date and time.');
  if (Number.isFinite(start) && Number.isFinite(end)) {
    issues.check(end > start, '/endsAt', 'A session ends after it starts.');
    issues.check(end - start <= 12 * 3_600_000, '/endsAt', 'A session lasts at most 12 hours; schedule longer training as several sessions.');
  }
  issues.check(input.topic.trim().length > 0, '/topic', 'Say what the session covers.');
  return issues;
}

/**
 * Attendance rate = (present + late) / (sessions held where the person was
 * expected, excused ones left out of the denominator), with a Wilson interval.
 */
export function attendanceRate(statuses: readonly AttendanceStatus[], confidence = 0.95): ProportionInterval & { excused: number; late: number } {
  const attended = statuses.filter((s) => s === 'present' || s === 'late').length;
  const expected = statuses.filter((s) => s !== 'excused').length;
  return { ...wilson(attended, expected, confidence), excused: statuses.length - expected, late: statuses.filter((s) => s === 'late').length };
}

export type NestingEvidence = 'estimate' | 'interval';

export interface NestingTargets {
  minReviews: number;
  /** Accuracy (weighted) must reach this share... */
  accuracyTarget: number;
  /** ...and the critical error rate (weighted) stay at or below this one. */
  criticalErrorMax: number;
  /** estimate: the point estimate must meet each target; interval: the whole interval must. */
  evidence: NestingEvidence;
}

export interface EstimateWithInterval {
  value: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
}

export type TargetCheck = 'met' | 'not_yet' | 'credibly_missed';
export type GraduationReadiness = 'met' | 'not_yet' | 'credibly_not_met';

export interface NestingEvaluation {
  status: GraduationReadiness;
  accuracy: TargetCheck;
  criticalErrors: TargetCheck;
  enoughReviews: boolean;
  reasons: string[];
}

function atLeast(e: EstimateWithInterval, target: number, evidence: NestingEvidence): TargetCheck {
  if (e.value === null || e.n === 0) return 'not_yet';
  if (e.upper !== null && e.upper < target) return 'credibly_missed';
  const judged = evidence === 'interval' ? e.lower : e.value;
  return judged !== null && judged >= target ? 'met' : 'not_yet';
}

function atMost(e: EstimateWithInterval, max: number, evidence: NestingEvidence): TargetCheck {
  if (e.value === null || e.n === 0) return 'not_yet';
  if (e.lower !== null && e.lower > max) return 'credibly_missed';
  const judged = evidence === 'interval' ? e.upper : e.value;
  return judged !== null && judged <= max ? 'met' : 'not_yet';
}

const pct = (v: number) => `${(v * 100).toFixed(1).replace(/\.0$/, '')}%`;

/**
 * met: at least minReviews reviews and both targets met (by the estimate, or
 * by the whole interval when evidence = 'interval'); credibly not met: an
 * interval lies wholly on the wrong side of a target, whatever the number of
 * reviews (the interval is wide when they are few, so this is not noise);
 * not yet: anything else, most often too few reviews to tell.
 */
export function evaluateNesting(targets: NestingTargets, accuracy: EstimateWithInterval, criticalErrors: EstimateWithInterval): NestingEvaluation {
  const accuracyCheck = atLeast(accuracy, targets.accuracyTarget, targets.evidence);
  const criticalCheck = atMost(criticalErrors, targets.criticalErrorMax, targets.evidence);
  const enoughReviews = accuracy.n >= targets.minReviews;
  const reasons: string[] = [];
  if (!enoughReviews) reasons.push(`${accuracy.n} of the ${targets.minReviews} reviews needed.`);
  if (accuracyCheck === 'credibly_missed') reasons.push(`Accuracy is credibly below ${pct(targets.accuracyTarget)} (upper bound ${pct(accuracy.upper!)}).`);
  else if (accuracyCheck === 'not_yet' && accuracy.n > 0) reasons.push(`Accuracy has not reached ${pct(targets.accuracyTarget)} ${targets.evidence === 'interval' ? 'with its whole interval' : 'yet'}.`);
  if (criticalCheck === 'credibly_missed') reasons.push(`Critical error rate is credibly above ${pct(targets.criticalErrorMax)} (lower bound ${pct(criticalErrors.lower!)}).`);
  else if (criticalCheck === 'not_yet' && criticalErrors.n > 0) reasons.push(`Critical error rate is not yet at or below ${pct(targets.criticalErrorMax)}${targets.evidence === 'interval' ? ' with its whole interval' : ''}.`);
  const status: GraduationReadiness =
    accuracyCheck === 'credibly_missed' || criticalCheck === 'credibly_missed'
      ? 'credibly_not_met'
      : enoughReviews && accuracyCheck === 'met' && criticalCheck === 'met'
        ? 'met'
        : 'not_yet';
  return { status, accuracy: accuracyCheck, criticalErrors: criticalCheck, enoughReviews, reasons };
}

export function checkNestingTargets(input: { startsOn: string; endsOn: string } & NestingTargets): void {
  const issues = new Issues();
  const day = /^\d{4}-\d{2}-\d{2}$/;
  issues.check(day.test(input.startsOn), '/startsOn', 'Give the first day as YYYY-MM-DD.');
  issues.check(day.test(input.endsOn), '/endsOn', 'Give the last day as YYYY-MM-DD.');
  if (day.test(input.startsOn) && day.test(input.endsOn)) {
    issues.check(input.endsOn >= input.startsOn, '/endsOn', 'The nesting phase ends on or after its first day.');
    const days = (Date.parse(input.endsOn) - Date.parse(input.startsOn)) / 86_400_000 + 1;
    issues.check(days <= 400, '/endsOn', 'A nesting phase covers at most 400 days.');
  }
  issues.check(Number.isInteger(input.minReviews) && input.minReviews >= 1, '/minReviews', 'At least one review.');
  issues.check(input.accuracyTarget > 0 && input.accuracyTarget <= 1, '/accuracyTarget', 'A share between 0 and 1 (0.9 = 90%).');
  issues.check(input.criticalErrorMax >= 0 && input.criticalErrorMax < 1, '/criticalErrorMax', 'A share between 0 and 1 (0.02 = 2%).');
  issues.throwIfAny();
}
