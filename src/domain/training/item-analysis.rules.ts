/**
 * Classical item analysis for trainers, pure.
 *
 * - Facility (difficulty index) p: the proportion of examinees who saw the
 *   item and got it right, with n and a Wilson interval.
 * - Point-biserial discrimination, corrected: the correlation between being
 *   right on the item and the rest score (total minus the item's own
 *   points), r = (M1 - M0) / s * sqrt(p q), with M1/M0 the mean rest score of
 *   those right/wrong and s the population standard deviation of the rest
 *   score. Correcting keeps an item from correlating with itself, which
 *   matters on short forms. Undefined (null) when everyone or no one was
 *   right, or the rest scores do not vary.
 * - Upper-lower index D (Kelley's 27%): examinees who saw the item are ranked
 *   by total score; D = p(upper 27%) - p(lower 27%), group size
 *   g = max(1, round(0.27 n)), needing n >= 2. Ties at a group's edge are
 *   broken by attempt id, so the answer is deterministic.
 *
 * Forms are randomised, so each item has its own n: only attempts whose form
 * held the item count for it.
 */
import { wilson, type ProportionInterval } from '../stats/proportions.ts';

export interface AnalysedAttempt {
  id: string;
  /** Points earned on the whole form. */
  total: number;
  responses: Record<string, { correct: boolean; points: number }>;
}

export interface ItemStatistics {
  itemId: string;
  n: number;
  correct: number;
  facility: ProportionInterval;
  pointBiserial: number | null;
  upperLower: { index: number; groupSize: number; upper: number; lower: number } | null;
  /** Flags a trainer should look at: too easy, too hard, not discriminating (only when n >= MIN_N). */
  flags: Array<'too_easy' | 'too_hard' | 'low_discrimination' | 'negative_discrimination' | 'few_responses'>;
}

export const UPPER_LOWER_FRACTION = 0.27;
/** Below this many responses the indices are shown but not flagged: they are too noisy to act on. */
export const MIN_N = 20;

export function pointBiserial(rows: ReadonlyArray<{ correct: boolean; rest: number }>): number | null {
  const n = rows.length;
  if (n < 2) return null;
  const right = rows.filter((r) => r.correct);
  const p = right.length / n;
  if (p === 0 || p === 1) return null;
  const mean = rows.reduce((s, r) => s + r.rest, 0) / n;
  const sd = Math.sqrt(rows.reduce((s, r) => s + (r.rest - mean) ** 2, 0) / n);
  if (sd === 0) return null;
  const m1 = right.reduce((s, r) => s + r.rest, 0) / right.length;
  const wrong = rows.filter((r) => !r.correct);
  const m0 = wrong.reduce((s, r) => s + r.rest, 0) / wrong.length;
  return ((m1 - m0) / sd) * Math.sqrt(p * (1 - p));
}

export function upperLowerIndex(rows: ReadonlyArray<{ id: string; correct: boolean; total: number }>): ItemStatistics['upperLower'] {
  const n = rows.length;
  if (n < 2) return null;
  const g = Math.min(Math.floor(n / 2), Math.max(1, Math.round(UPPER_LOWER_FRACTION * n)));
  const ranked = [...rows].sort((a, b) => b.total - a.total || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const upper = ranked.slice(0, g).filter((r) => r.correct).length / g;
  const lower = ranked.slice(n - g).filter((r) => r.correct).length / g;
  return { index: upper - lower, groupSize: g, upper, lower };
}

export function analyseItems(itemIds: readonly string[], attempts: readonly AnalysedAttempt[]): ItemStatistics[] {
  return itemIds.map((itemId) => {
    const rows = attempts
      .filter((a) => a.responses[itemId] !== undefined)
      .map((a) => {
        const r = a.responses[itemId]!;
        return { id: a.id, correct: r.correct, total: a.total, rest: a.total - (r.correct ? r.points : 0) };
      });
    const correct = rows.filter((r) => r.correct).length;
    const facility = wilson(correct, rows.length);
    const rpb = pointBiserial(rows);
    const upperLower = upperLowerIndex(rows);
    const flags: ItemStatistics['flags'] = [];
    if (rows.length < MIN_N) flags.push('few_responses');
    else {
      if (facility.estimate !== null && facility.estimate > 0.95) flags.push('too_easy');
      if (facility.estimate !== null && facility.estimate < 0.2) flags.push('too_hard');
      if (rpb !== null && rpb < 0) flags.push('negative_discrimination');
      else if (rpb !== null && rpb < 0.2) flags.push('low_discrimination');
    }
    return { itemId, n: rows.length, correct, facility, pointBiserial: rpb, upperLower, flags };
  });
}
