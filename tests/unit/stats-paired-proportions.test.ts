import { describe, expect, it } from 'vitest';
import { pairedDifferenceNewcombe, pairedTable } from '../../src/domain/stats/index.ts';
import { mulberry32 } from '../support/mulberry32.ts';

/**
 * Newcombe's (1998b) method 10 for the difference of paired proportions,
 * checked against published figures.
 */
describe('pairedDifferenceNewcombe', () => {
  it("reproduces Newcombe (1998b, Stat Med 17:2635) Table II example (a): 36, 12, 2, 0 -> 0.2 (0.0569, 0.3404)", () => {
    const d = pairedDifferenceNewcombe({ a: 36, b: 12, c: 2, d: 0 });
    expect(d.estimate).toBeCloseTo(0.2, 10);
    expect(d.lower).toBeCloseTo(0.0569, 4);
    expect(d.upper).toBeCloseTo(0.3404, 4);
  });

  it('reproduces the worked example of Altman et al., Statistics with confidence (2000), table 6.2: 14, 5, 0, 22 -> 0.122 (0.011, 0.226)', () => {
    const d = pairedDifferenceNewcombe({ a: 14, b: 5, c: 0, d: 22 });
    expect(d.estimate).toBeCloseTo(5 / 41, 10);
    expect(d.lower).toBeCloseTo(0.0115, 3);
    expect(d.upper).toBeCloseTo(0.2265, 3);
  });

  it('is antisymmetric when the two series swap, stays in [-1, 1], and is uninformative when empty', () => {
    const d = pairedDifferenceNewcombe({ a: 10, b: 7, c: 2, d: 5 });
    const s = pairedDifferenceNewcombe({ a: 10, b: 2, c: 7, d: 5 });
    expect(s.estimate).toBeCloseTo(-d.estimate!, 12);
    expect(s.lower).toBeCloseTo(-d.upper, 12);
    expect(s.upper).toBeCloseTo(-d.lower, 12);
    const extreme = pairedDifferenceNewcombe({ a: 0, b: 30, c: 0, d: 0 });
    expect(extreme.upper).toBeLessThanOrEqual(1);
    expect(extreme.lower).toBeGreaterThan(0);
    expect(pairedDifferenceNewcombe({ a: 0, b: 0, c: 0, d: 0 })).toMatchObject({ estimate: null, lower: -1, upper: 1 });
    expect(() => pairedDifferenceNewcombe({ a: -1, b: 0, c: 0, d: 0 })).toThrow(RangeError);
  });

  it('builds the table from two aligned series', () => {
    expect(pairedTable([true, true, false, false, true], [true, false, true, false, false])).toEqual({ a: 1, b: 2, c: 1, d: 1 });
    expect(() => pairedTable([true], [])).toThrow(RangeError);
  });

  it('covers the true difference about 95% of the time (simulation, n = 150 pairs)', () => {
    const random = mulberry32(20261204);
    const cells = [0.7, 0.15, 0.05, 0.1];
    const truth = cells[1]! - cells[2]!;
    let covered = 0;
    const runs = 2000;
    for (let run = 0; run < runs; run++) {
      const t = { a: 0, b: 0, c: 0, d: 0 };
      for (let i = 0; i < 150; i++) {
        const u = random();
        if (u < cells[0]!) t.a++;
        else if (u < cells[0]! + cells[1]!) t.b++;
        else if (u < cells[0]! + cells[1]! + cells[2]!) t.c++;
        else t.d++;
      }
      const d = pairedDifferenceNewcombe(t);
      if (d.lower <= truth && truth <= d.upper) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.975);
  });
});
