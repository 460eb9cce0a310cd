import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zForConfidence } from '../../src/domain/stats/distributions.ts';
import { hajekProportion, type SampledOutcome } from '../../src/domain/stats/estimation.ts';
import { wilson } from '../../src/domain/stats/proportions.ts';
import { mulberry32 } from '../support/mulberry32.ts';


const item = (y: number, pi: number, stratum: string): SampledOutcome => ({ y, pi, stratum });

describe('hajekProportion: exact cases', () => {
  it('empty sample: estimate null with a reason and the uninformative interval', () => {
    const r = hajekProportion([]);
    expect(r.estimate).toBeNull();
    expect(r.se).toBeNull();
    expect(r.variance).toBeNull();
    expect(r.designEffect).toBeNull();
    expect(r.effectiveSampleSize).toBeNull();
    expect([r.lower, r.upper]).toEqual([0, 1]);
    expect(r.n).toBe(0);
    expect(r.estimatedPopulation).toBe(0);
    expect(r.reason).toMatch(/empty/);
    expect(r.sampleAccuracy.estimate).toBeNull();
  });

  it('equal pi, one stratum: plain mean and variance p(1-p)/(n-1) exactly', () => {
    // e_i = (y_i - p)/n, mean 0, so var = n/(n-1) * sum (y_i - p)^2 / n^2 = n/(n-1) * n p(1-p) / n^2 = p(1-p)/(n-1).
    const ys = [1, 1, 1, 0, 1, 0, 1, 1, 1, 1]; // 8 of 10
    const r = hajekProportion(ys.map((y) => item(y, 0.2, 'all')));
    expect(r.estimate).toBeCloseTo(0.8, 14);
    expect(r.variance).toBeCloseTo((0.8 * 0.2) / 9, 14);
    expect(r.se).toBeCloseTo(Math.sqrt(0.16 / 9), 14);
    expect(r.estimatedPopulation).toBeCloseTo(50, 10);
    expect(r.effectiveSampleSize).toBeCloseTo(10, 12);
    expect(r.designEffect).toBeCloseTo(10 / 9, 12); // (p(1-p)/(n-1)) / (p(1-p)/n)
    const z = zForConfidence(0.95);
    expect(r.lower).toBeCloseTo(0.8 - z * Math.sqrt(0.16 / 9), 12);
    expect(r.upper).toBeCloseTo(Math.min(1, 0.8 + z * Math.sqrt(0.16 / 9)), 12);
    expect(r.sampleAccuracy).toEqual(wilson(8, 10, 0.95));
    expect(r.warnings).toEqual([]);
  });

  it('hand-computed two-stratum example', () => {
    // Stratum A: pi = 0.5 (w = 2), y = 1, 0. Stratum B: pi = 0.25 (w = 4), y = 1, 1, 0.
    // W = 2*2 + 3*4 = 16; sum w y = 2 + 8 = 10; p = 10/16 = 0.625.
    // e = w (y - p) / W. A: 2*0.375/16 = 0.046875, 2*(-0.625)/16 = -0.078125; mean -0.015625;
    //   deviations +-0.0625, SS = 0.0078125, times n/(n-1) = 2 -> 0.015625.
    // B: 4*0.375/16 = 0.09375 (twice), 4*(-0.625)/16 = -0.15625; mean 0.03125/3;
    //   deviations 1/12, 1/12, -1/6, SS = 2/144 + 4/144 = 1/24, times 3/2 -> 1/16 = 0.0625.
    // var = 0.015625 + 0.0625 = 0.078125 = 5/64, se = sqrt(5)/8.
    // deff = (5/64) / (0.625*0.375/5) = 0.078125 / 0.046875 = 5/3; Kish = 16^2 / (2*4 + 3*16) = 256/56.
    const r = hajekProportion([item(1, 0.5, 'A'), item(0, 0.5, 'A'), item(1, 0.25, 'B'), item(1, 0.25, 'B'), item(0, 0.25, 'B')], {
      confidence: 0.9,
    });
    expect(r.estimate).toBeCloseTo(0.625, 14);
    expect(r.variance).toBeCloseTo(5 / 64, 14);
    expect(r.se).toBeCloseTo(Math.sqrt(5) / 8, 14);
    expect(r.designEffect).toBeCloseTo(5 / 3, 12);
    expect(r.effectiveSampleSize).toBeCloseTo(256 / 56, 12);
    expect(r.estimatedPopulation).toBeCloseTo(16, 12);
    expect(r.strata).toBe(2);
    expect(r.confidence).toBe(0.9);
    const z = zForConfidence(0.9);
    expect(r.lower).toBeCloseTo(Math.max(0, 0.625 - (z * Math.sqrt(5)) / 8), 12);
    expect(r.upper).toBeCloseTo(Math.min(1, 0.625 + (z * Math.sqrt(5)) / 8), 12);
    expect(r.sampleAccuracy).toEqual(wilson(3, 5, 0.9));
  });

  it('matches a numpy reference (three strata plus a singleton stratum, which warns)', () => {
    // Reference computed with numpy 2.4.6 (python3), not called from the test:
    //   import numpy as np
    //   y  = np.array([1,1,0,1,1,1,0,1,1,1,0,1])
    //   pi = np.array([.5,.5,.5,.5,.1,.1,.1,.1,.1,.02,.02,.3])
    //   h  = np.array(['a','a','a','a','b','b','b','b','b','c','c','d'])
    //   w = 1/pi; W = w.sum(); p = (w*y).sum()/W
    //   e = w*(y-p)/W; v = 0.0
    //   for s in np.unique(h):
    //       es = e[h==s]; nh = len(es)
    //       if nh > 1: v += nh/(nh-1)*((es-es.mean())**2).sum()
    //   print(p, v, np.sqrt(v), W, W**2/(w**2).sum())
    // -> 0.6157024793388429 0.10004439587459871 0.31629795426875384 161.33333333333334 4.7092312640720495
    const y = [1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1];
    const pi = [0.5, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.02, 0.02, 0.3];
    const h = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'c', 'c', 'd'];
    const r = hajekProportion(y.map((yi, i) => item(yi, pi[i]!, h[i]!)));
    expect(r.estimate).toBeCloseTo(0.6157024793388429, 12);
    expect(r.variance).toBeCloseTo(0.10004439587459871, 12);
    expect(r.se).toBeCloseTo(0.31629795426875384, 12);
    expect(r.estimatedPopulation).toBeCloseTo(161.33333333333334, 9);
    expect(r.effectiveSampleSize).toBeCloseTo(4.7092312640720495, 12);
    expect(r.lower).toBe(0); // 0.6157 - 1.96 * 0.3163 < 0: clipped
    expect(r.singletonStrata).toEqual(['d']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/single/);
    expect(r.sampleAccuracy).toEqual(wilson(9, 12));
  });

  it('all correct: estimate 1, variance 0, no design effect', () => {
    const r = hajekProportion([item(1, 0.5, 'a'), item(1, 0.1, 'a'), item(1, 1, 'b'), item(1, 0.3, 'b')]);
    expect(r.estimate).toBe(1);
    expect(r.variance).toBeCloseTo(0, 15);
    expect(r.upper).toBe(1);
    expect(r.designEffect).toBeNull();
  });

  it('validates y, pi and confidence, naming the index', () => {
    expect(() => hajekProportion([item(1, 0.5, 'a'), item(2, 0.5, 'a')])).toThrow(/items\[1\]\.y/);
    expect(() => hajekProportion([item(1, 0, 'a')])).toThrow(/items\[0\]\.pi/);
    expect(() => hajekProportion([item(1, 0.5, 'a'), item(0, 1.5, 'a')])).toThrow(/items\[1\]\.pi/);
    expect(() => hajekProportion([item(1, Number.NaN, 'a')])).toThrow(RangeError);
    expect(() => hajekProportion([item(1, 0.5, 'a')], { confidence: 1 })).toThrow(RangeError);
  });
});

const sampleArb = fc.array(
  fc.record({
    y: fc.constantFrom(0, 1),
    pi: fc.double({ min: 0.001, max: 1, noNaN: true }),
    stratum: fc.constantFrom('a', 'b', 'c'),
  }),
  { minLength: 1, maxLength: 60 },
);

describe('hajekProportion: properties', () => {
  it('estimate in [0, 1], CI contains it, n_eff in [1, n]', () => {
    fc.assert(
      fc.property(sampleArb, fc.double({ min: 0.5, max: 0.999, noNaN: true }), (items, confidence) => {
        const r = hajekProportion(items, { confidence });
        const p = r.estimate!;
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(r.lower).toBeLessThanOrEqual(p);
        expect(r.upper).toBeGreaterThanOrEqual(p);
        expect(r.lower).toBeGreaterThanOrEqual(0);
        expect(r.upper).toBeLessThanOrEqual(1);
        expect(r.variance!).toBeGreaterThanOrEqual(0);
        expect(r.effectiveSampleSize!).toBeGreaterThanOrEqual(1 - 1e-9);
        expect(r.effectiveSampleSize!).toBeLessThanOrEqual(items.length + 1e-9);
      }),
    );
  });

  it('scaling every weight by the same constant leaves estimate and SE unchanged', () => {
    fc.assert(
      fc.property(sampleArb, fc.double({ min: 0.01, max: 1, noNaN: true }), (items, c) => {
        // w' = w / c, i.e. pi' = c pi (stays in (0, 1]).
        const a = hajekProportion(items);
        const b = hajekProportion(items.map((it) => ({ ...it, pi: it.pi * c })));
        expect(b.estimate!).toBeCloseTo(a.estimate!, 10);
        expect(b.se!).toBeCloseTo(a.se!, 10);
        expect(b.estimatedPopulation / a.estimatedPopulation).toBeCloseTo(1 / c, 8);
      }),
    );
  });
});

describe('hajekProportion: simulation (seeded)', () => {
  it('corrects the bias of oversampling a stratum while the unweighted mean stays biased', () => {
    const rand = mulberry32(20261125);
    // Population of 20,000 decisions: 2,000 high-risk (accuracy ~0.70) and 18,000 routine (~0.95).
    const strata = [
      { name: 'high-risk', size: 2_000, accuracy: 0.7, sample: 200 },
      { name: 'routine', size: 18_000, accuracy: 0.95, sample: 200 },
    ];
    const population: number[][] = strata.map((s) => Array.from({ length: s.size }, (): number => (rand() < s.accuracy ? 1 : 0)));
    const truth = population.flat().reduce((a: number, b) => a + b, 0) / 20_000;
    const replicates = 50;
    let covered = 0;
    let unweightedBiasSum = 0;
    for (let r = 0; r < replicates; r++) {
      const items: SampledOutcome[] = [];
      strata.forEach((s, k) => {
        // Simple random sample without replacement within the stratum (partial Fisher-Yates): pi = n_h / N_h.
        const units = population[k]!.slice();
        for (let i = 0; i < s.sample; i++) {
          const j = i + Math.floor(rand() * (units.length - i));
          [units[i], units[j]] = [units[j]!, units[i]!];
          items.push({ y: units[i]!, pi: s.sample / s.size, stratum: s.name });
        }
      });
      const res = hajekProportion(items);
      if (Math.abs(res.estimate! - truth) < 3 * res.se!) covered++;
      unweightedBiasSum += res.sampleAccuracy.estimate! - truth;
      expect(res.estimatedPopulation).toBeCloseTo(20_000, 6);
    }
    expect(covered).toBeGreaterThanOrEqual(0.9 * replicates);
    // Expected sample accuracy ~ (0.70 + 0.95) / 2 = 0.825 vs truth ~ 0.925: biased by about -0.1.
    expect(unweightedBiasSum / replicates).toBeLessThan(-0.07);
  });
});
