import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalQuantile, normalUpperTail } from '../../src/domain/stats/distributions.ts';
import { benjaminiHochberg, holm, scoreTestP, waldTestP } from '../../src/domain/stats/multiplicity.ts';
import { wilsonBounds } from '../../src/domain/stats/ratio-estimation.ts';

describe('normalUpperTail', () => {
  it('matches published values of 1 - Phi(z), in both regions of the method and far in the tail', () => {
    // Values of 1 - Phi(z) to 15+ digits (R: pnorm(z, lower.tail = FALSE)).
    const cases: Array<[number, number]> = [
      [0, 0.5],
      [1, 0.15865525393145707],
      [-1, 0.8413447460685429],
      [1.2, 0.11506967022170822], // z^2 / 2 = 0.72: the series
      [1.959963984540054, 0.025],
      [2.5, 0.006209665325776132], // the continued fraction
      [3, 0.0013498980316300946],
      [5, 2.866515718791939e-7],
      [8, 6.220960574271785e-16],
    ];
    for (const [z, tail] of cases) expect(Math.abs(normalUpperTail(z) - tail) / tail).toBeLessThan(1e-12);
    expect(normalUpperTail(Number.POSITIVE_INFINITY)).toBe(0);
    expect(normalUpperTail(Number.NEGATIVE_INFINITY)).toBe(1);
    expect(normalUpperTail(Number.NaN)).toBeNaN();
  });

  it('inverts normalQuantile (to its documented accuracy)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-10, max: 1 - 1e-10, noNaN: true }), (p) => {
        const tail = normalUpperTail(normalQuantile(1 - p));
        expect(Math.abs(tail - p)).toBeLessThan(1e-8 * Math.max(p, 1e-3));
      }),
    );
  });
});

// Benjamini and Hochberg (1995), section 4: fifteen p-values from a study of myocardial infarction
// treatments. At 0.05 their procedure rejects four hypotheses and Bonferroni-type procedures three.
const BH_1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1];

describe('Benjamini-Hochberg', () => {
  it('marks the four hypotheses of the 1995 paper at q = 0.05, with the adjusted p-values of R p.adjust("BH")', () => {
    const adjusted = benjaminiHochberg(BH_1995) as number[];
    // p_(i) * 15 / i, then the running minimum from the largest down (worked by hand).
    const expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.063857142857, 0.063857142857, 0.0645, 0.0765, 0.486, 0.581181818182, 0.714875, 0.753230769231, 0.813214285714, 1];
    adjusted.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 10));
    expect(adjusted.filter((a) => a <= 0.05)).toHaveLength(4);
  });

  it('ignores untested groups (null), which neither get marked nor count in m', () => {
    const withGaps = benjaminiHochberg([null, 0.01, null, 0.04]);
    expect(withGaps).toEqual([null, 0.02, null, 0.04]);
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.03])).toEqual([0.03]);
    expect(() => benjaminiHochberg([0.5, 1.2])).toThrow(RangeError);
  });
});

describe('Holm', () => {
  it('marks three of the 1995 paper at 0.05, as the paper reports for Bonferroni-type procedures', () => {
    const adjusted = holm(BH_1995) as number[];
    // (15 - i + 1) p_(i), then the running maximum from the smallest up.
    [0.0015, 0.0056, 0.0247, 0.114, 0.2211].forEach((x, i) => expect(adjusted[i]).toBeCloseTo(x, 10));
    expect(adjusted.filter((a) => a <= 0.05)).toHaveLength(3);
    expect(adjusted.at(-1)).toBe(1);
  });
});

describe('adjustments, for any p-values', () => {
  const pValues = fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null)), { maxLength: 40 });

  it('never lower a p-value; Holm is at least as strict as BH; one test is left as it is', () => {
    fc.assert(
      fc.property(pValues, (ps) => {
        const bh = benjaminiHochberg(ps);
        const fw = holm(ps);
        ps.forEach((p, i) => {
          if (p === null) return expect([bh[i], fw[i]]).toEqual([null, null]);
          expect(bh[i]!).toBeGreaterThanOrEqual(p);
          expect(fw[i]!).toBeGreaterThanOrEqual(bh[i]! - 1e-15);
          expect(fw[i]!).toBeLessThanOrEqual(1);
        });
        const tested = ps.filter((p) => p !== null);
        if (tested.length === 1) expect([bh.find((x) => x !== null), fw.find((x) => x !== null)]).toEqual([tested[0], tested[0]]);
      }),
    );
  });

  it('do not depend on the order of the groups, and keep the order of the p-values', () => {
    fc.assert(
      fc.property(pValues, fc.integer(), (ps, seed) => {
        const order = ps.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b);
        const shuffled = order.map((i) => ps[i]!);
        for (const adjust of [benjaminiHochberg, holm]) {
          const direct = adjust(ps);
          const viaShuffle = adjust(shuffled);
          order.forEach((original, position) => expect(viaShuffle[position]).toBe(direct[original]));
          ps.forEach((p, i) => ps.forEach((q, j) => {
            if (p !== null && q !== null && p < q) expect(direct[i]!).toBeLessThanOrEqual(direct[j]!);
          }));
        }
      }),
    );
  });
});

describe('tests of one group against the overall figure', () => {
  it('the score test rejects at 5% exactly when the Wilson interval excludes the reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (x, extra, p0) => {
        const n = x + extra;
        const p = x / n;
        const [lower, upper] = wilsonBounds(p, n, 1.959963984540054);
        const pValue = scoreTestP(p, p0, n);
        // Away from the boundary itself, where rounding decides.
        fc.pre(Math.abs(p0 - lower) > 1e-9 && Math.abs(p0 - upper) > 1e-9);
        expect(pValue < 0.05).toBe(p0 < lower || p0 > upper);
      }),
    );
  });

  it('the Wald test gives the textbook values', () => {
    expect(waldTestP(0.9, 0.9, 0.01)).toBe(1);
    expect(waldTestP(0.92, 0.9, 0.01)).toBeCloseTo(0.04550026389635842, 12);
    expect(waldTestP(0.88, 0.9, 0.01)).toBeCloseTo(0.04550026389635842, 12);
    expect(waldTestP(0.5, 0.4, 0)).toBe(0);
    expect(scoreTestP(0.5, 0.5, 0)).toBe(1);
  });
});
