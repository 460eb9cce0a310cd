import { loadReference as load } from '../support/reference.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { betaQuantile, logGamma, normalQuantile, regularizedBeta, zForConfidence } from '../../src/domain/stats/distributions.ts';
import {
  agrestiCoull,
  clopperPearson,
  marginOfError,
  proportionInterval,
  sampleSizeForMargin,
  wald,
  wilson,
  type IntervalMethod,
} from '../../src/domain/stats/proportions.ts';


/** |actual - expected| <= tol (plus 1e-12 so a value rounded exactly at the boundary still passes). */
function near(actual: number | null | undefined, expected: number, tol: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol + 1e-12);
}

describe('distributions', () => {
  it('normal quantile is within its documented accuracy (relative 1.15e-9)', () => {
    const known: Array<[number, number]> = [
      [0.975, 1.959963984540054],
      [0.995, 2.5758293035489],
      [0.9, 1.2815515655446004],
      [0.001, -3.090232306167813],
      [1e-10, -6.361340902404056],
      [0.5, 0],
    ];
    for (const [p, z] of known) expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1.2e-9 * Math.max(1, Math.abs(z)));
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(2)).toBeNaN();
    expect(() => zForConfidence(1)).toThrow(RangeError);
  });

  it('log gamma and the regularized incomplete beta match closed forms', () => {
    expect(Math.abs(logGamma(10) - Math.log(362880))).toBeLessThan(1e-12);
    expect(Math.abs(logGamma(0.5) - Math.log(Math.sqrt(Math.PI)))).toBeLessThan(1e-13);
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.2, max: 50, noNaN: true }), (x, a) => {
        expect(Math.abs(regularizedBeta(x, a, 1) - x ** a)).toBeLessThan(1e-12);
        expect(Math.abs(regularizedBeta(x, 1, a) - (1 - (1 - x) ** a))).toBeLessThan(1e-12);
        expect(Math.abs(regularizedBeta(0.5, a, a) - 0.5)).toBeLessThan(1e-12);
      }),
    );
  });

  it('beta quantile inverts the incomplete beta', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.5, max: 200, noNaN: true }), fc.double({ min: 0.5, max: 200, noNaN: true }), (p, a, b) => {
        expect(Math.abs(regularizedBeta(betaQuantile(p, a, b), a, b) - p)).toBeLessThan(1e-9);
      }),
    );
  });
});

describe('binomial intervals: binomial_ci_newcombe1998.json (Newcombe 1998, statsmodels oracle)', () => {
  const ref = load('binomial_ci_newcombe1998.json');
  const tol: number = ref.tolerance;
  const keys: Array<[string, IntervalMethod]> = [
    ['wilson', 'wilson'],
    ['clopper_pearson', 'clopper-pearson'],
    ['wald', 'wald'],
    ['wald_clipped', 'wald'],
    ['agresti_coull', 'agresti-coull'],
    ['agresti_coull_clipped', 'agresti-coull'],
  ];
  for (const c of ref.cases) {
    it(`x = ${c.x}, n = ${c.n}: every tabulated method within ${tol}`, () => {
      let checked = 0;
      for (const [key, method] of keys) {
        if (!c[key]) continue;
        const r = proportionInterval(method, c.x, c.n, ref.level);
        near(r.lower, c[key][0], tol);
        near(r.upper, c[key][1], tol);
        expect(r.n).toBe(c.n);
        checked += 1;
      }
      expect(checked).toBe(4);
    });
  }
});

describe('binomial interval edge cases', () => {
  it('n = 0 gives a null estimate and the interval [0, 1]', () => {
    for (const f of [wilson, clopperPearson, wald, agrestiCoull]) {
      const r = f(0, 0);
      expect(r).toMatchObject({ estimate: null, lower: 0, upper: 1, n: 0 });
    }
  });

  it('rejects impossible counts', () => {
    expect(() => wilson(5, 4)).toThrow(RangeError);
    expect(() => wilson(-1, 4)).toThrow(RangeError);
    expect(() => wilson(1.5, 4)).toThrow(RangeError);
    expect(() => wilson(1, 4, 1)).toThrow(RangeError);
  });

  it('x = n reaches 1 for Wilson and Clopper-Pearson', () => {
    expect(wilson(20, 20).upper).toBe(1);
    expect(clopperPearson(20, 20).upper).toBe(1);
    // Clopper-Pearson at x = n: lower = (alpha/2)^(1/n)
    expect(Math.abs(clopperPearson(20, 20).lower - 0.025 ** (1 / 20))).toBeLessThan(1e-12);
  });
});

describe('binomial interval properties', () => {
  const counts = fc.integer({ min: 1, max: 1000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
  const confidence = fc.constantFrom(0.8, 0.9, 0.95, 0.99);

  it('every interval lies in [0, 1] and contains the estimate', () => {
    fc.assert(
      fc.property(counts, confidence, ([x, n], conf) => {
        for (const f of [wilson, clopperPearson, wald, agrestiCoull]) {
          const r = f(x, n, conf);
          expect(r.estimate).toBe(x / n);
          expect(r.lower).toBeGreaterThanOrEqual(0);
          expect(r.upper).toBeLessThanOrEqual(1);
          expect(r.lower).toBeLessThanOrEqual(x / n + 1e-12);
          expect(r.upper).toBeGreaterThanOrEqual(x / n - 1e-12);
        }
      }),
    );
  });

  // Not true at the boundary: for x = 0 or x = n Wilson is wider once n is large (e.g. x = 0, n = 838 at 95%),
  // and at 99% it is wider for min(x, n - x) <= 7. An exhaustive scan of n <= 1000 found no other exception.
  it('Wilson is no wider than Clopper-Pearson away from the boundary (0 < x < n, n 10..1000)', () => {
    fc.assert(
      fc.property(counts.filter(([x, n]) => n >= 10 && x > 0 && x < n), confidence, ([x, n], conf) => {
        fc.pre(conf <= 0.95 || Math.min(x, n - x) >= 8);
        const w = wilson(x, n, conf);
        const cp = clopperPearson(x, n, conf);
        expect(w.upper - w.lower).toBeLessThanOrEqual(cp.upper - cp.lower + 1e-12);
      }),
    );
  });
});

describe('sample size and margin of error', () => {
  it('matches the textbook numbers', () => {
    expect(sampleSizeForMargin({ margin: 0.05 })).toBe(385);
    expect(sampleSizeForMargin({ margin: 0.03 })).toBe(1068);
    expect(sampleSizeForMargin({ margin: 0.05, population: 1000 })).toBe(278);
    expect(sampleSizeForMargin({ margin: 0.05, expectedP: 0 })).toBe(1);
    expect(sampleSizeForMargin({ margin: 0.005, expectedP: 0, confidence: 0.8, population: 1 })).toBe(1); // found by fast-check
    expect(sampleSizeForMargin({ margin: 0.05, population: 10 })).toBeLessThanOrEqual(10);
    expect(Math.abs(marginOfError(385) - 1.959963984540054 * Math.sqrt(0.25 / 385))).toBeLessThan(1e-9);
    expect(marginOfError(50, 0.5, 0.95, 50)).toBe(0);
    expect(() => sampleSizeForMargin({ margin: 0 })).toThrow(RangeError);
    expect(() => marginOfError(0)).toThrow(RangeError);
  });

  it('round-trips: margin(sampleSize(e)) <= e, and one fewer item would miss it', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.005, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.8, 0.9, 0.95, 0.99),
        fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
        (margin, p, conf, population) => {
          const n = sampleSizeForMargin({ margin, confidence: conf, expectedP: p, population });
          expect(n).toBeGreaterThanOrEqual(1);
          if (population !== undefined) expect(n).toBeLessThanOrEqual(population);
          expect(marginOfError(n, p, conf, population)).toBeLessThanOrEqual(margin * (1 + 1e-9));
          if (n > 1) expect(marginOfError(n - 1, p, conf, population)).toBeGreaterThan(margin * (1 - 1e-6));
        },
      ),
    );
  });
});
