import { describe, expect, it } from 'vitest';
import { attendanceRate, evaluateNesting, type NestingTargets } from '../../src/domain/training-operations/cohort-operations.rules.ts';
import { reminderMail, reminderOwed } from '../../src/domain/training-operations/reminders.rules.ts';
import { checkResponse, meanInterval, STANDARD_SURVEY_ITEMS, surveyResults } from '../../src/domain/training-operations/surveys.rules.ts';
import { certificationState, checkObservationScores } from '../../src/domain/training-operations/trainers.rules.ts';
import { AppError } from '../../src/domain/errors.ts';

const TARGETS: NestingTargets = { minReviews: 30, accuracyTarget: 0.9, criticalErrorMax: 0.02, evidence: 'estimate' };
const est = (value: number | null, lower: number | null, upper: number | null, n: number) => ({ value, lower, upper, n });

describe('nesting graduation readiness', () => {
  it('is met with enough reviews and both estimates on target', () => {
    expect(evaluateNesting(TARGETS, est(0.93, 0.84, 0.97, 60), est(0.01, 0.002, 0.06, 60))).toMatchObject({ status: 'met', accuracy: 'met', criticalErrors: 'met' });
  });
  it('is not yet with too few reviews, even on target', () => {
    const e = evaluateNesting(TARGETS, est(0.95, 0.8, 0.99, 20), est(0, 0, 0.16, 20));
    expect(e).toMatchObject({ status: 'not_yet', enoughReviews: false });
    expect(e.reasons).toContain('20 of the 30 reviews needed.');
  });
  it('is credibly not met when an interval lies wholly on the wrong side, whatever n', () => {
    expect(evaluateNesting(TARGETS, est(0.7, 0.6, 0.85, 12), est(0, 0, 0.2, 12)).status).toBe('credibly_not_met');
    expect(evaluateNesting(TARGETS, est(0.95, 0.9, 0.98, 100), est(0.08, 0.04, 0.15, 100))).toMatchObject({ status: 'credibly_not_met', criticalErrors: 'credibly_missed' });
  });
  it("asks the whole interval to clear the target with evidence 'interval'", () => {
    const interval = { ...TARGETS, evidence: 'interval' as const };
    expect(evaluateNesting(interval, est(0.93, 0.88, 0.96, 200), est(0.005, 0.001, 0.015, 200)).status).toBe('not_yet');
    expect(evaluateNesting(interval, est(0.95, 0.92, 0.97, 400), est(0.005, 0.001, 0.015, 400)).status).toBe('met');
  });
  it('is not yet with no reviews', () => {
    expect(evaluateNesting(TARGETS, est(null, null, null, 0), est(null, null, null, 0))).toMatchObject({ status: 'not_yet', accuracy: 'not_yet' });
  });
});

describe('attendance rate', () => {
  it('counts late as attended and leaves excused out of the denominator', () => {
    const r = attendanceRate(['present', 'late', 'absent', 'excused']);
    expect(r).toMatchObject({ x: 2, n: 3, excused: 1, late: 1 });
    expect(r.estimate).toBeCloseTo(2 / 3, 12);
  });
});

describe('reminders', () => {
  const now = new Date('2026-03-10T06:30:00Z');
  const day = 86_400_000;
  it('reminds once per window before the due date, and weekly once overdue', () => {
    expect(reminderOwed({ dueAt: new Date(now.getTime() + 2 * day), lastDueSoonOn: null, lastOverdueOn: null }, now)).toBe('due_soon');
    expect(reminderOwed({ dueAt: new Date(now.getTime() + 2 * day), lastDueSoonOn: '2026-03-09', lastOverdueOn: null }, now)).toBeNull();
    expect(reminderOwed({ dueAt: new Date(now.getTime() + 4 * day), lastDueSoonOn: null, lastOverdueOn: null }, now)).toBeNull();
    expect(reminderOwed({ dueAt: new Date(now.getTime() - day), lastDueSoonOn: '2026-03-08', lastOverdueOn: null }, now)).toBe('overdue');
    expect(reminderOwed({ dueAt: new Date(now.getTime() - 3 * day), lastDueSoonOn: null, lastOverdueOn: '2026-03-04' }, now)).toBeNull();
    expect(reminderOwed({ dueAt: new Date(now.getTime() - 9 * day), lastDueSoonOn: null, lastOverdueOn: '2026-03-03' }, now)).toBe('overdue');
  });
  it('writes the due date in the learner\'s time zone, falling back to UTC for an unknown zone', () => {
    const mail = reminderMail({ kind: 'overdue', to: 'a@example.test', personName: 'Ana Santos', courseTitle: 'Live safety', dueAt: new Date('2026-03-09T23:00:00Z'), timeZone: 'Nowhere/Atlantis', now });
    expect(mail.subject).toBe('Overdue training: Live safety');
    expect(mail.text).toContain('Hello Ana,');
    expect(mail.text).toContain('was due on Mon 9 Mar 2026, 23:00 (UTC) (8 hours ago)');
  });
});

describe('survey statistics', () => {
  it('gives a t interval for a mean, clamped to the scale; none from one answer', () => {
    const m = meanInterval([4, 5, 3, 4, 4]);
    expect(m.mean).toBe(4);
    expect(m.sd).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(m.upper! - 4).toBeCloseTo((2.7764 * Math.sqrt(0.5)) / Math.sqrt(5), 3);
    expect(meanInterval([5, 5, 5, 4, 5]).upper).toBe(5);
    expect(meanInterval([3])).toMatchObject({ mean: 3, lower: null, upper: null, n: 1 });
  });
  it('withholds groups under the minimum size and sorts comments by text', () => {
    const rows = [
      ...[5, 4, 4, 5, 3].map((v, i) => ({ group: 'a', ratings: { relevant: v }, comments: i === 0 ? { best: 'Zebra' } : { best: 'Apple' } })),
      ...[1, 2].map((v) => ({ group: 'b', ratings: { relevant: v }, comments: { best: 'secret' } })),
    ];
    const items = [{ key: 'relevant', text: 'Relevant', kind: 'likert' as const }, { key: 'best', text: 'Best?', kind: 'text' as const }];
    const [a, b] = surveyResults(items, rows, 5);
    expect(a).toMatchObject({ n: 5, suppressed: false });
    expect(a!.items[0]!.distribution).toEqual([0, 0, 1, 2, 2]);
    expect(a!.items[0]!.agreeShare).toBeCloseTo(0.8, 12);
    expect(a!.comments.map((c) => c.text)).toEqual(['Apple', 'Apple', 'Apple', 'Apple', 'Zebra']);
    expect(b).toEqual({ group: 'b', n: 2, suppressed: true, overall: null, items: [], comments: [] });
  });
  it('checks a response against the survey', () => {
    const ratings = Object.fromEntries(STANDARD_SURVEY_ITEMS.filter((i) => i.kind === 'likert').map((i) => [i.key, 4]));
    expect(checkResponse(STANDARD_SURVEY_ITEMS, { ratings, comments: { best: '  ', improve: ' More cases ' } })).toEqual({ ratings, comments: { improve: 'More cases' } });
    expect(() => checkResponse(STANDARD_SURVEY_ITEMS, { ratings: { ...ratings, pace: 6 } })).toThrow(AppError);
    expect(() => checkResponse(STANDARD_SURVEY_ITEMS, { ratings: { ...ratings, best: 3 } })).toThrow(AppError);
  });
});

describe('trainer rules', () => {
  it('scores observations on the rubric, in rubric order', () => {
    expect(checkObservationScores([{ key: 'engagement', score: 3 }, { key: 'preparation', score: 4 }])).toEqual({ scores: [{ key: 'preparation', score: 4 }, { key: 'engagement', score: 3 }], overall: 3.5 });
    expect(() => checkObservationScores([{ key: 'preparation', score: 0 }])).toThrow(AppError);
  });
  it('names a certification valid, expiring within 30 days, expired or revoked', () => {
    expect(certificationState({ expiresOn: null, revokedAt: null }, '2026-03-10')).toBe('valid');
    expect(certificationState({ expiresOn: '2026-04-01', revokedAt: null }, '2026-03-10')).toBe('expiring');
    expect(certificationState({ expiresOn: '2026-03-09', revokedAt: null }, '2026-03-10')).toBe('expired');
    expect(certificationState({ expiresOn: '2027-01-01', revokedAt: '2026-01-01T00:00:00Z' }, '2026-03-10')).toBe('revoked');
  });
});
