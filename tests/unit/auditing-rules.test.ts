import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { goldTaskCount, labelCategory, scoreAgainstGold, seededUniform, selectedForDoubleReview } from '../../src/domain/auditing/auditing.rules.ts';
import fc from 'fast-check';
import { flagsForReviewers, summarisePairs, type ReviewPair } from '../../src/domain/auditing/double-review.rules.ts';
import { pairedDifferenceNewcombe, pairedExcessPValue } from '../../src/domain/stats/paired-proportions.ts';
import { mulberry32 } from '../support/mulberry32.ts';

/**
 * A vendor QA team that passes items more often than internal QA does on the
 * same items: the planted leniency must be recovered within its interval, the
 * interval must cover it about 95% of the time over many seeded runs, and the
 * inflated flag must fire for it and not for an honest team.
 */

/**
 * Pairs from a latent model: an item's agent decision is truly correct with
 * probability 0.8; internal QA judges it right 95% of the time; a lenient
 * vendor QA additionally passes a failing item with probability `leniency /
 * P(internal fails)` — so its pass rate is `leniency` above internal QA's.
 */
function simulate(n: number, leniency: number, random: () => number): ReviewPair[] {
  const pairs: ReviewPair[] = [];
  const internalFail = 0.8 * 0.05 + 0.2 * 0.95;
  const forgive = leniency / internalFail;
  for (let i = 0; i < n; i++) {
    const truth = random() < 0.8;
    const internalPass = random() < 0.95 ? truth : !truth;
    const vendorPass = internalPass || random() < forgive;
    const labels = internalPass ? ['ok'] : ['hate'];
    pairs.push({
      vendor: { passed: vendorPass, correct: vendorPass, labels: vendorPass ? ['ok'] : labels },
      internal: { passed: internalPass, correct: internalPass, labels },
    });
  }
  return pairs;
}

describe('double review: leniency', () => {
  it('recovers a planted leniency of 12 points within its interval and flags the vendor', () => {
    const s = summarisePairs(simulate(600, 0.12, mulberry32(7)), 0.02);
    expect(s.leniency.lower).toBeLessThanOrEqual(0.12);
    expect(s.leniency.upper).toBeGreaterThanOrEqual(0.12);
    expect(s.leniency.estimate!).toBeGreaterThan(0.07);
    expect(s.inflated).toBe(true);
    expect(s.tooFew).toBe(false);
    expect(s.correctness.percentAgreement.n).toBe(600);
    expect(s.correctness.ac1.value!).toBeGreaterThan(0.5);
    expect(s.correctness.kappa.lower!).toBeLessThan(s.correctness.kappa.value!);
  });

  it('covers the planted leniency in about 95% of 1,000 seeded runs', () => {
    let covered = 0;
    const runs = 1000;
    for (let run = 0; run < runs; run++) {
      const s = summarisePairs(simulate(200, 0.12, mulberry32(1000 + run)), 0.02);
      if (s.leniency.lower <= 0.12 && 0.12 <= s.leniency.upper) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.975);
  });

  it('does not flag an honest vendor QA team (the flag needs the whole interval above the tolerance)', () => {
    let flagged = 0;
    for (let run = 0; run < 300; run++) if (summarisePairs(simulate(200, 0, mulberry32(5000 + run)), 0.02).inflated) flagged++;
    expect(flagged / 300).toBeLessThan(0.02);
  });
});

/** Two QA judgements of the same items, each right 90% of the time, independently: honest disagreement both ways. */
function simulateHonest(n: number, random: () => number): ReviewPair[] {
  return Array.from({ length: n }, () => {
    const truth = random() < 0.8;
    const vendorPass = random() < 0.9 ? truth : !truth;
    const internalPass = random() < 0.9 ? truth : !truth;
    return {
      vendor: { passed: vendorPass, correct: vendorPass, labels: vendorPass ? ['ok'] : ['hate'] },
      internal: { passed: internalPass, correct: internalPass, labels: internalPass ? ['ok'] : ['hate'] },
    };
  });
}

describe('double review: many reviewers of one vendor at once', () => {
  it('reads a one-sided p-value from the paired interval: below 2.5% exactly when the 95% interval lies above the margin', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.nat(20), fc.nat(20), fc.nat(60), fc.double({ min: -0.2, max: 0.3, noNaN: true }), (a, b, c, d, margin) => {
        const table = { a, b, c, d };
        fc.pre(a + b + c + d > 0);
        const lower = pairedDifferenceNewcombe(table, 0.95).lower;
        fc.pre(Math.abs(lower - margin) > 1e-6);
        expect(pairedExcessPValue(table, margin) < 0.025).toBe(lower > margin);
      }),
    );
    expect(pairedExcessPValue({ a: 50, b: 0, c: 5, d: 45 }, 0)).toBe(1);
  });

  it('holds the chance of flagging any of ten honest reviewers near 2.5%, where flags on intervals alone reach about one run in five', () => {
    const runs = 300;
    let anyAlone = 0;
    let anyAdjusted = 0;
    for (let run = 0; run < runs; run++) {
      const random = mulberry32(9000 + run);
      // Honest at the margin: leniency 0 against a tolerance of 0, the hardest case for a flag.
      const reviewers = flagsForReviewers(Array.from({ length: 10 }, () => summarisePairs(simulateHonest(100, random), 0)), 0.95);
      if (reviewers.some((r) => r.inflatedAlone)) anyAlone++;
      if (reviewers.some((r) => r.inflated)) anyAdjusted++;
    }
    expect(anyAlone / runs).toBeGreaterThan(0.1);
    expect(anyAdjusted / runs).toBeLessThan(0.05);
  });

  it('still flags a clearly lenient reviewer among nine honest ones', () => {
    let found = 0;
    for (let run = 0; run < 100; run++) {
      const random = mulberry32(12000 + run);
      const summaries = [summarisePairs(simulate(150, 0.15, random), 0.02), ...Array.from({ length: 9 }, () => summarisePairs(simulateHonest(100, random), 0.02))];
      const flags = flagsForReviewers(summaries, 0.95);
      if (flags[0]!.inflated) found++;
      for (const f of flags) if (f.inflated) expect(f.inflatedAlone).toBe(true);
    }
    expect(found).toBeGreaterThan(80);
  });
});

describe('seeded draws', () => {
  it('select each reviewed decision with the configured probability, reproducibly (keyed on the decision id)', () => {
    const ids = Array.from({ length: 20000 }, () => randomUUID());
    const picked = ids.filter((id) => selectedForDoubleReview('seed-1', id, 0.1).selected).length;
    expect(picked / ids.length).toBeGreaterThan(0.09);
    expect(picked / ids.length).toBeLessThan(0.11);
    expect(selectedForDoubleReview('seed-1', ids[0]!, 0.1)).toEqual(selectedForDoubleReview('seed-1', ids[0]!, 0.1));
    expect(seededUniform('s', 'k')).not.toBe(seededUniform('t', 'k'));
  });

  it('give floor(k * rate + u) gold tasks, k * rate on average', () => {
    expect(goldTaskCount(5, 0.2, 0)).toBe(1);
    expect(goldTaskCount(5, 0.2, 0.999)).toBe(1);
    expect(goldTaskCount(3, 0.2, 0.39)).toBe(0);
    expect(goldTaskCount(3, 0.2, 0.4)).toBe(1);
    expect(goldTaskCount(0, 0.2, 0.9)).toBe(0);
    const random = mulberry32(3);
    let total = 0;
    for (let i = 0; i < 10000; i++) total += goldTaskCount(7, 0.05, random());
    expect(total / 10000).toBeCloseTo(0.35, 1);
  });
});

describe('scoring against gold', () => {
  it('compares labels as sets and the action exactly', () => {
    expect(scoreAgainstGold({ labels: ['a', 'b'], action: 'remove' }, { labels: ['b', 'a', 'a'], action: 'remove' })).toEqual({ labelsCorrect: true, actionCorrect: true, correct: true });
    expect(scoreAgainstGold({ labels: ['a'], action: 'remove' }, { labels: ['a', 'b'], action: 'remove' })).toEqual({ labelsCorrect: false, actionCorrect: true, correct: false });
    expect(scoreAgainstGold({ labels: [], action: 'no_action' }, { labels: [], action: 'remove' }).correct).toBe(false);
    expect(labelCategory(['b', 'a', 'b'])).toBe('a+b');
    expect(labelCategory([])).toBe('');
  });
});
