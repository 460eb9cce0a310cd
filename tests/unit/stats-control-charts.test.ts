import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pChart, runRules, type ControlRule, type PeriodCount } from '../../src/domain/stats/control-charts.ts';

/** Indexes and rules of the points where something fired. */
const firedAt = (rules: ControlRule[][]): Array<[number, ControlRule[]]> =>
  rules.flatMap((r, i): Array<[number, ControlRule[]]> => (r.length > 0 ? [[i, r]] : []));

describe('runRules: each rule alone, at the expected index', () => {
  it('rule 1: a point beyond 3 sigma (either side)', () => {
    expect(firedAt(runRules([0.5, -0.5, 0.5, 3.5, -0.5, 0.5]))).toEqual([[3, [1]]]);
    expect(firedAt(runRules([0.5, -0.5, 0.5, -3.2, 0.5, -0.5]))).toEqual([[3, [1]]]);
    expect(firedAt(runRules([0.5, -0.5, 3, -0.5]))).toEqual([]); // exactly on the limit is inside
  });

  it('rule 2: 2 of 3 beyond 2 sigma on the same side', () => {
    expect(firedAt(runRules([0.5, -0.5, 2.5, 0.5, 2.5, -0.5]))).toEqual([[4, [2]]]);
    expect(firedAt(runRules([-0.5, 0.5, -2.5, -2.5, 0.5]))).toEqual([[3, [2]]]);
    expect(firedAt(runRules([0.5, -2.5, 0.5, 2.5, -0.5]))).toEqual([]); // opposite sides do not count
    expect(firedAt(runRules([2.5, 0.5, 0.5, 2.5, 0.5]))).toEqual([]); // 4 apart: not within 3
  });

  it('rule 3: 4 of 5 beyond 1 sigma on the same side', () => {
    expect(firedAt(runRules([-0.5, 1.5, 1.5, 0.5, 1.5, 1.5, -0.5]))).toEqual([[5, [3]]]);
    expect(firedAt(runRules([0.5, -1.5, -1.5, -1.5, -0.5, -1.5, 0.5]))).toEqual([[5, [3]]]);
    expect(firedAt(runRules([-0.5, 1.5, 1.5, 0.5, 1.5, -1.5, 0.5]))).toEqual([]); // only 3 of 5
  });

  it('rule 4: 8 in a row on one side of the centre', () => {
    const z = [-0.5, 0.5, 0.2, 0.5, 0.2, 0.5, 0.2, 0.5, 0.2, -0.5];
    expect(firedAt(runRules(z))).toEqual([[8, [4]]]);
    expect(firedAt(runRules(z.slice(0, 8)))).toEqual([]); // only 7 above
    // A run of 9 below fires at the 8th and the 9th point.
    expect(firedAt(runRules([0.3, -0.5, -0.2, -0.5, -0.2, -0.5, -0.2, -0.5, -0.2, -0.5, 0.3]))).toEqual([
      [8, [4]],
      [9, [4]],
    ]);
  });

  it('rule 5: 6 in a row steadily increasing or decreasing', () => {
    expect(firedAt(runRules([0, -0.5, -0.3, -0.1, 0.1, 0.3, 0.5, 0]))).toEqual([[6, [5]]]);
    expect(firedAt(runRules([0, 0.5, 0.3, 0.1, -0.1, -0.3, -0.5, 0]))).toEqual([[6, [5]]]);
    expect(firedAt(runRules([0, -0.5, -0.3, -0.1, 0.1, 0.3, 0]))).toEqual([]); // only 5 increasing
    expect(firedAt(runRules([-0.5, -0.3, -0.1, -0.1, 0.1, 0.3, 0.5]))).toEqual([]); // a tie breaks the run
  });

  it('several rules can fire at one point; empty and invalid input', () => {
    // Steady climb ending beyond 3 sigma: rule 1 and rule 5 at index 5, rule 2 (2.5 and 3.5 within 3) too.
    expect(runRules([-1, -0.5, 0, 1, 2.5, 3.5])[5]).toEqual([1, 2, 5]);
    expect(runRules([])).toEqual([]);
    expect(() => runRules([0, Number.NaN])).toThrow(/z\[1\]/);
  });
});

describe('pChart', () => {
  it('computes centre, sigma and limits, and flags a spike with rule 1 only', () => {
    // 20 periods of n = 100: alternating 3 and 9 errors, index 10 has 25.
    // sum x = 9*3 + 10*9 + 25 = 142, p-bar = 142/2000 = 0.071, sigma = sqrt(0.071*0.929/100) = 0.025682...
    // z(3) = (0.03 - 0.071)/sigma = -1.60, z(9) = +0.74, z(25) = +7.0.
    const periods: PeriodCount[] = Array.from({ length: 20 }, (_, i) => ({ x: i === 10 ? 25 : i % 2 === 0 ? 3 : 9, n: 100 }));
    const r = pChart(periods);
    expect(r.centre).toBeCloseTo(0.071, 15);
    expect(r.totalN).toBe(2000);
    expect(r.totalX).toBe(142);
    const sigma = Math.sqrt((0.071 * 0.929) / 100);
    const pt = r.points[10]!;
    expect(pt.sigma).toBeCloseTo(sigma, 15);
    expect(pt.ucl).toBeCloseTo(0.071 + 3 * sigma, 15);
    expect(pt.lcl).toBe(0); // 0.071 - 3 * 0.0257 < 0: clipped
    expect(pt.upper2).toBeCloseTo(0.071 + 2 * sigma, 15);
    expect(pt.lower1).toBeCloseTo(0.071 - sigma, 15);
    expect(pt.z).toBeCloseTo((0.25 - 0.071) / sigma, 12);
    expect(r.signals).toEqual([10]);
    expect(pt.rules).toEqual([1]);
    expect(r.reason).toBeUndefined();
  });

  it('uses each period n for its own limits (varying n) and standardises z', () => {
    // p-bar = (10 + 20 + 5) / (100 + 400 + 50) = 35/550.
    const r = pChart([
      { x: 10, n: 100 },
      { x: 20, n: 400 },
      { x: 5, n: 50 },
    ]);
    const pbar = 35 / 550;
    r.points.forEach((pt) => {
      const s = Math.sqrt((pbar * (1 - pbar)) / pt.n);
      expect(pt.sigma).toBeCloseTo(s, 15);
      expect(pt.ucl).toBeCloseTo(pbar + 3 * s, 15);
      expect(pt.lcl).toBeCloseTo(Math.max(0, pbar - 3 * s), 15);
      expect(pt.z!).toBeCloseTo((pt.p - pbar) / s, 12);
    });
    expect(r.points[1]!.ucl - r.points[1]!.lcl).toBeLessThan(r.points[0]!.ucl - r.points[0]!.lcl);
  });

  it('a shift detected by rule 4 at the 8th period above the centre', () => {
    // 8 periods of 2/100, then 8 of 6/100 (n = 100): p-bar = 0.04, sigma = 0.0196; z = -1.02 then +1.02.
    // Rule 3 fires too (4 of 5 beyond 1 sigma) from the 4th point of each half; rule 4 at indexes 7 and 15.
    const r = pChart([...Array.from({ length: 8 }, () => ({ x: 2, n: 100 })), ...Array.from({ length: 8 }, () => ({ x: 6, n: 100 }))]);
    expect(r.points[7]!.rules).toContain(4);
    expect(r.points[15]!.rules).toContain(4);
    expect(r.points.filter((p) => p.rules.includes(4)).map((p) => p.index)).toEqual([7, 15]);
  });

  it('empty input and p-bar in {0, 1}: no signals, with a reason', () => {
    const empty = pChart([]);
    expect(empty.centre).toBeNull();
    expect(empty.points).toEqual([]);
    expect(empty.reason).toMatch(/no periods/);
    for (const x of [0, 1]) {
      const r = pChart(Array.from({ length: 10 }, () => ({ x: x * 50, n: 50 })));
      expect(r.centre).toBe(x);
      expect(r.signals).toEqual([]);
      expect(r.reason).toMatch(/sigma = 0/);
      r.points.forEach((pt) => {
        expect(pt.z).toBeNull();
        expect(pt.lcl).toBe(x);
        expect(pt.ucl).toBe(x);
        expect(pt.rules).toEqual([]);
      });
    }
  });

  it('validates counts, naming the index', () => {
    expect(() => pChart([{ x: 1, n: 10 }, { x: 11, n: 10 }])).toThrow(/periods\[1\]\.x/);
    expect(() => pChart([{ x: 0, n: 0 }])).toThrow(/periods\[0\]\.n/);
    expect(() => pChart([{ x: 0.5, n: 3 }])).toThrow(RangeError);
  });

  it('property: lcl <= zones <= p-bar <= zones <= ucl, all in [0, 1]; signals match the rules', () => {
    const periodArb = fc.integer({ min: 1, max: 500 }).chain((n) => fc.record({ n: fc.constant(n), x: fc.integer({ min: 0, max: n }) }));
    fc.assert(
      fc.property(fc.array(periodArb, { minLength: 1, maxLength: 40 }), (periods) => {
        const r = pChart(periods);
        const c = r.centre!;
        for (const pt of r.points) {
          expect(pt.lcl).toBeGreaterThanOrEqual(0);
          expect(pt.ucl).toBeLessThanOrEqual(1);
          expect(pt.lcl).toBeLessThanOrEqual(pt.lower2);
          expect(pt.lower2).toBeLessThanOrEqual(pt.lower1);
          expect(pt.lower1).toBeLessThanOrEqual(c);
          expect(c).toBeLessThanOrEqual(pt.upper1);
          expect(pt.upper1).toBeLessThanOrEqual(pt.upper2);
          expect(pt.upper2).toBeLessThanOrEqual(pt.ucl);
          if (pt.rules.includes(1)) expect(pt.p < pt.lcl || pt.p > pt.ucl).toBe(true);
        }
        expect(r.signals).toEqual(r.points.filter((p) => p.rules.length > 0).map((p) => p.index));
      }),
    );
  });
});
