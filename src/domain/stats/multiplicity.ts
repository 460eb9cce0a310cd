import { normalUpperTail } from './distributions.ts';

/**
 * Tests of many groups at once, and what to flag among them. A table of 400 agents each compared with
 * the overall figure at 95% marks about 20 of them by chance alone if all are alike: marking on a
 * per-group interval flags noise in proportion to the number of rows. These procedures decide which
 * marks survive, given every p-value of the table. Pure.
 *
 * - Benjamini-Hochberg (1995) controls the false discovery rate: among the groups it marks, the expected
 *   share that are noise is at most q. For dashboards that direct attention (agent tables, heatmaps).
 * - Holm (1979) controls the family-wise error rate: the chance of marking any group that is not
 *   different is at most alpha. For flags with consequences for a named person (a reviewer "inflated").
 *
 * p-values may be null (a group that was not tested: too few reviews); those are never marked and do not
 * count in the family size m.
 */

/** Two-sided p-value of a Wald test of estimate = reference with standard error se (> 0). */
export function waldTestP(estimate: number, reference: number, se: number): number {
  if (!(se > 0)) return estimate === reference ? 1 : 0;
  return Math.min(1, 2 * normalUpperTail(Math.abs(estimate - reference) / se));
}

/**
 * Two-sided p-value of the score test of a proportion p = p0 on a (possibly design-effective) sample size
 * n: z = (p - p0) / sqrt(p0 (1 - p0) / n). It is the test the Wilson interval inverts, so p < 1 - confidence
 * exactly when the Wilson interval at that confidence excludes p0.
 */
export function scoreTestP(p: number, p0: number, n: number): number {
  if (!(n > 0)) return 1;
  if (p0 <= 0 || p0 >= 1) return p === p0 ? 1 : 0;
  return Math.min(1, 2 * normalUpperTail(Math.abs(p - p0) / Math.sqrt((p0 * (1 - p0)) / n)));
}

/**
 * Benjamini-Hochberg adjusted p-values (R's p.adjust(method = "BH")): sorted ascending, p_(i) m / i,
 * made monotone from the largest down, capped at 1. A group is marked at level q when its adjusted
 * p-value is <= q. Null stays null.
 */
export function benjaminiHochberg(pValues: ReadonlyArray<number | null>): Array<number | null> {
  const tested = indexed(pValues);
  const m = tested.length;
  const adjusted: Array<number | null> = pValues.map(() => null);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, index } = tested[rank - 1]!;
    running = Math.min(running, (p * m) / rank);
    // Never below p itself (m / rank >= 1; rounding of p * m / m could dip under it).
    adjusted[index] = Math.min(1, Math.max(p, running));
  }
  return adjusted;
}

/**
 * Holm step-down adjusted p-values (R's p.adjust(method = "holm")): sorted ascending, (m - i + 1) p_(i),
 * made monotone from the smallest up, capped at 1. Marked at level alpha when <= alpha.
 */
export function holm(pValues: ReadonlyArray<number | null>): Array<number | null> {
  const tested = indexed(pValues);
  const m = tested.length;
  const adjusted: Array<number | null> = pValues.map(() => null);
  let running = 0;
  tested.forEach(({ p, index }, i) => {
    running = Math.max(running, (m - i) * p);
    adjusted[index] = Math.min(1, running);
  });
  return adjusted;
}

function indexed(pValues: ReadonlyArray<number | null>): Array<{ p: number; index: number }> {
  const tested: Array<{ p: number; index: number }> = [];
  pValues.forEach((p, index) => {
    if (p === null) return;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1] or null, got ${p} at ${index}`);
    tested.push({ p, index });
  });
  // Stable: ties keep their input order, so equal p-values get equal adjusted values either way.
  return tested.sort((a, b) => a.p - b.p || a.index - b.index);
}
