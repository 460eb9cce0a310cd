import { describe, expect, it } from 'vitest';
import {
  censusEstimates,
  decisionConfusionEstimates,
  disputeEstimates,
  labelConfusionEstimates,
  outcomeEstimates,
  scoreEstimates,
  type DecisionCellRow,
  type Estimate,
  type LabelCellRow,
  type OutcomeRow,
  type ScoreRow,
  type TotalsRow,
} from '../../src/domain/metrics/metric-estimates.rules.ts';
import { controlChart, paretoItems } from '../../src/domain/metrics/metric-charts.rules.ts';
import { accumulateConfusionSums, confusionMetrics, confusionSumsByLabel } from '../../src/domain/stats/confusion-estimation.ts';
import { accumulateSums, ratioFromSums, type RatioEstimate } from '../../src/domain/stats/ratio-estimation.ts';
import { wilson } from '../../src/domain/stats/proportions.ts';

/**
 * The estimates the engine makes from rollup rows equal the estimators of
 * src/domain/stats applied to the items the rows were summed from, however
 * the items are split into rows (per day, agent, reviewer...), because the
 * design counts come from the whole design and never from the slice.
 */

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Item {
  stratum: string;
  w: number;
  vendor: string;
  correct: boolean;
  score: number;
  agent: string[];
  qa: string[];
}

const LABELS = ['a.one', 'a.two', 'b.one'];

function items(seed: number, count: number): Item[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => {
    const stratum = `wf|2026-11-0${1 + Math.floor(r() * 4)}|plan:${['severe', 'routine', 'new'][Math.floor(r() * 3)]}`;
    const agent = r() < 0.4 ? [LABELS[Math.floor(r() * 3)]!] : [];
    const qa = r() < 0.85 ? [...agent] : r() < 0.5 ? [] : [LABELS[Math.floor(r() * 3)]!];
    return { stratum, w: 1 / [0.5, 0.02, 0.1][Math.floor(r() * 3)]!, vendor: `v${Math.floor(r() * 3)}`, correct: r() < 0.9, score: Math.round(r() * 100), agent, qa };
  });
}

/** Items summed into rollup-like rows: per vendor and stratum, each split in two rows at random. */
function rows<T>(list: Item[], seed: number, sum: (part: Item[]) => T, key: (i: Item) => string = (i) => i.vendor): Array<T & { g0: string; g1: null; period: null; stratum: string; n_stratum: number }> {
  const r = rng(seed);
  const design = new Map<string, number>();
  for (const i of list) design.set(i.stratum, (design.get(i.stratum) ?? 0) + 1);
  const buckets = new Map<string, Item[]>();
  for (const i of list) {
    const id = `${key(i)}\u0000${i.stratum}\u0000${r() < 0.5 ? 0 : 1}`;
    buckets.set(id, [...(buckets.get(id) ?? []), i]);
  }
  return [...buckets.entries()].map(([id, part]) => {
    const [g0, stratum] = id.split('\u0000') as [string, string];
    return { ...sum(part), g0, g1: null, period: null, stratum, n_stratum: design.get(stratum)! };
  });
}

const sumOf = (part: Item[], f: (i: Item) => number) => part.reduce((s, i) => s + f(i), 0);
const base = (part: Item[]) => ({ n: part.length, sum_w: sumOf(part, (i) => i.w), sum_w2: sumOf(part, (i) => i.w * i.w) });
const cells = (part: Item[], has: (i: Item, side: 'agent' | 'qa') => boolean) => {
  const cell = (c: (i: Item) => boolean) => {
    const inCell = part.filter(c);
    return [inCell.length, sumOf(inCell, (i) => i.w), sumOf(inCell, (i) => i.w * i.w)] as const;
  };
  const [n_tp, sum_w_tp, sum_w2_tp] = cell((i) => has(i, 'agent') && has(i, 'qa'));
  const [n_fp, sum_w_fp, sum_w2_fp] = cell((i) => has(i, 'agent') && !has(i, 'qa'));
  const [n_fn, sum_w_fn, sum_w2_fn] = cell((i) => !has(i, 'agent') && has(i, 'qa'));
  return { n_tp, sum_w_tp, sum_w2_tp, n_fp, sum_w_fp, sum_w2_fp, n_fn, sum_w_fn, sum_w2_fn };
};

function expectSame(actual: Estimate, expected: RatioEstimate) {
  expect(actual.value).not.toBeNull();
  expect(actual.value!).toBeCloseTo(expected.estimate!, 12);
  expect(actual.lower!).toBeCloseTo(expected.lower!, 12);
  expect(actual.upper!).toBeCloseTo(expected.upper!, 12);
  expect(actual.se!).toBeCloseTo(expected.se!, 12);
  expect(actual.n).toBe(expected.n);
  expect(actual.N).toBeCloseTo(expected.estimatedPopulation, 9);
}

const data = items(7, 600);
const vendors = ['v0', 'v1', 'v2'];

describe('estimates from rollup rows', () => {
  it('accuracy and the mean score per vendor: domain estimates with the design counts', () => {
    const outcome = rows(data, 1, (p) => ({ ...base(p), n_correct: p.filter((i) => i.correct).length, sum_w_correct: sumOf(p, (i) => (i.correct ? i.w : 0)), sum_w2_correct: sumOf(p, (i) => (i.correct ? i.w * i.w : 0)) }));
    const accuracy = outcomeEstimates(outcome as unknown as OutcomeRow[], 'correct', { confidence: 0.95 });
    const scoreRows = rows(data, 2, (p) => ({ ...base(p), sum_w_score: sumOf(p, (i) => i.w * i.score), sum_w2_score: sumOf(p, (i) => i.w * i.w * i.score), sum_w2_score2: sumOf(p, (i) => i.w * i.w * i.score * i.score) }));
    const score = scoreEstimates(scoreRows as ScoreRow[], { confidence: 0.95 });
    for (const v of vendors) {
      const inV = (i: Item) => i.vendor === v;
      expectSame(accuracy.groups.find((g) => g.g0 === v)!.estimate, ratioFromSums(accumulateSums(data.map((i) => ({ stratum: i.stratum, w: i.w, a: inV(i) && i.correct ? 1 : 0, b: inV(i) ? 1 : 0 })))));
      expectSame(score.groups.find((g) => g.g0 === v)!.estimate, ratioFromSums(accumulateSums(data.map((i) => ({ stratum: i.stratum, w: i.w, a: inV(i) ? i.score : 0, b: inV(i) ? 1 : 0 }))), { kind: 'mean', bounds: [0, 100] }));
    }
    expectSame(accuracy.overall, ratioFromSums(accumulateSums(data.map((i) => ({ stratum: i.stratum, w: i.w, a: i.correct ? 1 : 0, b: 1 })))));
    const mine = data.filter((i) => i.vendor === 'v1');
    expect(accuracy.groups.find((g) => g.g0 === 'v1')!.estimate.sampleValue).toBeCloseTo(mine.filter((i) => i.correct).length / mine.length, 12);
  });

  it('decision-level enforcement rates per vendor', () => {
    const violating = (i: Item, side: 'agent' | 'qa') => i[side].length > 0;
    const cellRows = rows(data, 3, (p) => ({ ...base(p), ...cells(p, violating) })) as DecisionCellRow[];
    for (const rate of ['precision', 'recall', 'f1', 'overEnforcementRate', 'underEnforcementRate'] as const) {
      const estimated = decisionConfusionEstimates(cellRows, rate, { confidence: 0.95 });
      for (const v of vendors) {
        const expected = confusionMetrics(accumulateConfusionSums(data.map((i) => ({ stratum: i.stratum, w: i.w, agentHas: violating(i, 'agent'), qaHas: violating(i, 'qa'), inDomain: i.vendor === v }))));
        expectSame(estimated.groups.find((g) => g.g0 === v)!.estimate, expected[rate]);
      }
    }
  });

  it('per-label rates count true negatives in every stratum of the slice, also where nobody used the label', () => {
    const labelRows = LABELS.flatMap((label) =>
      rows(
        data.filter((i) => i.agent.includes(label) || i.qa.includes(label)),
        4,
        (p) => cells(p, (i, side) => i[side].includes(label)),
        () => label,
      ),
    ) as LabelCellRow[];
    const design = new Map<string, number>();
    for (const i of data) design.set(i.stratum, (design.get(i.stratum) ?? 0) + 1);
    // Totals with no group: the whole slice, per stratum.
    const totals = rows(data, 5, base, () => '').map((r) => ({ ...r, g0: null })) as TotalsRow[];
    const expected = confusionSumsByLabel(data.map((i) => ({ stratum: i.stratum, w: i.w, agentLabels: i.agent, qaLabels: i.qa })), { labels: LABELS });
    for (const rate of ['precision', 'overEnforcementRate', 'underEnforcementRate'] as const) {
      const estimated = labelConfusionEstimates(labelRows, totals, (g) => ({ g0: null, g1: null, period: g.period }), rate, { confidence: 0.95 });
      for (const label of LABELS) expectSame(estimated.groups.find((g) => g.g0 === label)!.estimate, confusionMetrics(expected.get(label)!)[rate]);
    }
  });

  it('dispute rates are Wilson intervals on counts; the census has no interval', () => {
    const disputes = disputeEstimates(
      [
        { g0: 'v0', g1: null, period: null, n: 40, n_disputed: 4, n_overturned: 1 },
        { g0: 'v0', g1: null, period: null, n: 10, n_disputed: 1, n_overturned: 1 },
        { g0: 'v1', g1: null, period: null, n: 20, n_disputed: 0, n_overturned: 0 },
      ],
      'overturned',
      { confidence: 0.95 },
    );
    const w = wilson(2, 5);
    expect(disputes.groups[0]!.estimate).toMatchObject({ value: 0.4, lower: w.lower, upper: w.upper, n: 5, N: 5, sampleValue: 0.4 });
    expect(disputes.groups[1]!.estimate).toMatchObject({ value: null, lower: null, upper: null, se: null, n: 0 });
    expect(disputes.overall).toMatchObject({ value: 0.4, n: 5 });

    // A decision with labels x and y: a row per label, share 1/2 each.
    const production = [
      { g0: 'x', g1: null, period: null, decisions: 1, handle_time_ms: 1000, decision_share: 0.5, handle_time_share_ms: 500 },
      { g0: 'y', g1: null, period: null, decisions: 1, handle_time_ms: 1000, decision_share: 0.5, handle_time_share_ms: 500 },
      { g0: 'y', g1: null, period: null, decisions: 2, handle_time_ms: 4000, decision_share: 2, handle_time_share_ms: 4000 },
    ];
    const volume = censusEstimates(production, 'volume', { groups: true, overall: false });
    expect(volume.groups.map((g) => [g.g0, g.estimate.value])).toEqual([['x', 1], ['y', 3]]);
    expect(volume.overall).toMatchObject({ value: 3, lower: 3, upper: 3, se: null, n: 3 });
    const aht = censusEstimates(production, 'aht', { groups: true, overall: false });
    expect(aht.groups[1]!.estimate.value).toBeCloseTo(5000 / 3, 12);
    expect(aht.overall.value).toBeCloseTo(5000 / 3, 12);
  });
});

describe('charts', () => {
  const estimate = (value: number, n: number, effectiveN = n): Estimate => ({ value, lower: null, upper: null, se: null, n, N: n, sampleValue: null, effectiveN, scoreN: null });

  it('charts accuracy as its error rate around the overall, with design-effective limits and run rules', () => {
    const periods = ['2026-09-07', '2026-09-14', '2026-09-21', '2026-09-28'];
    const chart = controlChart('accuracy', {
      overall: estimate(0.9, 400),
      groups: [
        { g0: null, g1: null, period: periods[1]!, estimate: estimate(0.92, 100, 50) },
        { g0: null, g1: null, period: periods[0]!, estimate: estimate(0.9, 100) },
        { g0: null, g1: null, period: periods[2]!, estimate: estimate(0.5, 100) },
        { g0: null, g1: null, period: periods[3]!, estimate: estimate(0.9, 100) },
      ],
    });
    expect(chart.charted).toBe('error_rate');
    expect(chart.centre).toBeCloseTo(0.1, 12);
    expect(chart.points.map((p) => p.period)).toEqual(periods);
    const second = chart.points[1]!;
    const sigma = Math.sqrt((0.1 * 0.9) / 50);
    expect(second.p).toBeCloseTo(0.08, 12);
    expect(second.upper).toBeCloseTo(0.1 + 3 * sigma, 12);
    expect(second.z!).toBeCloseTo((0.08 - 0.1) / sigma, 12);
    expect(chart.points[2]!.rules).toContain(1);
    expect(chart.points[2]!.signal).toBe(true);
    expect(chart.points[0]!.signal).toBe(false);
  });

  it('Pareto items by count with shares that add up', () => {
    const { total, items: list } = paretoItems([{ key: 'b', n: 1, weighted: 10 }, { key: 'a', n: 3, weighted: 5 }, { key: 'c', n: 1, weighted: 2 }]);
    expect(total).toBe(5);
    expect(list.map((i) => [i.key, i.share, i.cumulativeShare])).toEqual([['a', 0.6, 0.6], ['b', 0.2, 0.8], ['c', 0.2, 1]]);
  });
});
