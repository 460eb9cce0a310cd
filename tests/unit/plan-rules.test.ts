import { describe, expect, it } from 'vitest';
import {
  bandOf,
  expectedQuotaPerDay,
  placeDecision,
  quotaForDay,
  seededUniform,
  selectCapped,
  selectQuota,
  validatePlanDefinition,
  weightedRate,
} from '../../src/domain/sampling/plan.rules.ts';
import { DEFAULT_PLAN, type SamplingPlanDefinition, type SamplingSubject } from '../../src/domain/sampling/plan.types.ts';
import { addDays, dayEnd, deferredRuleKeys, parseDay, planInForce, ruleKeyOf, type PlanTimelineEntry } from '../../src/domain/sampling/plan-timeline.rules.ts';
import { selectDeferredDay } from '../../src/domain/sampling/day-close.rules.ts';
import { AppError } from '../../src/domain/errors.ts';

/** The pure sampling rules: draws, placement, strata, risk weights, quotas, caps, validation. */

const subject = (over: Partial<SamplingSubject> = {}): SamplingSubject => ({
  decisionId: 'd-1',
  labels: [],
  severity: null,
  vendorId: 'vendor-a',
  siteId: 'site-a',
  tenureDays: 400,
  modelScore: null,
  ...over,
});

const PLAN: SamplingPlanDefinition = {
  tenureBands: [
    { key: 'nesting', below: 30 },
    { key: 'established', below: null },
  ],
  modelScoreBands: [
    { key: 'low', below: 0.5 },
    { key: 'high', below: null },
  ],
  strata: [
    { key: 'critical', name: 'Critical', when: { severities: ['critical'] }, stratifyBy: [], mode: 'all' },
    { key: 'hate', name: 'Hate', when: { labels: ['hate.slur', 'hate.symbol'] }, stratifyBy: ['label', 'tenureBand'], mode: 'rate', rate: 0.1, dailyCap: 5 },
    { key: 'newbies', name: 'New hires', when: { tenureBands: ['nesting'] }, stratifyBy: [], mode: 'quota', quota: { perAgent: 7, period: 'week' } },
    { key: 'base', name: 'Baseline', when: {}, stratifyBy: ['vendor', 'severity', 'modelScoreBand'], mode: 'rate', rate: 0.02 },
  ],
  riskWeights: [
    { when: { siteIds: ['site-risky'] }, weight: 3 },
    { when: { modelScoreBands: ['low'] }, weight: 2 },
  ],
  assumedAccuracy: 0.9,
};

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    validatePlanDefinition(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details;
  }
  return [];
}

describe('seededUniform', () => {
  it('is deterministic in (seed, key), in [0, 1), and changes with either', () => {
    expect(seededUniform('s', 'k')).toBe(seededUniform('s', 'k'));
    expect(seededUniform('s', 'k')).not.toBe(seededUniform('s', 'k2'));
    expect(seededUniform('s', 'k')).not.toBe(seededUniform('s2', 'k'));
    for (let i = 0; i < 5000; i++) {
      const u = seededUniform('seed', `decision-${i}`);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });

  it('is uniform: mean about 1/2 and every tenth about equally full (chi-square, 9 df)', () => {
    const n = 20_000;
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = seededUniform('uniformity', String(i));
      sum += u;
      bins[Math.floor(u * 10)]!++;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    const chi = bins.reduce((acc, count) => acc + (count - n / 10) ** 2 / (n / 10), 0);
    expect(chi).toBeLessThan(27.88); // 99.9th percentile of chi-square with 9 df
  });
});

describe('placeDecision', () => {
  it('puts a decision in the first rule it matches, whatever later rules say', () => {
    // Critical and a hate label and a new hire: the first rule wins.
    const placed = placeDecision(PLAN, 'seed', subject({ labels: ['hate.slur'], severity: 'critical', tenureDays: 3 }));
    expect(placed).toMatchObject({ ruleKey: 'critical', stratumKey: 'critical', mode: 'all', p: 1, selectedNow: true, deferred: false });
    expect(placeDecision(PLAN, 'seed', subject({ labels: ['hate.slur'], severity: 'high', tenureDays: 3 })).ruleKey).toBe('hate');
    expect(placeDecision(PLAN, 'seed', subject({ tenureDays: 3 })).ruleKey).toBe('newbies');
    expect(placeDecision(PLAN, 'seed', subject()).ruleKey).toBe('base');
  });

  it('builds stratum keys from the rule key and the stratify dimensions; label = the most severe label', () => {
    const severity = (label: string) => ({ 'hate.slur': 'critical', 'hate.symbol': 'medium' })[label];
    const two = subject({ labels: ['hate.symbol', 'hate.slur'], severity: 'high', tenureDays: 10 });
    expect(placeDecision(PLAN, 'seed', two, severity).stratumKey).toBe('hate|label=hate.slur|tenure=nesting');
    // Without severities, ties break by key order.
    expect(placeDecision(PLAN, 'seed', two).stratumKey).toBe('hate|label=hate.slur|tenure=nesting');
    const symbolFirst = (label: string) => ({ 'hate.slur': 'low', 'hate.symbol': 'high' })[label];
    expect(placeDecision(PLAN, 'seed', two, symbolFirst).stratumKey).toBe('hate|label=hate.symbol|tenure=nesting');
    expect(placeDecision(PLAN, 'seed', subject({ severity: 'low', labels: ['spam'], modelScore: 0.7 })).stratumKey).toBe('base|vendor=vendor-a|severity=low|score=high');
    expect(placeDecision(PLAN, 'seed', subject()).stratumKey).toBe('base|vendor=vendor-a|severity=none|score=none');
    expect(ruleKeyOf('base|vendor=vendor-a|severity=none')).toBe('base');
    expect(ruleKeyOf('critical')).toBe('critical');
  });

  it('multiplies the rate by every matching risk weight, capped at 1', () => {
    expect(weightedRate(PLAN, PLAN.strata[3]!, subject())).toBeCloseTo(0.02, 12);
    expect(weightedRate(PLAN, PLAN.strata[3]!, subject({ siteId: 'site-risky' }))).toBeCloseTo(0.06, 12);
    expect(weightedRate(PLAN, PLAN.strata[3]!, subject({ siteId: 'site-risky', modelScore: 0.1 }))).toBeCloseTo(0.12, 12);
    const heavy = { ...PLAN, riskWeights: [{ when: {}, weight: 100 }] };
    expect(weightedRate(heavy, PLAN.strata[3]!, subject())).toBe(1);
    expect(placeDecision(PLAN, 'seed', subject({ siteId: 'site-risky' })).p).toBeCloseTo(0.06, 12);
  });

  it('selects a rate decision at ingestion exactly when u < p; defers quotas and capped rates', () => {
    let selected = 0;
    for (let i = 0; i < 2000; i++) {
      const placed = placeDecision(PLAN, 'seed', subject({ decisionId: `d${i}` }));
      expect(placed.u).toBe(seededUniform('seed', `d${i}`));
      expect(placed.selectedNow).toBe(placed.u < placed.p!);
      if (placed.selectedNow) selected++;
    }
    expect(selected).toBeGreaterThan(20); // about 40 expected
    expect(selected).toBeLessThan(65);
    expect(placeDecision(PLAN, 'seed', subject({ tenureDays: 3 }))).toMatchObject({ mode: 'quota', p: null, selectedNow: false, deferred: true });
    expect(placeDecision(PLAN, 'seed', subject({ labels: ['hate.slur'] }))).toMatchObject({ mode: 'rate', p: 0.1, selectedNow: false, deferred: true });
    expect(deferredRuleKeys(PLAN)).toEqual(['hate', 'newbies']);
  });

  it('bands values: below is exclusive, the last band is open, no model score is none', () => {
    expect(bandOf(PLAN.tenureBands, 29)).toBe('nesting');
    expect(bandOf(PLAN.tenureBands, 30)).toBe('established');
    expect(bandOf(PLAN.modelScoreBands, null)).toBe('none');
  });
});

describe('quotas and caps', () => {
  it('quotaForDay gives floor or ceil of perAgent / working days, averaging to it over many days', () => {
    const quota = { perAgent: 7, period: 'week' as const }; // 1.4 a day
    expect(expectedQuotaPerDay(quota)).toBeCloseTo(1.4, 12);
    let total = 0;
    const days = 4000;
    for (let i = 0; i < days; i++) {
      const k = quotaForDay('seed', quota, 'agent-1', addDays('2020-01-01', i));
      expect([1, 2]).toContain(k);
      total += k;
    }
    expect(total / days).toBeGreaterThan(1.4 - 0.03); // sd of the mean is about 0.008
    expect(total / days).toBeLessThan(1.4 + 0.03);
    expect(quotaForDay('seed', quota, 'agent-1', '2026-01-05')).toBe(quotaForDay('seed', quota, 'agent-1', '2026-01-05'));
    expect(quotaForDay('seed', { perAgent: 3, period: 'day' }, 'a', '2026-01-05')).toBe(3);
    expect(expectedQuotaPerDay({ perAgent: 21, period: 'month' })).toBe(1);
  });

  it('selectQuota keeps the k smallest draws with pi = k/N, or all with pi = 1 when N <= k', () => {
    const candidates = [0.9, 0.1, 0.5, 0.3, 0.7].map((u, i) => ({ id: `c${i}`, u, p: 0 }));
    expect(selectQuota(candidates, 2)).toEqual([
      { id: 'c1', inclusionProbability: 0.4 },
      { id: 'c3', inclusionProbability: 0.4 },
    ]);
    expect(selectQuota(candidates, 9).map((s) => s.inclusionProbability)).toEqual([1, 1, 1, 1, 1]);
    expect(selectQuota(candidates, 0)).toEqual([]);
    // Order of arrival does not matter.
    expect(selectQuota([...candidates].reverse(), 2)).toEqual(selectQuota(candidates, 2));
  });

  it('selectCapped keeps the Poisson sample when within the cap, else exactly cap by u/p with pi = p cap / sum p', () => {
    const few = [
      { id: 'a', u: 0.05, p: 0.1 },
      { id: 'b', u: 0.5, p: 0.1 },
      { id: 'c', u: 0.15, p: 0.2 },
    ];
    expect(selectCapped(few, 2)).toEqual([
      { id: 'a', inclusionProbability: 0.1 },
      { id: 'c', inclusionProbability: 0.2 },
    ]);
    const many = Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, u: (i + 0.5) / 20, p: i < 5 ? 0.5 : 0.25 }));
    // u < p for m0..m4 (u 0.025..0.225 < 0.5) and m5..m9? u 0.275.. >= 0.25: 5 Poisson picks > cap 3.
    const chosen = selectCapped(many, 3);
    expect(chosen).toHaveLength(3);
    const total = 5 * 0.5 + 5 * 0.25;
    const ranked = [...many].sort((x, y) => x.u / x.p - y.u / y.p).slice(0, 3);
    expect(chosen.map((s) => s.id)).toEqual(ranked.map((c) => c.id));
    for (const s of chosen) expect(s.inclusionProbability).toBeCloseTo((many.find((c) => c.id === s.id)!.p * 3) / total, 12);
  });

  it('selectDeferredDay runs the quota per agent and the cap per stratum, and tallies them', () => {
    const seed = 'close-seed';
    const day = '2026-01-05';
    const plan: SamplingPlanDefinition = {
      ...PLAN,
      strata: [
        { key: 'q', name: 'Quota', when: { tenureBands: ['nesting'] }, stratifyBy: [], mode: 'quota', quota: { perAgent: 2, period: 'day' } },
        { key: 'c', name: 'Capped', when: {}, stratifyBy: [], mode: 'rate', rate: 0.5, dailyCap: 2 },
      ],
    };
    const candidates = [
      ...['a1', 'a2', 'a3', 'a4'].map((id) => ({ id, agentId: 'A', stratumKey: 'q', p: null, u: seededUniform(seed, id) })),
      { id: 'b1', agentId: 'B', stratumKey: 'q', p: null, u: 0.5 },
      ...Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, agentId: 'C', stratumKey: 'c', p: 0.5, u: seededUniform(seed, `c${i}`) })),
    ];
    const { selections, strata } = selectDeferredDay(plan, seed, day, candidates);
    const quotaA = selections.filter((s) => s.id.startsWith('a'));
    expect(quotaA).toHaveLength(2);
    expect(quotaA.every((s) => s.inclusionProbability === 0.5 && s.method === 'quota')).toBe(true);
    expect(selections.find((s) => s.id === 'b1')).toEqual({ id: 'b1', stratumKey: 'q', inclusionProbability: 1, method: 'quota' });
    const capped = selections.filter((s) => s.stratumKey === 'c');
    expect(capped).toHaveLength(2);
    for (const s of capped) expect(s.inclusionProbability).toBeCloseTo((0.5 * 2) / 10, 12);
    expect(strata).toEqual([
      { stratumKey: 'c', population: 20, expected: expect.closeTo(2, 9), selected: 2 },
      { stratumKey: 'q', population: 5, expected: 3, selected: 3 },
    ]);
  });
});

describe('validatePlanDefinition', () => {
  it('accepts the default plan and the test plan, and normalises them', () => {
    expect(validatePlanDefinition(DEFAULT_PLAN)).toEqual({ ...DEFAULT_PLAN, strata: DEFAULT_PLAN.strata.map((r) => (r.mode === 'rate' ? { ...r, dailyCap: null } : r)) });
    expect(validatePlanDefinition(PLAN).strata).toHaveLength(4);
  });

  it('reports every problem with its JSON pointer under /definition', () => {
    const bad = {
      ...PLAN,
      assumedAccuracy: 1.2,
      strata: [
        { key: 'Bad Key', name: '', when: { colour: ['red'] }, stratifyBy: ['shoe'], mode: 'rate', rate: 0 },
        { key: 'q', name: 'Q', when: { severities: ['huge'] }, stratifyBy: [], mode: 'quota', quota: { perAgent: 0, period: 'year' } },
        { key: 'last', name: 'Last', when: { positive: true }, stratifyBy: [], mode: 'rate', rate: 0.1, dailyCap: 0 },
      ],
      riskWeights: [{ when: { tenureBands: ['ancient'] }, weight: 0 }],
    };
    expect(issuesOf(bad).map((i) => i.path).sort()).toEqual(
      [
        '/definition/assumedAccuracy',
        '/definition/strata/0/key',
        '/definition/strata/0/name',
        '/definition/strata/0/when/colour',
        '/definition/strata/0/stratifyBy',
        '/definition/strata/0/rate',
        '/definition/strata/1/when/severities/0',
        '/definition/strata/1/quota/perAgent',
        '/definition/strata/1/quota/period',
        '/definition/strata/2/dailyCap',
        '/definition/strata/2/when',
        '/definition/riskWeights/0/when/tenureBands/0',
        '/definition/riskWeights/0/weight',
      ].sort(),
    );
    expect(issuesOf(null)).toEqual([{ path: '/definition', message: 'Must be an object.' }]);
  });
});

describe('plan timelines and days', () => {
  const entry = (id: string, at: string): PlanTimelineEntry => ({
    id, workflowId: 'w', version: 1, status: 'superseded', effectiveFrom: new Date(at), definition: PLAN, seed: 's',
  });
  const timeline = [entry('v1', '2026-01-01T00:00:00Z'), entry('v2', '2026-02-01T00:00:00Z'), entry('v3', '2026-03-01T12:00:00Z')];

  it('planInForce picks the last version taking effect at or before the instant', () => {
    expect(planInForce(timeline, new Date('2025-12-31T23:59:59Z'))).toBeNull();
    expect(planInForce(timeline, new Date('2026-01-01T00:00:00Z'))?.id).toBe('v1');
    expect(planInForce(timeline, new Date('2026-02-15T00:00:00Z'))?.id).toBe('v2');
    expect(planInForce(timeline, new Date('2026-03-01T11:59:59Z'))?.id).toBe('v2');
    expect(planInForce(timeline, new Date('2027-01-01T00:00:00Z'))?.id).toBe('v3');
    expect(planInForce([], new Date())).toBeNull();
  });

  it('handles UTC days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(dayEnd('2026-01-05').toISOString()).toBe('2026-01-06T00:00:00.000Z');
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2028-02-29')).toBe('2028-02-29');
    expect(parseDay('5 Jan')).toBeNull();
  });
});
