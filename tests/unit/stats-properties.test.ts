/**
 * Property-based tests (fast-check) for the binomial intervals and the agreement coefficients: bounds,
 * symmetry, permutation invariance, relabelling invariance, agreement = 1 on identical raters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohenKappa, cohenKappaFromTable, fleissKappa, percentAgreement } from '../../src/domain/stats/agreement.ts';
import type { Rating } from '../../src/domain/stats/agreement-data.ts';
import { chanceCorrected, gwetAC } from '../../src/domain/stats/agreement-gwet.ts';
import { krippendorffAlpha, type AlphaLevel } from '../../src/domain/stats/agreement-krippendorff.ts';
import {
  ac1WithError,
  ac2WithError,
  alphaWithError,
  brennanPredigerWithError,
  fleissWithError,
  percentAgreementWithError,
} from '../../src/domain/stats/agreement-variance.ts';
import { zForConfidence } from '../../src/domain/stats/distributions.ts';
import { agrestiCoull, clopperPearson, wald, wilson, type ProportionInterval } from '../../src/domain/stats/proportions.ts';
import { wilsonBounds } from '../../src/domain/stats/ratio-estimation.ts';

const RUNS = { numRuns: 150 };
const LEVELS: AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];
const METHODS = [wilson, clopperPearson, agrestiCoull, wald] as const;

function same(a: number | null, b: number | null, tol = 1e-9): void {
  if (a === null || b === null) expect(a).toBe(b);
  else expect(Math.abs(a - b)).toBeLessThanOrEqual(tol);
}

/** x and n with 0 <= x <= n, n in 1..400. */
const countArb = fc.integer({ min: 1, max: 400 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
const confidenceArb = fc.constantFrom(0.8, 0.9, 0.95, 0.99);

describe('binomial intervals', () => {
  it('contain the estimate and lie in [0, 1]; Wilson and Clopper-Pearson reach 0 / 1 exactly at x = 0 / n', () => {
    fc.assert(
      fc.property(countArb, confidenceArb, ([x, n], confidence) => {
        for (const method of METHODS) {
          const ci: ProportionInterval = method(x, n, confidence);
          expect(0).toBeLessThanOrEqual(ci.lower);
          expect(ci.lower).toBeLessThanOrEqual(ci.estimate! + 1e-12);
          expect(ci.estimate!).toBeLessThanOrEqual(ci.upper + 1e-12);
          expect(ci.upper).toBeLessThanOrEqual(1);
        }
        for (const method of [wilson, clopperPearson]) {
          const ci = method(x, n, confidence);
          expect(ci.lower === 0).toBe(x === 0);
          expect(ci.upper === 1).toBe(x === n);
        }
      }),
      RUNS,
    );
  });

  it('are mirror images under x -> n - x (every method)', () => {
    fc.assert(
      fc.property(countArb, confidenceArb, ([x, n], confidence) => {
        for (const method of METHODS) {
          const a = method(x, n, confidence);
          const b = method(n - x, n, confidence);
          same(a.lower, 1 - b.upper, 1e-9);
          same(a.upper, 1 - b.lower, 1e-9);
        }
      }),
      RUNS,
    );
  });

  it('Wilson and Clopper-Pearson bounds are non-decreasing in x, and widen with the confidence level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constant(n))), ([x, n]) => {
        for (const method of [wilson, clopperPearson]) {
          const a = method(x, n);
          const b = method(x + 1, n);
          expect(a.lower).toBeLessThanOrEqual(b.lower + 1e-12);
          expect(a.upper).toBeLessThanOrEqual(b.upper + 1e-12);
        }
        for (const method of METHODS) {
          const narrow = method(x, n, 0.9);
          const wide = method(x, n, 0.99);
          expect(wide.lower).toBeLessThanOrEqual(narrow.lower + 1e-12);
          expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper - 1e-12);
        }
      }),
      RUNS,
    );
  });

  it('Clopper-Pearson at x = 0 is the closed form [0, 1 - (alpha/2)^(1/n)]; Wilson at x = 0 is [0, z^2 / (n + z^2)]', () => {
    // (Neither is always wider: at 99% and n = 13 Wilson's upper bound is the larger one.)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), confidenceArb, (n, confidence) => {
        const z = zForConfidence(confidence);
        same(clopperPearson(0, n, confidence).upper, 1 - ((1 - confidence) / 2) ** (1 / n), 1e-12);
        same(wilson(0, n, confidence).upper, (z * z) / (n + z * z), 1e-12);
      }),
      RUNS,
    );
  });

  it('the design-adjusted Wilson bounds contain p, lie in [0, 1], equal Wilson at integer n and narrow as n* grows', () => {
    fc.assert(
      fc.property(countArb, fc.double({ min: 0.5, max: 5_000, noNaN: true }), confidenceArb, ([x, n], nStar, confidence) => {
        const z = zForConfidence(confidence);
        const p = x / n;
        const [lo, hi] = wilsonBounds(p, nStar, z);
        expect(0 <= lo && lo <= p && p <= hi && hi <= 1).toBe(true);
        const [lo2, hi2] = wilsonBounds(p, nStar * 2, z);
        expect(hi2 - lo2).toBeLessThanOrEqual(hi - lo + 1e-12);
        const w = wilson(x, n, confidence);
        const [wl, wu] = wilsonBounds(p, n, z);
        same(wl, w.lower, 1e-12);
        same(wu, w.upper, 1e-12);
      }),
      RUNS,
    );
  });
});

// ---------- agreement ----------

/** Units x raters with labels 0..q-1 and some missing, at least one unit. */
const ratingsArb = fc
  .tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 20 }))
  .chain(([raters, q, n]) =>
    fc.array(fc.array(fc.option(fc.integer({ min: 0, max: q - 1 }), { freq: 4, nil: null }), { minLength: raters, maxLength: raters }), {
      minLength: n,
      maxLength: n,
    }),
  );
/** Complete matrices (no missing) for Fleiss' kappa. */
const completeArb = fc
  .tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 20 }))
  .chain(([raters, q, n]) => fc.array(fc.array(fc.integer({ min: 0, max: q - 1 }), { minLength: raters, maxLength: raters }), { minLength: n, maxLength: n }));
/** Random permutation of 0..n-1 from random sort keys. */
const permutation = (n: number) =>
  fc.array(fc.double({ noNaN: true }), { minLength: n, maxLength: n }).map((keys) => keys.map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i));
const withPermutations = <T>(arb: fc.Arbitrary<T[][]>) =>
  arb.chain((m) => fc.tuple(fc.constant(m), permutation(m.length), permutation(m[0]!.length)));
const permute = <T>(m: T[][], units: number[], raters: number[]): T[][] => units.map((u) => raters.map((r) => m[u]![r]!));

/** Every coefficient value (and SE where there is one) of a ratings matrix, keyed by name. */
function coefficients(m: Rating[][]): Record<string, number | null> {
  const cc = chanceCorrected(m);
  const out: Record<string, number | null> = {
    ac1: cc.gwet.value,
    fleissGeneralized: cc.fleiss.value,
    bp: cc.brennanPrediger.value,
    percent: percentAgreement(m).value,
    ac1Se: ac1WithError(m).se,
    ac2Se: ac2WithError(m).se,
    fleissSe: fleissWithError(m).se,
    bpSe: brennanPredigerWithError(m).se,
    alphaSe: alphaWithError(m).se,
    percentSe: percentAgreementWithError(m).se,
  };
  for (const level of LEVELS) out[`alpha-${level}`] = krippendorffAlpha(m, level).value;
  return out;
}

describe('agreement coefficients', () => {
  it('are invariant to the order of units and of raters (AC1/AC2, Fleiss, BP, alpha, percent agreement, and SEs)', () => {
    fc.assert(
      fc.property(withPermutations(ratingsArb), ([m, units, raters]) => {
        const a = coefficients(m);
        const b = coefficients(permute(m, units, raters));
        for (const key of Object.keys(a)) same(a[key]!, b[key]!, 1e-9);
      }),
      RUNS,
    );
  });

  it("Fleiss' kappa (complete data) is invariant to unit and rater order and lies in [-1/(m-1), 1]", () => {
    fc.assert(
      fc.property(withPermutations(completeArb), ([m, units, raters]) => {
        const k = fleissKappa(m);
        same(k.value, fleissKappa(permute(m, units, raters)).value);
        if (k.value !== null) {
          expect(k.value).toBeGreaterThanOrEqual(-1 / (m[0]!.length - 1) - 1e-12);
          expect(k.value).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
      RUNS,
    );
  });

  it('nominal coefficients are invariant to renaming the categories', () => {
    const rename = ['zero', 'one', 'two', 'three'];
    fc.assert(
      fc.property(ratingsArb, (m) => {
        const renamed = m.map((row) => row.map((r) => (r === null ? null : rename[r]!)));
        same(krippendorffAlpha(m).value, krippendorffAlpha(renamed).value);
        same(gwetAC(m).value, gwetAC(renamed).value);
        same(ac1WithError(m).se, ac1WithError(renamed).se);
        same(chanceCorrected(m).fleiss.value, chanceCorrected(renamed).fleiss.value);
        same(percentAgreement(m).value, percentAgreement(renamed).value);
      }),
      RUNS,
    );
  });

  it('bounds: percent agreement in [0, 1]; alpha, AC1, Fleiss, BP at most 1; unweighted Cohen in [-1, 1]', () => {
    fc.assert(
      fc.property(ratingsArb, (m) => {
        const pa = percentAgreement(m);
        const paSe = percentAgreementWithError(m);
        if (pa.value !== null) {
          expect(pa.value).toBeGreaterThanOrEqual(0);
          expect(pa.value).toBeLessThanOrEqual(1);
          same(paSe.value, pa.value, 1e-12);
          expect(pa.allAgree!).toBeLessThanOrEqual(pa.value + 1e-12);
        }
        const values = Object.values(coefficients(m));
        for (const v of values.slice(0, 3)) if (v !== null) expect(v).toBeLessThanOrEqual(1 + 1e-12);
        for (const level of LEVELS) {
          const v = krippendorffAlpha(m, level).value;
          if (v !== null) expect(v).toBeLessThanOrEqual(1 + 1e-12);
        }
        const k = cohenKappa(m.map((row) => row[0]), m.map((row) => row[1]));
        if (k.value !== null) {
          expect(k.value).toBeGreaterThanOrEqual(-1 - 1e-12);
          expect(k.value).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
      RUNS,
    );
  });

  it("Cohen's kappa: symmetric in the raters, so transposing the contingency table changes nothing (all weights)", () => {
    const tableArb = fc.integer({ min: 2, max: 4 }).chain((q) => fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: q, maxLength: q }), { minLength: q, maxLength: q }));
    fc.assert(
      fc.property(tableArb, (table) => {
        const transposed = table.map((row, i) => row.map((_, j) => table[j]![i]!));
        for (const weights of ['identity', 'linear', 'quadratic'] as const) {
          const a = cohenKappaFromTable(table, { weights });
          const b = cohenKappaFromTable(transposed, { weights });
          same(a.value, b.value);
          same(a.po, b.po);
          same(a.pe, b.pe);
          // Variances rather than SEs: sqrt turns 1e-16 noise around 0 into ~1e-8.
          same(a.se === null ? null : a.se ** 2, b.se === null ? null : b.se ** 2);
          same(a.seH0 === null ? null : a.seH0 ** 2, b.seH0 === null ? null : b.seH0 ** 2);
        }
      }),
      RUNS,
    );
  });

  it('identical raters (missing ratings allowed) give 1 for every coefficient once two categories are used', () => {
    const arb = fc.tuple(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 30 }),
      fc.integer({ min: 2, max: 5 }),
      fc.array(fc.boolean(), { minLength: 150, maxLength: 150 }),
    );
    fc.assert(
      fc.property(arb, ([labels, m, drop]) => {
        // Drop some ratings, but keep at least two per unit so each unit is still pairable.
        const ratings: Rating[][] = labels.map((l, u) => Array.from({ length: m }, (_, r) => (r >= 2 && drop[u * 5 + r] ? null : l)));
        fc.pre(new Set(labels).size >= 2);
        for (const weights of ['identity', 'linear', 'quadratic'] as const) same(cohenKappa(labels, labels, { weights }).value, 1, 1e-12);
        same(percentAgreement(ratings).value, 1, 1e-12);
        same(percentAgreementWithError(ratings).value, 1, 1e-12);
        for (const level of LEVELS) same(krippendorffAlpha(ratings, level).value, 1, 1e-12);
        same(gwetAC(ratings).value, 1, 1e-12);
        same(gwetAC(ratings, { weights: 'quadratic' }).value, 1, 1e-12);
        const cc = chanceCorrected(ratings);
        same(cc.fleiss.value, 1, 1e-12);
        same(cc.brennanPrediger.value, 1, 1e-12);
        for (const fn of [ac1WithError, ac2WithError, fleissWithError, brennanPredigerWithError]) same(fn(ratings).value, 1, 1e-12);
        same(alphaWithError(ratings).value, 1, 1e-12);
        const complete = labels.map((l) => Array.from({ length: m }, () => l));
        same(fleissKappa(complete).value, 1, 1e-12);
      }),
      RUNS,
    );
  });
});
