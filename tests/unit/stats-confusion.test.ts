import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accumulateConfusionSums,
  CONFUSION_RATES,
  confusionCell,
  confusionMetrics,
  confusionSumsByLabel,
  confusionWithDesignCounts,
  type ConfusionDomainSums,
  type ConfusionItem,
  type ConfusionRate,
} from '../../src/domain/stats/confusion-estimation.ts';
import { accumulateSums, ratioFromSums, type RatioEstimate } from '../../src/domain/stats/ratio-estimation.ts';

function close(actual: number | null, expected: number | null, tol = 1e-12): void {
  if (actual === null || expected === null) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}
function sameEstimate(a: RatioEstimate, b: RatioEstimate): void {
  close(a.estimate, b.estimate);
  close(a.variance, b.variance);
  close(a.lower, b.lower, 1e-9);
  close(a.upper, b.upper, 1e-9);
  expect(a.n).toBe(b.n);
}

/** Per-item numerator and denominator of each rate, written out directly from the definitions. */
const DIRECT: Record<ConfusionRate, (agent: boolean, qa: boolean) => [number, number]> = {
  precision: (agent, qa) => [agent && qa ? 1 : 0, agent ? 1 : 0],
  recall: (agent, qa) => [agent && qa ? 1 : 0, qa ? 1 : 0],
  f1: (agent, qa) => [agent && qa ? 2 : 0, (agent ? 1 : 0) + (qa ? 1 : 0)],
  overEnforcementRate: (agent, qa) => [agent && !qa ? 1 : 0, qa ? 0 : 1],
  underEnforcementRate: (agent, qa) => [!agent && qa ? 1 : 0, qa ? 1 : 0],
};
const RATES = Object.keys(CONFUSION_RATES) as ConfusionRate[];

const itemArb = fc.record({
  stratum: fc.constantFrom('routine', 'severe', 'new-hire'),
  w: fc.double({ min: 1, max: 500, noNaN: true }),
  agentHas: fc.boolean(),
  qaHas: fc.boolean(),
  inDomain: fc.boolean(),
});

describe('confusion cells and rates', () => {
  it('cells: QA is the reference', () => {
    expect(confusionCell(true, true)).toBe('tp');
    expect(confusionCell(true, false)).toBe('fp');
    expect(confusionCell(false, true)).toBe('fn');
    expect(confusionCell(false, false)).toBe('tn');
  });

  it('hand example: weighted cells and point estimates', () => {
    const items: ConfusionItem[] = [
      { stratum: 'a', w: 10, agentHas: true, qaHas: true },
      { stratum: 'a', w: 10, agentHas: true, qaHas: false },
      { stratum: 'a', w: 10, agentHas: false, qaHas: false },
      { stratum: 'b', w: 2, agentHas: true, qaHas: true },
      { stratum: 'b', w: 2, agentHas: false, qaHas: true },
      { stratum: 'b', w: 2, agentHas: false, qaHas: false },
      { stratum: 'b', w: 2, agentHas: true, qaHas: true, inDomain: false },
    ];
    const strata = accumulateConfusionSums(items);
    expect(strata.map((s) => [s.stratum, s.nStratum])).toEqual([['a', 3], ['b', 4]]);
    const m = confusionMetrics(strata);
    expect(m.cells).toEqual({ tp: { n: 2, weighted: 12 }, fp: { n: 1, weighted: 10 }, fn: { n: 1, weighted: 2 }, tn: { n: 2, weighted: 12 } });
    expect(m.n).toBe(6);
    expect(m.estimatedPopulation).toBe(36);
    close(m.precision.estimate, 12 / 22);
    close(m.recall.estimate, 12 / 14);
    close(m.f1.estimate, 24 / 36);
    close(m.overEnforcementRate.estimate, 10 / 22);
    close(m.underEnforcementRate.estimate, 2 / 14);
    expect(m.precision.n).toBe(3);
    expect(m.recall.n).toBe(3);
    expect(m.f1.n).toBe(4);
    expect(m.precision.interval).toBe('design-wilson');
    expect(m.f1).toMatchObject({ kind: 'mean', interval: 'wald' });
    expect(m.f1.lower!).toBeGreaterThanOrEqual(0);
    expect(m.f1.upper!).toBeLessThanOrEqual(1);
  });

  it('property: every rate from cell sums equals the ratio computed from per-item a and b', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 60 }), fc.constantFrom(0.9, 0.95), (items, confidence) => {
        const m = confusionMetrics(accumulateConfusionSums(items), { confidence });
        for (const rate of RATES) {
          const direct = accumulateSums(
            items.map((it) => {
              const [a, b] = it.inDomain ? DIRECT[rate](it.agentHas, it.qaHas) : [0, 0];
              return { stratum: it.stratum, w: it.w, a, b };
            }),
          );
          const expected = rate === 'f1' ? ratioFromSums(direct, { confidence, kind: 'mean', bounds: [0, 1] }) : ratioFromSums(direct, { confidence });
          sameEstimate(m[rate], expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('property: swapping agent and QA (transposing the matrix) swaps precision and recall, FP and FN', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 60 }), (items) => {
        const m = confusionMetrics(accumulateConfusionSums(items));
        const t = confusionMetrics(accumulateConfusionSums(items.map((it) => ({ ...it, agentHas: it.qaHas, qaHas: it.agentHas }))));
        sameEstimate(t.precision, m.recall);
        sameEstimate(t.recall, m.precision);
        sameEstimate(t.f1, m.f1);
        expect(t.cells.fp).toEqual(m.cells.fn);
        expect(t.cells.tp).toEqual(m.cells.tp);
      }),
      { numRuns: 100 },
    );
  });

  it('property: rollup rows per group, merged with the design counts, give the same metrics', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(itemArb, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 }), (pairs) => {
        const items = pairs.map(([it]) => it);
        const whole = confusionMetrics(accumulateConfusionSums(items));
        const designCounts = new Map<string, number>();
        for (const it of items) designCounts.set(it.stratum, (designCounts.get(it.stratum) ?? 0) + 1);
        const rows: ConfusionDomainSums[] = [];
        for (let g = 0; g <= 3; g++) {
          rows.push(...accumulateConfusionSums(pairs.filter(([it, group]) => group === g && it.inDomain !== false).map(([it]) => it), designCounts));
        }
        const merged = confusionMetrics(confusionWithDesignCounts(rows, designCounts));
        for (const rate of RATES) sameEstimate(merged[rate], whole[rate]);
      }),
      { numRuns: 100 },
    );
  });

  it('empty denominators give null estimates with a reason; design counts are checked', () => {
    const m = confusionMetrics(accumulateConfusionSums([{ stratum: 'a', w: 1, agentHas: false, qaHas: false }]));
    expect(m.precision.estimate).toBeNull();
    expect(m.precision.reason).toMatch(/empty/);
    expect(m.overEnforcementRate.estimate).toBe(0);
    expect(() => accumulateConfusionSums([{ stratum: 'a', w: 1, agentHas: true, qaHas: true }], new Map())).toThrow(/design count/);
    expect(() => accumulateConfusionSums([{ stratum: 'a', w: -1, agentHas: true, qaHas: true }])).toThrow(/items\[0\]\.w/);
  });
});

describe('confusionSumsByLabel', () => {
  it('splits multi-label verdicts into one confusion per label, absent labels counting as true negatives', () => {
    const byLabel = confusionSumsByLabel([
      { stratum: 's', w: 2, agentLabels: ['hate', 'spam'], qaLabels: ['hate'] },
      { stratum: 's', w: 2, agentLabels: [], qaLabels: ['spam'] },
      { stratum: 's', w: 3, agentLabels: ['violence'], qaLabels: ['violence'] },
    ]);
    expect([...byLabel.keys()]).toEqual(['hate', 'spam', 'violence']);
    const hate = byLabel.get('hate')![0]!;
    expect([hate.tp.n, hate.fp.n, hate.fn.n, hate.tn.n, hate.nStratum]).toEqual([1, 0, 0, 2, 3]);
    const spam = byLabel.get('spam')![0]!;
    expect([spam.tp.n, spam.fp.n, spam.fn.n, spam.tn.n]).toEqual([0, 1, 1, 1]);
    expect(spam.tn.sumW2).toBe(9);
    const only = confusionSumsByLabel([{ stratum: 's', w: 1, agentLabels: [], qaLabels: [] }], { labels: ['x'] });
    expect(only.get('x')![0]!.tn.n).toBe(1);
  });
});
