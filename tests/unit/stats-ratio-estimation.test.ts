import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zForConfidence } from '../../src/domain/stats/distributions.ts';
import { hajekProportion, horvitzThompson, type SampledOutcome } from '../../src/domain/stats/estimation.ts';
import { wilson } from '../../src/domain/stats/proportions.ts';
import {
  accumulateDomainSums,
  accumulateSums,
  mergeDomainSums,
  proportionSumsFromItems,
  ratioFromSums,
  totalFromSums,
  wilsonBounds,
  withDesignCounts,
  type DomainSums,
  type RatioItem,
  type StratumSums,
} from '../../src/domain/stats/ratio-estimation.ts';

/** |actual - expected| <= tol * max(1, |expected|). */
function close(actual: number | null, expected: number | null, tol = 1e-12): void {
  if (actual === null || expected === null) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

/** Interval bounds agree to 1e-9, or to 1e-6 where the variance is rounding noise around a true 0 (its square root amplifies the noise). */
const boundsTolerance = (a: number | null, b: number | null): number => (Math.max(Math.abs(a ?? 0), Math.abs(b ?? 0)) < 1e-12 ? 1e-6 : 1e-9);

/**
 * Straightforward item-level reference: R = sum w a / sum w b over all items (a = b = 0 outside the domain),
 * z_i = w_i (a_i - R b_i) / D for every item of the design, and the stratified variance by explicit
 * deviations from each stratum's mean of z (two passes; no sums algebra).
 */
function referenceRatio(items: readonly RatioItem[], clip01: boolean): { estimate: number; variance: number } {
  const D = items.reduce((s, it) => s + it.w * it.b, 0);
  const raw = items.reduce((s, it) => s + it.w * it.a, 0) / D;
  const R = clip01 ? Math.min(1, Math.max(0, raw)) : raw;
  const byStratum = new Map<string, number[]>();
  for (const it of items) {
    const z = (it.w * (it.a - R * it.b)) / D;
    byStratum.set(it.stratum, [...(byStratum.get(it.stratum) ?? []), z]);
  }
  let variance = 0;
  for (const zs of byStratum.values()) {
    const nh = zs.length;
    if (nh < 2) continue;
    const mean = zs.reduce((a, b) => a + b, 0) / nh;
    variance += (nh / (nh - 1)) * zs.reduce((a, z) => a + (z - mean) ** 2, 0);
  }
  return { estimate: R, variance };
}

const outcome = (y: number, pi: number, stratum: string): SampledOutcome => ({ y, pi, stratum });
const toWeighted = (items: readonly SampledOutcome[]) => items.map((it) => ({ stratum: it.stratum, w: 1 / it.pi, y: it.y }));

describe('ratioFromSums equals hajekProportion on a domain covering the whole sample', () => {
  const numpyCase = (() => {
    const y = [1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1];
    const pi = [0.5, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.02, 0.02, 0.3];
    const h = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'c', 'c', 'd'];
    return y.map((yi, i) => outcome(yi, pi[i]!, h[i]!));
  })();

  it('the numpy reference case of stats-estimation (singleton stratum included), Wald interval', () => {
    const h = hajekProportion(numpyCase);
    const r = ratioFromSums(proportionSumsFromItems(toWeighted(numpyCase)), { interval: 'wald' });
    for (const key of ['estimate', 'variance', 'se', 'lower', 'upper', 'estimatedPopulation', 'effectiveSampleSize', 'designEffect'] as const) {
      close(r[key], h[key]);
    }
    expect(r.variance).toBeCloseTo(0.10004439587459871, 14);
    expect(r).toMatchObject({ n: 12, strata: 4, singletonStrata: ['d'], warnings: h.warnings, kind: 'proportion', interval: 'wald' });
  });

  it('property: every field agrees to 1e-12 on random stratified samples', () => {
    const sample = fc.array(
      fc.record({ y: fc.constantFrom(0, 1), pi: fc.double({ min: 0.001, max: 1, noNaN: true }), stratum: fc.constantFrom('a', 'b', 'c', 'd') }),
      { minLength: 1, maxLength: 80 },
    );
    fc.assert(
      fc.property(sample, fc.constantFrom(0.8, 0.9, 0.95, 0.99), (items, confidence) => {
        const h = hajekProportion(items, { confidence });
        const r = ratioFromSums(proportionSumsFromItems(toWeighted(items)), { interval: 'wald', confidence });
        // Variances are compared absolutely: a true 0 comes out as rounding noise from both routes.
        for (const key of ['estimate', 'variance', 'estimatedPopulation', 'effectiveSampleSize'] as const) close(r[key], h[key]);
        // A true variance of 0 comes out of both routes as rounding noise (~1e-17), which the interval's
        // square root turns into ~1e-8 (seed 1564709818: one singleton and two identical items).
        const boundTolerance = boundsTolerance(r.variance, h.variance);
        close(r.lower, h.lower, boundTolerance);
        close(r.upper, h.upper, boundTolerance);
        expect(r.singletonStrata.sort()).toEqual([...h.singletonStrata].sort());
        expect(r.n).toBe(h.n);
      }),
      { numRuns: 200 },
    );
  });
});

const itemArb = fc.record({
  stratum: fc.constantFrom('routine', 'severe', 'new-hire', 'x'),
  w: fc.double({ min: 1, max: 1000, noNaN: true }),
  y: fc.constantFrom(0, 1),
  score: fc.integer({ min: 0, max: 100 }),
  inDomain: fc.boolean(),
});

describe('domain estimation from sums equals the item-level linearisation', () => {
  it('property: proportion (accuracy of a slice) and mean (score of a slice)', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 80 }), (items) => {
        fc.pre(items.some((it) => it.inDomain));
        const prop: RatioItem[] = items.map((it) => ({ stratum: it.stratum, w: it.w, a: it.inDomain ? it.y : 0, b: it.inDomain ? 1 : 0 }));
        const mean: RatioItem[] = items.map((it) => ({ stratum: it.stratum, w: it.w, a: it.inDomain ? it.score : 0, b: it.inDomain ? 1 : 0 }));
        const p = ratioFromSums(accumulateSums(prop));
        const refP = referenceRatio(prop, true);
        close(p.estimate, refP.estimate);
        close(p.variance, refP.variance);
        expect(p.n).toBe(items.filter((it) => it.inDomain).length);
        const m = ratioFromSums(accumulateSums(mean), { kind: 'mean' });
        const refM = referenceRatio(mean, false);
        close(m.estimate, refM.estimate);
        close(m.variance, refM.variance, 1e-10); // scores up to 100: variance up to ~1e3
        // The interval goes through sqrt, which turns ~1e-13 rounding in a near-zero variance into ~1e-7.
        const z = zForConfidence(0.95);
        expect(Math.abs(m.lower! - (refM.estimate - z * Math.sqrt(refM.variance)))).toBeLessThan(1e-5);
        // The same domain through proportionSumsFromItems.
        const viaHelper = ratioFromSums(proportionSumsFromItems(items.map((it) => ({ stratum: it.stratum, w: it.w, y: it.y, inDomain: it.inDomain }))));
        close(viaHelper.estimate, p.estimate);
        close(viaHelper.variance, p.variance);
      }),
      { numRuns: 200 },
    );
  });

  it('outside-domain items count in n_h: a slice variance differs from treating the slice as the design', () => {
    // Stratum s: 4 items, 2 in the slice (w = 10, y = 1 and 0). Outside items have z = 0 but count in n_h.
    const items: RatioItem[] = [
      { stratum: 's', w: 10, a: 1, b: 1 },
      { stratum: 's', w: 10, a: 0, b: 1 },
      { stratum: 's', w: 10, a: 0, b: 0 },
      { stratum: 's', w: 10, a: 0, b: 0 },
    ];
    // R = 0.5, D = 20, z = (0.25, -0.25, 0, 0); mean 0; sum z^2 = 0.125; v = 4/3 * 0.125 = 1/6.
    const domain = ratioFromSums(accumulateSums(items));
    close(domain.variance, 1 / 6);
    // If the slice were its own design (n_h = 2): v = 2 * 0.125 = 0.25.
    const alone = ratioFromSums(accumulateSums(items.slice(0, 2)));
    close(alone.variance, 0.25);
  });

  it('additivity (property): rollup rows of random groups, merged with the design counts, give the same estimate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(itemArb, fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 80 }),
        ([...pairs]) => {
          fc.pre(pairs.some(([it]) => it.inDomain));
          const ratioItems = pairs.map(([it]) => ({ stratum: it.stratum, w: it.w, a: it.inDomain ? it.y : 0, b: it.inDomain ? 1 : 0 }));
          const whole = ratioFromSums(accumulateSums(ratioItems));
          // Rollup rows: one per (group, stratum), with in-domain items only (what a slice query reads).
          const rows: DomainSums[] = [];
          for (let g = 0; g <= 4; g++) {
            rows.push(...accumulateDomainSums(ratioItems.filter((it, i) => pairs[i]![1] === g && it.b === 1)));
          }
          const designCounts = new Map<string, number>();
          for (const it of ratioItems) designCounts.set(it.stratum, (designCounts.get(it.stratum) ?? 0) + 1);
          const merged = ratioFromSums(withDesignCounts(rows, designCounts));
          close(merged.estimate, whole.estimate);
          close(merged.variance, whole.variance);
          close(merged.lower, whole.lower, boundsTolerance(merged.variance, whole.variance));
          close(merged.upper, whole.upper, boundsTolerance(merged.variance, whole.variance));
          expect(merged.n).toBe(whole.n);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('merging and design counts', () => {
  const row = (stratum: string, n: number, k: number): DomainSums => ({ stratum, n, sumWA: k, sumWB: 2 * k, sumW2AA: k, sumW2AB: k, sumW2BB: 4 * k });

  it('mergeDomainSums adds fields of the same stratum; withDesignCounts takes n_h from the map', () => {
    const merged = mergeDomainSums([row('a', 1, 1), row('b', 2, 3), row('a', 3, 2)]);
    expect(merged).toEqual([
      { stratum: 'a', n: 4, sumWA: 3, sumWB: 6, sumW2AA: 3, sumW2AB: 3, sumW2BB: 12 },
      { stratum: 'b', n: 2, sumWA: 3, sumWB: 6, sumW2AA: 3, sumW2AB: 3, sumW2BB: 12 },
    ]);
    const withCounts = withDesignCounts([row('a', 1, 1), row('a', 3, 2)], new Map([['a', 10], ['z', 5]]));
    expect(withCounts).toEqual([{ stratum: 'a', nStratum: 10, n: 4, sumWA: 3, sumWB: 6, sumW2AA: 3, sumW2AB: 3, sumW2BB: 12 }]);
  });

  it('refuses a missing or too small design count, and duplicate strata in ratioFromSums', () => {
    expect(() => withDesignCounts([row('a', 2, 1)], new Map())).toThrow(/no design count/);
    expect(() => withDesignCounts([row('a', 2, 1)], new Map([['a', 1]]))).toThrow(/design count/);
    const s: StratumSums = { ...row('a', 2, 1), nStratum: 2 };
    expect(() => ratioFromSums([s, s])).toThrow(/appears twice/);
    expect(() => ratioFromSums([{ ...s, nStratum: 1 }])).toThrow(/nStratum/);
    expect(() => ratioFromSums([{ ...s, sumWA: 7 }])).toThrow(/proportion/);
    expect(() => ratioFromSums([{ ...s, sumW2AA: Number.NaN }])).toThrow(/finite/);
    expect(() => ratioFromSums([s], { kind: 'mean', interval: 'design-wilson' })).toThrow(RangeError);
    expect(() => ratioFromSums([s], { confidence: 1.2 })).toThrow(RangeError);
    expect(() => accumulateSums([{ stratum: 'a', w: 0, a: 1, b: 1 }])).toThrow(/items\[0\]\.w/);
    expect(() => proportionSumsFromItems([{ stratum: 'a', w: 1, y: 2 }])).toThrow(/items\[0\]\.y/);
  });

  it('empty domain: null estimate with a reason; [0, 1] for a proportion, null bounds for a mean', () => {
    const sums = accumulateSums([{ stratum: 'a', w: 2, a: 0, b: 0 }]);
    const p = ratioFromSums(sums);
    expect(p).toMatchObject({ estimate: null, se: null, variance: null, lower: 0, upper: 1, n: 0, effectiveSampleSize: null });
    expect(p.reason).toMatch(/empty/);
    expect(ratioFromSums([])).toMatchObject({ estimate: null, lower: 0, upper: 1 });
    expect(ratioFromSums(sums, { kind: 'mean' })).toMatchObject({ estimate: null, lower: null, upper: null });
  });
});

describe('design-adjusted Wilson interval', () => {
  it('equals the ordinary Wilson interval for simple random sampling when n* = n', () => {
    for (const [x, n] of [[0, 10], [3, 10], [10, 10], [81, 263], [15, 148]] as const) {
      const w = wilson(x, n);
      const [lo, hi] = wilsonBounds(x / n, n, zForConfidence(0.95));
      close(lo, w.lower);
      close(hi, w.upper);
    }
  });

  it('uses n* = p(1-p)/v, truncated at n; Kish n_eff when p is 0 or 1 (no collapse to a point)', () => {
    // Equal weights, one stratum, 8 of 10 correct: v = p(1-p)/(n-1), so p(1-p)/v = 9 < 10.
    const srs = proportionSumsFromItems(Array.from({ length: 10 }, (_, i) => ({ stratum: 'a', w: 5, y: i < 8 ? 1 : 0 })));
    const r = ratioFromSums(srs);
    close(r.intervalSampleSize, 9);
    const [lo, hi] = wilsonBounds(0.8, 9, zForConfidence(0.95));
    close(r.lower, lo);
    close(r.upper, hi);
    // All correct with unequal weights: variance 0; Wald collapses to [1, 1], design-Wilson does not.
    const perfect = proportionSumsFromItems([1, 1, 1, 4, 4].map((w) => ({ stratum: 'a', w, y: 1 })));
    const dw = ratioFromSums(perfect);
    const wald = ratioFromSums(perfect, { interval: 'wald' });
    expect([wald.lower, wald.upper]).toEqual([1, 1]);
    close(dw.intervalSampleSize, 121 / 35); // Kish: 11^2 / (1 + 1 + 1 + 16 + 16)
    expect(dw.upper).toBe(1);
    close(dw.lower, wilsonBounds(1, 121 / 35, zForConfidence(0.95))[0]);
    expect(dw.lower!).toBeLessThan(0.7);
  });

  it('a mean gets estimate -+ z se, clipped to bounds when given', () => {
    const sums = accumulateSums([
      { stratum: 'a', w: 1, a: 90, b: 1 },
      { stratum: 'a', w: 1, a: 100, b: 1 },
      { stratum: 'a', w: 1, a: 100, b: 1 },
    ]);
    const m = ratioFromSums(sums, { kind: 'mean' });
    const z = zForConfidence(0.95);
    close(m.estimate, 290 / 3);
    // z_i = (a_i - R)/3: (-20/9, 10/9, 10/9); sum z^2 = 600/81; v = 3/2 * 600/81 = 100/9.
    close(m.variance, 100 / 9);
    close(m.upper, 290 / 3 + z * (10 / 3));
    expect(m.designEffect).toBeNull();
    const clipped = ratioFromSums(sums, { kind: 'mean', bounds: [0, 100] });
    expect(clipped.upper).toBe(100);
  });
});

describe('Horvitz-Thompson totals', () => {
  it('totalFromSums: T = sum w a, v = sum_h n_h/(n_h-1) [sum w^2 a^2 - (sum w a)^2 / n_h]', () => {
    // Stratum A: w = 2, a = 1, 0 -> T_A = 2, z = (2, 0), SS = 2, v_A = 2 * 2 = 4.
    // Stratum B: w = 4, a = 1, 1, 0 -> T_B = 8, z = (4, 4, 0), mean 8/3, SS = 32 - 64/3 = 32/3, v_B = 3/2 * 32/3 = 16.
    const sums = accumulateSums([
      { stratum: 'A', w: 2, a: 1, b: 1 },
      { stratum: 'A', w: 2, a: 0, b: 1 },
      { stratum: 'B', w: 4, a: 1, b: 1 },
      { stratum: 'B', w: 4, a: 1, b: 1 },
      { stratum: 'B', w: 4, a: 0, b: 1 },
    ]);
    const t = totalFromSums(sums);
    close(t.estimate, 10);
    close(t.variance, 20);
    close(t.upper, 10 + zForConfidence(0.95) * Math.sqrt(20));
    expect(t.n).toBe(5);
  });

  it('horvitzThompson: the same total from items, and the share of a known population', () => {
    const items = [outcome(1, 0.5, 'A'), outcome(0, 0.5, 'A'), outcome(1, 0.25, 'B'), outcome(1, 0.25, 'B'), outcome(0, 0.25, 'B')];
    const ht = horvitzThompson(items, { populationSize: 16 });
    close(ht.correct.estimate, 10);
    close(ht.correct.variance, 20);
    close(ht.estimatedPopulation, 16);
    close(ht.proportion!.estimate, 10 / 16);
    close(ht.proportion!.se, Math.sqrt(20) / 16);
    expect(horvitzThompson(items).proportion).toBeNull();
    expect(() => horvitzThompson(items, { populationSize: 0 })).toThrow(RangeError);
    expect(() => horvitzThompson([outcome(1, 0, 'A')])).toThrow(/pi/);
  });
});
