/**
 * Repeated-sampling check of the weighted estimator on a stratified, oversampled synthetic population
 * whose true accuracy is known exactly. Seeded, so it cannot flake; ~1,000 samples of 700 items.
 */
import { describe, expect, it } from 'vitest';
import { hajekProportion, horvitzThompson } from '../../src/domain/stats/estimation.ts';
import { wilson } from '../../src/domain/stats/proportions.ts';
import { proportionSumsFromItems, ratioFromSums, type ProportionItem } from '../../src/domain/stats/ratio-estimation.ts';
import { mulberry32 } from '../support/mulberry32.ts';


/**
 * A risk-based plan: the large routine stratum is accurate and sampled at 0.8%, the small severe stratum is
 * error-prone and sampled at 25%, new hires in between at 3%. Each stratum has exactly round(size x accuracy)
 * correct decisions, so the truth is known exactly: (47,500 + 420 + 4,250) / 55,600 = 0.93831.
 */
const STRATA = [
  { name: 'routine', size: 50_000, accuracy: 0.95, sample: 400 },
  { name: 'severe', size: 600, accuracy: 0.7, sample: 150 },
  { name: 'new-hire', size: 5_000, accuracy: 0.85, sample: 150 },
];
const REPLICATES = 1_000;

describe('weighted accuracy under a stratified, oversampled design (1,000 seeded samples)', () => {
  it('is unbiased with 93-97% coverage of its 95% CI, while the unweighted mean is biased and its CI misses', () => {
    const rand = mulberry32(0x5eed_2026);
    const populations = STRATA.map((s): number[] => {
      const correct = Math.round(s.size * s.accuracy);
      return Array.from({ length: s.size }, (_, i) => (i < correct ? 1 : 0));
    });
    const N = STRATA.reduce((a, s) => a + s.size, 0);
    const truth = populations.flat().reduce((a: number, y) => a + y, 0) / N;
    expect(truth).toBeCloseTo(52_170 / 55_600, 12);

    let weightedSum = 0;
    let weightedCovered = 0;
    let htSum = 0;
    let unweightedSum = 0;
    let unweightedCovered = 0;
    for (let r = 0; r < REPLICATES; r++) {
      const items: ProportionItem[] = [];
      STRATA.forEach((s, k) => {
        // Simple random sample without replacement (partial Fisher-Yates). The population array is left
        // permuted, which keeps the next replicate's sample uniform too.
        const units = populations[k]!;
        for (let i = 0; i < s.sample; i++) {
          const j = i + Math.floor(rand() * (units.length - i));
          [units[i], units[j]] = [units[j]!, units[i]!];
          items.push({ stratum: s.name, w: s.size / s.sample, y: units[i]! });
        }
      });
      const est = ratioFromSums(proportionSumsFromItems(items)); // design-adjusted Wilson, the default
      weightedSum += est.estimate!;
      if (est.lower! <= truth && truth <= est.upper!) weightedCovered++;
      expect(est.estimatedPopulation).toBeCloseTo(N, 6);

      if (r % 100 === 0) {
        // The rollup path and the item-level Hajek estimator agree sample by sample.
        const h = hajekProportion(items.map((it) => ({ y: it.y, pi: 1 / it.w, stratum: it.stratum })));
        expect(Math.abs(h.estimate! - est.estimate!)).toBeLessThan(1e-12);
        expect(Math.abs(h.variance! - est.variance!)).toBeLessThan(1e-12);
      }
      const ht = horvitzThompson(
        items.map((it) => ({ y: it.y, pi: 1 / it.w, stratum: it.stratum })),
        { populationSize: N },
      );
      htSum += ht.proportion!.estimate;

      const correct = items.reduce((a, it) => a + it.y, 0);
      const naive = wilson(correct, items.length);
      unweightedSum += naive.estimate!;
      if (naive.lower <= truth && truth <= naive.upper) unweightedCovered++;
    }

    // Monte Carlo standard error of the mean estimate is ~0.0004 (se of one estimate ~0.012).
    const tolerance = 0.002;
    const weightedBias = weightedSum / REPLICATES - truth;
    expect(Math.abs(weightedBias)).toBeLessThan(tolerance);
    expect(Math.abs(htSum / REPLICATES - truth)).toBeLessThan(tolerance);
    const coverage = weightedCovered / REPLICATES;
    expect(coverage).toBeGreaterThanOrEqual(0.93);
    expect(coverage).toBeLessThanOrEqual(0.97);

    // The plain mean over-represents the error-prone strata: E = (380 + 105 + 127.5) / 700 = 0.875.
    const unweightedBias = unweightedSum / REPLICATES - truth;
    expect(unweightedBias).toBeLessThan(-10 * tolerance);
    expect(unweightedBias).toBeCloseTo(612.5 / 700 - truth, 2);
    expect(unweightedCovered / REPLICATES).toBeLessThan(0.5);
  });
});
