import { describe, expect, it } from 'vitest';
import { CONFUSION_RATES, type ConfusionRate } from '../../src/domain/stats/confusion-estimation.ts';
import { accumulateSums, ratioFromSums, type RatioEstimate, type RatioItem, type StratumSums } from '../../src/domain/stats/ratio-estimation.ts';
import {
  addTerms,
  cellSpec,
  EMPTY_TERMS,
  outcomeSpec,
  ratioFromTerms,
  readsTrueNegatives,
  scoreSpec,
  stratumSumsFromColumns,
  stratumTerms,
  termsOf,
  type RatioTerms,
  type StratumSumsSpec,
} from '../../src/domain/stats/ratio-terms.ts';
import {
  decisionConfusionEstimates,
  labelConfusionEstimates,
  outcomeEstimates,
  scoreEstimates,
  SCORE_BOUNDS,
  termsEstimates,
  type Estimate,
  type Estimated,
  type TermsKeyedRow,
} from '../../src/domain/metrics/metric-estimates.rules.ts';
import { mulberry32 } from '../support/mulberry32.ts';

/**
 * Summing design strata in the database (src/domain/stats/ratio-terms.ts): a group's totals of
 * per-stratum terms give exactly what ratioFromSums gives from the strata, and the per-group path of
 * the metrics engine (termsEstimates over rows summed as the repository sums them) gives the figures
 * of the per-stratum fold it replaced, on varied data: unequal weights, singleton strata, strata where
 * a slice is all correct, several rows per stratum, multi-label reviews.
 */

const close = (actual: number | null, expected: number | null, label: string, tol = 1e-12) => {
  if (actual === null || expected === null) return expect(actual, label).toBe(expected);
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
};

function sameRatio(a: RatioEstimate, b: RatioEstimate, label: string) {
  for (const f of ['estimate', 'variance', 'se', 'lower', 'upper', 'estimatedPopulation', 'effectiveSampleSize', 'intervalSampleSize', 'designEffect'] as const) {
    close(a[f], b[f], `${label} ${f}`);
  }
  expect(a.n, label).toBe(b.n);
  expect(a.strata, label).toBe(b.strata);
  // The terms carry how many strata are singletons, not their names: the warning is there or not alike.
  expect(a.warnings.length, label).toBe(b.warnings.length);
}

function randomItems(seed: number, count: number, kind: 'proportion' | 'mean'): RatioItem[] {
  const r = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const h = Math.floor(r() * 12);
    const inDomain = r() < 0.6;
    // Stratum 0 is all correct in the domain, stratum 11 rare (singletons likely).
    const y = kind === 'proportion' ? (h === 0 ? 1 : r() < 0.85 ? 1 : 0) : Math.round(r() * 100);
    const stratum = h === 11 && r() < 0.9 ? `s${h}-${Math.floor(r() * 1000)}` : `s${h}`;
    return { stratum, w: 1 / [0.5, 0.05, 0.2, 0.01][h % 4]!, a: inDomain ? y : 0, b: inDomain ? 1 : 0 };
  });
}

describe('ratioFromTerms', () => {
  it('equals ratioFromSums for proportions and means, with singleton strata, to 1e-12', () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const kind of ['proportion', 'mean'] as const) {
        const strata = accumulateSums(randomItems(seed, 20 + seed * 15, kind));
        const options = kind === 'mean' ? { kind, bounds: [0, 100] as const } : { kind };
        sameRatio(ratioFromTerms(termsOf(strata), options), ratioFromSums(strata, options), `seed ${seed} ${kind}`);
        if (kind === 'proportion') sameRatio(ratioFromTerms(termsOf(strata), { interval: 'wald' }), ratioFromSums(strata, { interval: 'wald' }), `seed ${seed} wald`);
      }
    }
  });

  it('is exact at p = 1 (no variance: Kish size) and empty for an empty domain', () => {
    const strata: StratumSums[] = [
      { stratum: 'a', n: 3, nStratum: 5, sumWA: 6, sumWB: 6, sumW2AA: 14, sumW2AB: 14, sumW2BB: 14 },
      { stratum: 'b', n: 1, nStratum: 1, sumWA: 10, sumWB: 10, sumW2AA: 100, sumW2AB: 100, sumW2BB: 100 },
    ];
    const terms = termsOf(strata);
    expect(terms.singletonStrata).toBe(1);
    sameRatio(ratioFromTerms(terms), ratioFromSums(strata), 'p = 1');
    expect(ratioFromTerms(terms).variance).toBe(0);
    expect(ratioFromTerms(EMPTY_TERMS).estimate).toBeNull();
    expect(ratioFromTerms(EMPTY_TERMS)).toMatchObject({ lower: 0, upper: 1, n: 0 });
  });

  it('terms add up: a partition of the strata summed equals the whole', () => {
    const strata = accumulateSums(randomItems(7, 400, 'proportion'));
    const halves = [strata.filter((_, i) => i % 2 === 0), strata.filter((_, i) => i % 2 === 1)];
    const added: RatioTerms = addTerms(termsOf(halves[0]!), termsOf(halves[1]!));
    const whole = termsOf(strata);
    for (const key of Object.keys(whole) as Array<keyof RatioTerms>) close(added[key], whole[key], key);
    // One stratum's terms: c_h (XY - X Y / n_h).
    const s = strata[0]!;
    const c = s.nStratum / (s.nStratum - 1);
    close(stratumTerms(s).qAB, c * (s.sumW2AB - (s.sumWA * s.sumWB) / s.nStratum), 'qAB');
  });

  it('takes a variance within the rounding of its own terms as 0, and keeps a small true one', () => {
    // A mean score where every review scored 70: the bracket qAA - 2R qAB + R^2 qBB is 0 in exact
    // arithmetic, and rounding noise in floating point; the summation order must not decide the interval.
    const score = 70;
    // Per stratum h: four reviews in the slice of weight 1.5h (others in the stratum are outside it).
    const strata: StratumSums[] = [1, 2, 3].map((h) => {
      const w = 1.5 * h;
      return { stratum: `s${h}`, n: 4, nStratum: 9, sumWA: 4 * w * score, sumWB: 4 * w, sumW2AA: 4 * w * w * score * score, sumW2AB: 4 * w * w * score, sumW2BB: 4 * w * w };
    });
    const exact = termsOf(strata);
    const noisy: RatioTerms = { ...exact, qAA: exact.qAA * (1 + 3e-15), qBB: exact.qBB * (1 - 2e-15) };
    for (const terms of [exact, noisy]) {
      const estimate = ratioFromTerms(terms, { kind: 'mean', bounds: [0, 100] });
      expect(estimate.variance).toBe(0);
      expect([estimate.lower, estimate.upper]).toEqual([score, score]);
    }
    // A true variance a million times smaller than the terms' scale is kept.
    const small: RatioTerms = { ...exact, qAA: exact.qAA * (1 + 1e-6) };
    expect(ratioFromTerms(small, { kind: 'mean', bounds: [0, 100] }).variance).toBeGreaterThan(0);
  });

  it('refuses non-finite terms and an impossible proportion', () => {
    expect(() => ratioFromTerms({ ...EMPTY_TERMS, n: 1, sumWA: 2, sumWB: 1, sumW2BB: 1 })).toThrow(RangeError);
    expect(() => ratioFromTerms({ ...EMPTY_TERMS, n: 1, sumWA: Number.NaN, sumWB: 1, sumW2BB: 1 })).toThrow(RangeError);
  });
});

/* ---------- the engine's per-group path against the per-stratum fold ---------- */

interface Review {
  group: string;
  stratum: string;
  w: number;
  correct: boolean;
  score: number;
  agent: string[];
  qa: string[];
}

const LABELS = ['p.one', 'p.two', 'q.one'];

function reviews(seed: number, count: number): Review[] {
  const r = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const h = Math.floor(r() * 9);
    const agent = r() < 0.4 ? [LABELS[Math.floor(r() * 3)]!, ...(r() < 0.2 ? [LABELS[Math.floor(r() * 3)]!] : [])] : [];
    const qa = r() < 0.8 ? [...new Set(agent)] : r() < 0.5 ? [] : [LABELS[Math.floor(r() * 3)]!];
    return {
      group: `g${Math.floor(r() * 4)}`,
      stratum: h === 8 ? `wf|d${Math.floor(r() * 50)}|rare` : `wf|d${h % 3}|s${h}`,
      w: 1 / [0.5, 0.04, 0.15][h % 3]!,
      correct: h === 0 ? true : r() < 0.88,
      score: Math.round(r() * 100),
      agent: [...new Set(agent)],
      qa,
    };
  });
}

type Columns = Record<string, number>;

function add(target: Columns, key: string, value: number) {
  target[key] = (target[key] ?? 0) + value;
}

/** A review's contributions to the rollup columns (as assay_rollup_apply adds them); per label when label is given. */
function contribution(rv: Review, label?: string): Columns {
  const c: Columns = {};
  const flag = (name: string, on: boolean) => {
    if (!on) return;
    add(c, `n_${name}`, 1);
    add(c, `sum_w_${name}`, rv.w);
    add(c, `sum_w2_${name}`, rv.w * rv.w);
  };
  const agentHas = label ? rv.agent.includes(label) : rv.agent.length > 0;
  const qaHas = label ? rv.qa.includes(label) : rv.qa.length > 0;
  flag('tp', agentHas && qaHas);
  flag('fp', agentHas && !qaHas);
  flag('fn', !agentHas && qaHas);
  if (label) return c;
  add(c, 'n', 1);
  add(c, 'sum_w', rv.w);
  add(c, 'sum_w2', rv.w * rv.w);
  flag('correct', rv.correct);
  add(c, 'sum_w_score', rv.w * rv.score);
  add(c, 'sum_w2_score', rv.w * rv.w * rv.score);
  add(c, 'sum_w2_score2', rv.w * rv.w * rv.score * rv.score);
  return c;
}

/** Rollup rows: per group (and label), stratum, and a random split in two rows, as the rollups keep them. */
function rollupRows(list: Review[], seed: number, perLabel: boolean): Array<{ group: string; stratum: string; columns: Columns }> {
  const r = mulberry32(seed);
  const rows = new Map<string, { group: string; stratum: string; columns: Columns }>();
  for (const rv of list) {
    const labels = perLabel ? [...new Set([...rv.agent, ...rv.qa])] : [undefined];
    for (const label of labels) {
      const group = label ?? rv.group;
      const key = `${group}|${rv.stratum}|${r() < 0.5 ? 0 : 1}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { group, stratum: rv.stratum, columns: {} }));
      for (const [k, v] of Object.entries(contribution(rv, label))) add(row.columns, k, v);
    }
  }
  return [...rows.values()];
}

/** What ratioTerms does in SQL: sum the rows per group and stratum, derive tn, take the spec's sums, add the terms per group. */
function termsRows(rows: ReturnType<typeof rollupRows>, design: Map<string, number>, spec: StratumSumsSpec): TermsKeyedRow[] {
  const perStratum = (filter: (g: string) => boolean, group: string | null, overall: boolean): TermsKeyedRow | null => {
    const sums = new Map<string, Columns>();
    for (const row of rows.filter((x) => filter(x.group))) {
      let s = sums.get(row.stratum);
      if (!s) sums.set(row.stratum, (s = {}));
      for (const [k, v] of Object.entries(row.columns)) add(s, k, v);
    }
    if (sums.size === 0) return null;
    let terms = EMPTY_TERMS;
    let sampleA = 0;
    let sampleB = 0;
    for (const [stratum, c] of sums) {
      if (readsTrueNegatives(spec)) {
        for (const [t, all] of [['n_tn', 'n'], ['sum_w_tn', 'sum_w'], ['sum_w2_tn', 'sum_w2']] as const) {
          const cell = t.replace('_tn', '');
          c[t] = Math.max(0, (c[all] ?? 0) - (c[`${cell}_tp`] ?? 0) - (c[`${cell}_fp`] ?? 0) - (c[`${cell}_fn`] ?? 0));
        }
      }
      const s = stratumSumsFromColumns(stratum, c, design.get(stratum)!, spec);
      if (!s) continue;
      terms = addTerms(terms, stratumTerms(s));
      sampleA += Object.entries(spec.sampleA ?? {}).reduce((a, [k, f]) => a + f * (c[k] ?? 0), 0);
      sampleB += Object.entries(spec.sampleB ?? {}).reduce((a, [k, f]) => a + f * (c[k] ?? 0), 0);
    }
    return {
      overall, g0: group, g1: null, period: null, n: terms.n, strata: terms.strata, singleton_strata: terms.singletonStrata, undesigned: 0,
      sum_wa: terms.sumWA, sum_wb: terms.sumWB, sum_w2bb: terms.sumW2BB, q_aa: terms.qAA, q_ab: terms.qAB, q_bb: terms.qBB, sample_a: sampleA, sample_b: sampleB,
    };
  };
  const groups = [...new Set(rows.map((r) => r.group))].sort();
  return [perStratum(() => true, null, true)!, ...groups.map((g) => perStratum((x) => x === g, g, false)!)];
}

/** The rows the per-stratum fold read: one per group and stratum with its design count. */
function stratumRows(rows: ReturnType<typeof rollupRows>, design: Map<string, number>) {
  return rows.map((r) => ({ g0: r.group, g1: null, period: null, stratum: r.stratum, n_stratum: design.get(r.stratum)!, ...r.columns }));
}

function sameEstimate(a: Estimate, b: Estimate, label: string) {
  for (const f of ['value', 'lower', 'upper', 'se', 'N', 'sampleValue', 'effectiveN'] as const) close(a[f], b[f], `${label} ${f}`, 1e-11);
  expect(a.n, label).toBe(b.n);
}

function sameEstimated(a: Estimated, b: Estimated, label: string) {
  sameEstimate(a.overall, b.overall, `${label} overall`);
  const byKey = new Map(b.groups.map((g) => [g.g0, g.estimate]));
  expect(a.groups.length, label).toBe(b.groups.length);
  for (const g of a.groups) sameEstimate(g.estimate, byKey.get(g.g0)!, `${label} ${g.g0}`);
}

const zeroed = (row: Record<string, number | string | null>) => {
  const keys = ['n', 'sum_w', 'sum_w2', ...['correct', 'tp', 'fp', 'fn'].flatMap((c) => [`n_${c}`, `sum_w_${c}`, `sum_w2_${c}`]), 'sum_w_score', 'sum_w2_score', 'sum_w2_score2'];
  return Object.fromEntries([...Object.entries(row), ...keys.filter((k) => !(k in row)).map((k) => [k, 0])]);
};

describe('termsEstimates (the per-group path) equals the per-stratum fold', () => {
  for (const seed of [3, 17, 29]) {
    const list = reviews(seed, 600 + seed * 10);
    const design = new Map<string, number>();
    for (const rv of list) design.set(rv.stratum, (design.get(rv.stratum) ?? 0) + 1);
    const rows = rollupRows(list, seed + 1, false);
    const old = stratumRows(rows, design).map(zeroed);

    it(`accuracy and QA score by group (seed ${seed})`, () => {
      const accuracy = termsEstimates(termsRows(rows, design, outcomeSpec('correct')), { confidence: 0.95, kind: 'proportion', sample: true });
      sameEstimated(accuracy, outcomeEstimates(old as never, 'correct', { confidence: 0.95 }), 'accuracy');
      const score = termsEstimates(termsRows(rows, design, scoreSpec()), { confidence: 0.9, kind: 'mean', bounds: SCORE_BOUNDS, sample: false });
      sameEstimated(score, scoreEstimates(old as never, { confidence: 0.9 }), 'score');
    });

    it(`decision-level enforcement rates by group, true negatives derived per stratum (seed ${seed})`, () => {
      for (const rate of Object.keys(CONFUSION_RATES) as ConfusionRate[]) {
        const { numerator, denominator } = CONFUSION_RATES[rate];
        const kind = rate === 'f1' ? { kind: 'mean' as const, bounds: [0, 1] as const } : { kind: 'proportion' as const };
        const terms = termsEstimates(termsRows(rows, design, cellSpec(numerator, denominator)), { confidence: 0.95, ...kind, sample: true });
        sameEstimated(terms, decisionConfusionEstimates(old as never, rate, { confidence: 0.95 }), rate);
      }
    });

    it(`per-label rates without true negatives by label, the overall pooling labels (seed ${seed})`, () => {
      const labelRows = rollupRows(list, seed + 2, true);
      const oldLabel = stratumRows(labelRows, design).map((r) => ({ ...zeroed(r) }));
      for (const rate of ['precision', 'recall', 'f1', 'underEnforcementRate'] as const) {
        const { numerator, denominator } = CONFUSION_RATES[rate];
        const spec = cellSpec(numerator, denominator);
        expect(readsTrueNegatives(spec)).toBe(false);
        const kind = rate === 'f1' ? { kind: 'mean' as const, bounds: [0, 1] as const } : { kind: 'proportion' as const };
        const terms = termsEstimates(termsRows(labelRows, design, spec), { confidence: 0.95, ...kind, sample: true });
        const fold = labelConfusionEstimates(oldLabel as never, [], (g) => g, rate, { confidence: 0.95 });
        sameEstimated(terms, fold, rate);
      }
      expect(readsTrueNegatives(cellSpec(CONFUSION_RATES.overEnforcementRate.numerator, CONFUSION_RATES.overEnforcementRate.denominator))).toBe(true);
    });
  }

  it('a query without groups answers its overall as its one group; no rows answer nothing', () => {
    const only = termsEstimates([{ overall: true, g0: null, g1: null, period: null, n: 2, strata: 1, singleton_strata: 0, undesigned: 0, sum_wa: 1, sum_wb: 2, sum_w2bb: 2, q_aa: 1, q_ab: 0, q_bb: 0, sample_a: 1, sample_b: 2 }], { confidence: 0.95, kind: 'proportion', sample: true });
    expect(only.groups).toHaveLength(1);
    expect(only.groups[0]!.estimate).toEqual(only.overall);
    expect(only.overall.value).toBe(0.5);
    const none = termsEstimates([], { confidence: 0.95, kind: 'proportion', sample: true });
    expect(none.groups).toEqual([]);
    expect(none.overall.value).toBeNull();
    expect(() => termsEstimates([{ ...only.groups[0]!, overall: true, n: 2, strata: 1, singleton_strata: 0, undesigned: 1, sum_wa: 1, sum_wb: 2, sum_w2bb: 2, q_aa: 1, q_ab: 0, q_bb: 0, sample_a: 1, sample_b: 2 } as never], { confidence: 0.95, kind: 'proportion', sample: true })).toThrow(RangeError);
  });
});
