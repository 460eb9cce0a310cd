/**
 * Difference between two proportions measured on the same units (paired binary data), e.g. the vendor QA's and
 * internal QA's pass rates on the same double-reviewed items. The two proportions are correlated, so the
 * independent-samples intervals are wrong; this is Newcombe's (1998b, Stat Med 17:2635) method 10: the Wilson
 * score limits of each margin combined square-and-add with a correction for the correlation phi. Pure.
 *
 * Table: a = both yes, b = first yes / second no, c = first no / second yes, d = both no; n = a + b + c + d.
 * Difference: theta = p1 - p2 = (b - c) / n, p1 = (a + b) / n, p2 = (a + c) / n.
 */
import { wilson } from './proportions.ts';

export interface PairedTable {
  a: number;
  b: number;
  c: number;
  d: number;
}

export interface PairedDifference {
  /** p1 - p2, or null when n = 0. */
  estimate: number | null;
  lower: number;
  upper: number;
  p1: number | null;
  p2: number | null;
  n: number;
  /** Discordant pairs: first yes / second no (b) and first no / second yes (c). */
  discordant: { b: number; c: number };
  confidence: number;
  method: 'newcombe-paired';
}

function check(t: PairedTable): void {
  for (const [key, v] of Object.entries(t)) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${key} must be a non-negative integer, got ${v}`);
  }
}

/**
 * Newcombe's method 10. With l_i, u_i the Wilson limits of p_i:
 * phi = C / sqrt((a+b)(c+d)(a+c)(b+d)), C = ad - bc - n/2 when ad - bc > n/2, 0 when 0 <= ad - bc <= n/2,
 * ad - bc when negative (0 when the product under the root is 0);
 * lower = theta - sqrt((p1 - l1)^2 - 2 phi (p1 - l1)(u2 - p2) + (u2 - p2)^2),
 * upper = theta + sqrt((p2 - l2)^2 - 2 phi (p2 - l2)(u1 - p1) + (u1 - p1)^2).
 * Range: inside [-1, 1]. n = 0 -> estimate null and [-1, 1].
 */
export function pairedDifferenceNewcombe(table: PairedTable, confidence = 0.95): PairedDifference {
  check(table);
  const { a, b, c, d } = table;
  const n = a + b + c + d;
  const base = { n, discordant: { b, c }, confidence, method: 'newcombe-paired' as const };
  if (n === 0) return { ...base, estimate: null, lower: -1, upper: 1, p1: null, p2: null };
  const w1 = wilson(a + b, n, confidence);
  const w2 = wilson(a + c, n, confidence);
  const p1 = (a + b) / n;
  const p2 = (a + c) / n;
  const theta = p1 - p2;
  const product = (a + b) * (c + d) * (a + c) * (b + d);
  const ad = a * d - b * c;
  const corrected = ad > n / 2 ? ad - n / 2 : ad < 0 ? ad : 0;
  const phi = product === 0 ? 0 : corrected / Math.sqrt(product);
  const dl1 = p1 - w1.lower;
  const du1 = w1.upper - p1;
  const dl2 = p2 - w2.lower;
  const du2 = w2.upper - p2;
  const lower = theta - Math.sqrt(Math.max(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2));
  const upper = theta + Math.sqrt(Math.max(0, dl2 * dl2 - 2 * phi * dl2 * du1 + du1 * du1));
  return { ...base, estimate: theta, lower: Math.max(-1, lower), upper: Math.min(1, upper), p1, p2 };
}

/** The paired table of two aligned boolean series (first[i] and second[i] are the same unit). */
export function pairedTable(first: readonly boolean[], second: readonly boolean[]): PairedTable {
  if (first.length !== second.length) throw new RangeError('the two series must have the same length');
  const t = { a: 0, b: 0, c: 0, d: 0 };
  first.forEach((x, i) => {
    const y = second[i]!;
    if (x && y) t.a += 1;
    else if (x) t.b += 1;
    else if (y) t.c += 1;
    else t.d += 1;
  });
  return t;
}

/**
 * One-sided p-value for "the paired difference exceeds `margin`", read from Newcombe's interval: the
 * alpha / 2 of the (1 - alpha) interval whose lower limit equals the margin, found by bisection on the
 * confidence. So p < (1 - confidence) / 2 exactly when that interval's lower limit lies above the margin,
 * the rule a single flag uses. An estimate at or below the margin is no evidence of excess: 1.
 */
export function pairedExcessPValue(table: PairedTable, margin: number): number {
  const estimate = pairedDifferenceNewcombe(table, 0.5).estimate;
  if (estimate === null || estimate <= margin) return 1;
  const lowerAt = (confidence: number) => pairedDifferenceNewcombe(table, confidence).lower;
  const most = 1 - 1e-12;
  if (lowerAt(most) > margin) return (1 - most) / 2;
  // lower(c) falls from the estimate (c -> 0) as the confidence c rises.
  let low = 1e-9;
  let high = most;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (lowerAt(mid) > margin) low = mid;
    else high = mid;
  }
  return (1 - (low + high) / 2) / 2;
}
