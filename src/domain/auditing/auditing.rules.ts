import { createHash } from 'node:crypto';

/**
 * Pure rules of auditing the auditors (docs/decisions/0009): the seeded
 * draws that pick double reviews and gold injections (so every selection
 * probability is known and independent of any outcome), and the scoring of
 * an answer against a gold item's expert answer.
 */

/**
 * A uniform draw in [0, 1) from a seed and a key: the first 32 bits of
 * md5(seed ':' key) over 2^32. The same formula runs in SQL
 * (double-review.repository.ts), so the draw kept in the database can be
 * recomputed and checked here.
 */
export function seededUniform(seed: string, key: string): number {
  const hex = createHash('md5').update(`${seed}:${key}`).digest('hex').slice(0, 8);
  return Number.parseInt(hex, 16) / 4_294_967_296;
}

/**
 * Selected for double review: u < rate, so P(selected) = rate whatever the
 * review says. The draw is keyed on the reviewed decision (one primary review
 * per decision), not the review's random id, so the same data draws the same
 * selection on every load.
 */
export function selectedForDoubleReview(seed: string, decisionId: string, rate: number): { u: number; selected: boolean } {
  const u = seededUniform(seed, decisionId);
  return { u, selected: u < rate };
}

/**
 * How many gold tasks a reviewer gets for `ordinaryTasks` ordinary ones at
 * `rate`: floor(k * rate + u), so the expectation is exactly k * rate.
 */
export function goldTaskCount(ordinaryTasks: number, rate: number, u: number): number {
  if (ordinaryTasks <= 0 || rate <= 0) return 0;
  return Math.floor(ordinaryTasks * rate + u);
}

export interface GoldAnswer {
  labels: readonly string[];
  action: string;
}

export interface GoldScore {
  labelsCorrect: boolean;
  actionCorrect: boolean;
  /** Both: the answer is the expert's. */
  correct: boolean;
}

/** Labels match as sets (order and duplicates do not matter); the action must be the same. */
export function scoreAgainstGold(expert: GoldAnswer, answer: GoldAnswer): GoldScore {
  const a = new Set(expert.labels);
  const b = new Set(answer.labels);
  const labelsCorrect = a.size === b.size && [...a].every((label) => b.has(label));
  const actionCorrect = expert.action === answer.action;
  return { labelsCorrect, actionCorrect, correct: labelsCorrect && actionCorrect };
}

/** A label set as one category for agreement statistics ('' = no violation). */
export function labelCategory(labels: readonly string[]): string {
  return [...new Set(labels)].sort().join('+');
}
