import { describe, expect, it } from 'vitest';
import { inclusionProbabilities, marginOfError, previewPlan, type PreviewDecision } from '../../src/domain/sampling/plan-preview.ts';
import type { SamplingPlanDefinition, StratumRule } from '../../src/domain/sampling/plan.types.ts';
import { addDays } from '../../src/domain/sampling/plan-timeline.rules.ts';

/**
 * The preview's expected samples and margins of error, against hand
 * calculations: simple random sampling n of N has
 * MOE = 1.96 sqrt(p (1 - p) / n * (1 - n / N)).
 */

const FROM = '2026-01-01';
const TO = '2026-01-28';
const DAYS = 28;

const bands = {
  tenureBands: [
    { key: 'nesting', below: 30 },
    { key: 'established', below: null },
  ],
  modelScoreBands: [{ key: 'any', below: null }],
};

function plan(strata: StratumRule[], assumedAccuracy = 0.9, riskWeights: SamplingPlanDefinition['riskWeights'] = []): SamplingPlanDefinition {
  return { ...bands, strata, riskWeights, assumedAccuracy };
}

const rate = (key: string, r: number, when = {}, extra: Partial<StratumRule> = {}): StratumRule => ({ key, name: key, when, stratifyBy: [], mode: 'rate', rate: r, ...extra });

/** `perDay` decisions a day for `days` days from FROM, spread over `agents` agents. */
function decisions(perDay: number, options: { days?: number; start?: string; agents?: number; labels?: string[]; tenureDays?: number; prefix?: string; siteId?: string } = {}): PreviewDecision[] {
  const out: PreviewDecision[] = [];
  const agents = options.agents ?? 10;
  for (let d = 0; d < (options.days ?? DAYS); d++) {
    const day = addDays(options.start ?? FROM, d);
    for (let i = 0; i < perDay; i++) {
      out.push({
        id: `${options.prefix ?? 'd'}-${day}-${i}`,
        labels: options.labels ?? [],
        severity: null,
        vendorId: 'v1',
        siteId: options.siteId ?? 's1',
        tenureDays: options.tenureDays ?? 400,
        modelScore: null,
        agentId: `agent-${i % agents}`,
        day,
      });
    }
  }
  return out;
}

const srs = (p: number, n: number, N: number) => 1.96 * Math.sqrt((p * (1 - p)) / n * (1 - n / N));
const window = { from: FROM, to: TO, days: DAYS };

describe('margin of error', () => {
  it('reduces to the simple-random-sampling formula when pi = n/N', () => {
    // n = 10 of N = 100: sum (1 - pi)/pi = 100 * 9 = 900.
    expect(marginOfError(0.9, 900, 100)).toBeCloseTo(srs(0.9, 10, 100), 12);
    expect(marginOfError(0.9, 900, 100)).toBeCloseTo(0.1764, 12);
    expect(marginOfError(0.5, 0, 100)).toBe(0); // a census
    expect(marginOfError(0.5, 10, 0)).toBe(0);
  });
});

describe('previewPlan', () => {
  it('100 decisions a day at rate 0.1: 10 a day, and the SRS margins for a day, a week and a month', () => {
    const preview = previewPlan(plan([rate('base', 0.1)]), decisions(100), window);
    expect(preview).toMatchObject({ from: FROM, to: TO, days: 28, observedDays: 28, decisions: 2800, sampledFraction: 1, assumedAccuracy: 0.9, note: null });
    expect(preview.total.dailyPopulation).toBeCloseTo(100, 9);
    expect(preview.total.dailyExpectedSample).toBeCloseTo(10, 9);
    expect(preview.total.marginOfErrorDay).toBeCloseTo(srs(0.9, 10, 100), 9); // 0.1764
    expect(preview.total.marginOfErrorWeek).toBeCloseTo(srs(0.9, 70, 700), 9); // 0.0667
    expect(preview.total.marginOfErrorMonth).toBeCloseTo(srs(0.9, 300, 3000), 9);
    expect(preview.strata).toEqual([
      {
        stratumKey: 'base', ruleKey: 'base', name: 'base', mode: 'rate',
        dailyPopulation: expect.closeTo(100, 9), dailyExpectedSample: expect.closeTo(10, 9), expectedRate: expect.closeTo(0.1, 12),
        marginOfErrorWeek: expect.closeTo(srs(0.9, 70, 700), 9),
      },
    ]);
  });

  it('adds the strata of a stratified design: sum over strata of N_h (1 - pi_h) / pi_h', () => {
    // 20 new-hire decisions a day at 0.5 (0.1 x weight 5), 80 established at 0.1; plus 5 positives a day, all reviewed.
    const definition = plan(
      [
        { key: 'positives', name: 'Every positive', when: { positive: true }, stratifyBy: [], mode: 'all' },
        { ...rate('base', 0.1), stratifyBy: ['tenureBand'] },
      ],
      0.8,
      [{ when: { tenureBands: ['nesting'] }, weight: 5 }],
    );
    const data = [
      ...decisions(20, { tenureDays: 10, prefix: 'new' }),
      ...decisions(80, { prefix: 'old' }),
      ...decisions(5, { labels: ['spam'], prefix: 'pos' }),
    ];
    const preview = previewPlan(definition, data, window);
    const p = 0.8;
    const dailyTerms = 20 * (1 - 0.5) / 0.5 + 80 * (1 - 0.1) / 0.1 + 0; // 20 + 720
    const dailyN = 105;
    expect(preview.total.dailyExpectedSample).toBeCloseTo(5 + 10 + 8, 9);
    expect(preview.total.marginOfErrorDay).toBeCloseTo((1.96 * Math.sqrt(p * (1 - p) * dailyTerms)) / dailyN, 9);
    expect(preview.total.marginOfErrorWeek).toBeCloseTo((1.96 * Math.sqrt(p * (1 - p) * dailyTerms * 7)) / (dailyN * 7), 9);
    expect(preview.strata.map((s) => [s.stratumKey, s.dailyPopulation, s.dailyExpectedSample])).toEqual([
      ['positives', 5, 5],
      ['base|tenure=established', 80, expect.closeTo(8, 9)],
      ['base|tenure=nesting', 20, expect.closeTo(10, 9)],
    ]);
    expect(preview.strata[0]!.marginOfErrorWeek).toBe(0);
    expect(preview.strata[2]!.expectedRate).toBeCloseTo(0.5, 12);
    expect(preview.strata[2]!.marginOfErrorWeek).toBeCloseTo(srs(p, 70, 140), 9);
  });

  it('spreads a binding daily cap as p * cap / sum p, and leaves a loose one alone', () => {
    // 100 a day at 0.5: sum p = 50 > cap 10, so pi = 0.1 and 10 a day: the same margins as SRS 10 of 100.
    const capped = previewPlan(plan([rate('base', 0.5, {}, { dailyCap: 10 })]), decisions(100), window);
    expect(capped.total.dailyExpectedSample).toBeCloseTo(10, 9);
    expect(capped.total.marginOfErrorDay).toBeCloseTo(srs(0.9, 10, 100), 9);
    const loose = previewPlan(plan([rate('base', 0.05, {}, { dailyCap: 10 })]), decisions(100), window);
    expect(loose.total.dailyExpectedSample).toBeCloseTo(5, 9);
    // Unequal p within a capped day: pi_i = p_i * cap / sum p.
    const weighted = plan([rate('base', 0.2, {}, { dailyCap: 6 })], 0.9, [{ when: { siteIds: ['risky'] }, weight: 2 }]);
    const pis = inclusionProbabilities(weighted, [...decisions(30, { days: 1 }), ...decisions(20, { days: 1, siteId: 'risky', prefix: 'r' })]);
    const sum = 30 * 0.2 + 20 * 0.4; // 14
    expect(pis.filter((x) => x.decision.siteId === 's1').every((x) => Math.abs(x.pi - (0.2 * 6) / sum) < 1e-12)).toBe(true);
    expect(pis.filter((x) => x.decision.siteId === 'risky').every((x) => Math.abs(x.pi - (0.4 * 6) / sum) < 1e-12)).toBe(true);
    expect(pis.reduce((t, x) => t + x.pi, 0)).toBeCloseTo(6, 9);
  });

  it('gives a quota pi = min(1, k / N) per agent-day with k = perAgent / working days', () => {
    const quota = (perAgent: number, period: 'day' | 'week' | 'month'): StratumRule => ({ key: 'q', name: 'Quota', when: {}, stratifyBy: [], mode: 'quota', quota: { perAgent, period } });
    // 4 agents x 20 decisions a day; 5 a week = 1 a day: pi = 1/20, 4 a day.
    const weekly = previewPlan(plan([quota(5, 'week')]), decisions(80, { agents: 4 }), window);
    expect(weekly.total.dailyExpectedSample).toBeCloseTo(4, 9);
    expect(weekly.total.marginOfErrorDay).toBeCloseTo(srs(0.9, 4, 80), 9);
    // 10 a day but an agent with only 3 decisions: all 3 (pi = 1), and 10 of the other agent's 40.
    const data = [...decisions(3, { agents: 1, prefix: 'few' }), ...decisions(40, { agents: 1, prefix: 'many' }).map((d) => ({ ...d, agentId: 'busy' }))];
    const pis = inclusionProbabilities(plan([quota(10, 'day')]), data);
    expect(pis.filter((x) => x.decision.agentId === 'agent-0').every((x) => x.pi === 1)).toBe(true);
    expect(pis.filter((x) => x.decision.agentId === 'busy').every((x) => x.pi === 0.25)).toBe(true);
    const daily = previewPlan(plan([quota(10, 'day')]), data, window);
    expect(daily.total.dailyExpectedSample).toBeCloseTo(13, 9);
  });

  it('scales a deterministic subset back up, and averages a young workflow over the days it has existed', () => {
    const all = decisions(100);
    const half = all.filter((_, i) => i % 2 === 0);
    const full = previewPlan(plan([rate('base', 0.1)]), all, window);
    const scaled = previewPlan(plan([rate('base', 0.1)]), half, { ...window, totalDecisions: all.length, scale: 2 });
    expect(scaled.decisions).toBe(2800);
    expect(scaled.sampledFraction).toBeCloseTo(0.5, 12);
    expect(scaled.total.dailyPopulation).toBeCloseTo(full.total.dailyPopulation, 9);
    expect(scaled.total.marginOfErrorWeek).toBeCloseTo(full.total.marginOfErrorWeek, 9);

    const young = previewPlan(plan([rate('base', 0.1)]), decisions(100, { start: '2026-01-22', days: 7 }), window);
    expect(young.observedDays).toBe(7);
    expect(young.total.dailyPopulation).toBeCloseTo(100, 9);
  });

  it('says so when there is no history: zeros, one row per rule, and a note', () => {
    const preview = previewPlan(plan([{ key: 'crit', name: 'Critical', when: { severities: ['critical'] }, stratifyBy: [], mode: 'all' }, rate('base', 0.1)]), [], window);
    expect(preview.decisions).toBe(0);
    expect(preview.total).toEqual({ dailyPopulation: 0, dailyExpectedSample: 0, marginOfErrorDay: 0, marginOfErrorWeek: 0, marginOfErrorMonth: 0 });
    expect(preview.strata.map((s) => [s.stratumKey, s.dailyPopulation, s.marginOfErrorWeek])).toEqual([
      ['crit', 0, 0],
      ['base', 0, 0],
    ]);
    expect(preview.note).toMatch(/needs history/);
  });
});
