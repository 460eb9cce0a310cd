import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { accumulateConfusionSums, confusionMetrics, confusionSumsByLabel } from '../../src/domain/stats/confusion-estimation.ts';
import { hajekProportion } from '../../src/domain/stats/estimation.ts';
import { accumulateSums, ratioFromSums } from '../../src/domain/stats/ratio-estimation.ts';
import { MEASURES } from '../../src/domain/metrics/metric-catalogue.rules.ts';
import {
  decisionConfusionEstimates,
  labelConfusionEstimates,
  outcomeEstimates,
  scoreEstimates,
  type Estimate,
  type Estimated,
} from '../../src/domain/metrics/metric-estimates.rules.ts';
import { parseMetricsQuery, type MetricQuery } from '../../src/domain/metrics/metric-query.rules.ts';
import { estimateMetric } from '../../src/domain/metrics/metrics.service.ts';
import { stratumSums, type Slice } from '../../src/db/repositories/metrics.repository.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { expectSameEstimate, FROM, groupOf, metrics, RANGE, TO, TOLERANCE, useMetricsWorld, type Item } from '../support/metrics-world.ts';

/**
 * The metrics API's figures on the demo organisation (real PostgreSQL, real
 * rollups): every figure equals the same estimator computed independently from
 * the reviewed items (weights 1/pi, design strata workflow x decision day x plan
 * stratum), and the per-group SQL path equals the per-stratum fold it replaced.
 */
const world = useMetricsWorld();

describe('estimates', () => {
  it('accuracy by vendor equals the item-level domain estimate, and the overall the Hajek estimate', async () => {
    const items = await world.reviewedItems();
    const body = await metrics(world.asAdmin, 'measure=accuracy&by=vendor');
    const vendors = [...new Set(items.map((i) => i.vendorId))];
    expect(vendors.length).toBeGreaterThanOrEqual(3);
    expect(body.groups.map((g) => g.key.vendor).sort()).toEqual([...vendors].sort());
    for (const vendor of vendors) {
      // Domain estimation: items of other vendors stay in their strata with a = b = 0.
      const expected = ratioFromSums(accumulateSums(items.map((i) => ({ stratum: i.stratum, w: i.w, a: i.vendorId === vendor && i.correct ? 1 : 0, b: i.vendorId === vendor ? 1 : 0 }))));
      const group = groupOf(body, 'vendor', vendor)!;
      expectSameEstimate(group, expected, `vendor ${vendor}`);
      const mine = items.filter((i) => i.vendorId === vendor);
      expect(group.sampleValue!).toBeCloseTo(mine.filter((i) => i.correct).length / mine.length, 12);
      expect(group.names.vendor).toBeTruthy();
    }
    const hajek = hajekProportion(items.map((i) => ({ y: i.correct ? 1 : 0, pi: 1 / i.w, stratum: i.stratum })));
    expect(Math.abs(body.overall.value! - hajek.estimate!)).toBeLessThan(TOLERANCE);
    expect(Math.abs(body.overall.se! - hajek.se!)).toBeLessThan(TOLERANCE);
    expect(body.overall.n).toBe(items.length);
    expectSameEstimate(body.overall, ratioFromSums(accumulateSums(items.map((i) => ({ stratum: i.stratum, w: i.w, a: i.correct ? 1 : 0, b: 1 })))), 'overall');
    expect(body).toMatchObject({ measure: 'accuracy', kind: 'proportion', by: ['vendor'], from: FROM, to: TO, confidence: 0.95, minN: 30 });
    // Sorted by name; every group is compared with the overall.
    expect(body.groups.map((g) => g.names.vendor)).toEqual([...body.groups.map((g) => g.names.vendor!)].sort((a, b) => a.localeCompare(b)));
    for (const g of body.groups) {
      expect(g.versusOverall).toBe(g.lower! > body.overall.value! ? 'above' : g.upper! < body.overall.value! ? 'below' : 'within');
      expect(g.shrunk).not.toBeNull();
    }
  });

  it('marks an agent only when the comparison with the overall survives the number of agents compared (Benjamini-Hochberg)', async () => {
    let alone = 0;
    let credible = 0;
    for (const measure of ['accuracy', 'qa_score', 'dispute_rate'] as const) {
      const body = await metrics(world.asAdmin, `measure=${measure}&by=agent&minN=5`);
      const overall = body.overall.value!;
      const tested = body.groups.filter((g) => g.pValue !== null);
      expect(tested.length, measure).toBeGreaterThan(5);
      alone += body.groups.filter((g) => g.versusOverall !== 'within').length;
      credible += body.groups.filter((g) => g.credibleVersusOverall !== 'within').length;
      for (const g of body.groups) {
        if (g.tooFew) expect([g.pValue, g.qValue, g.credibleVersusOverall], measure).toEqual([null, null, 'within']);
        if (g.pValue === null) continue;
        // The p-value is the test the interval inverts: below 5% exactly when the interval excludes the overall.
        const nearEdge = Math.abs(g.lower! - overall) < 1e-9 || Math.abs(g.upper! - overall) < 1e-9;
        if (!nearEdge) expect(g.pValue < 0.05, `${measure} ${g.key.agent}`).toBe(g.versusOverall !== 'within');
        // Adjusted by an independent O(m^2) reading of the procedure: q_i = min over p_j >= p_i of p_j m / rank_j.
        const m = tested.length;
        const ranked = tested.map((t) => t.pValue!).sort((a, b) => a - b);
        const q = Math.min(1, ...ranked.map((p, j) => (p >= g.pValue! ? (p * m) / (ranked.lastIndexOf(p) + 1) : 1)));
        expect(g.qValue!, measure).toBeCloseTo(Math.max(g.pValue, q), 12);
        expect(g.credibleVersusOverall, measure).toBe(g.qValue! <= 0.05 ? (g.value! > overall ? 'above' : 'below') : 'within');
        // A credible mark is also a mark of the agent's interval alone, on the same side; never the reverse.
        if (g.credibleVersusOverall !== 'within') expect(g.versusOverall).toBe(g.credibleVersusOverall);
      }
    }
    // On this demo (about 40 agents with 5+ reviews per measure): some marks survive, and some interval-alone marks do not.
    expect(credible).toBeGreaterThan(0);
    expect(alone).toBeGreaterThan(credible);
  });

  it('the mean QA score and the decision-level over-enforcement rate by vendor match the items', async () => {
    const items = await world.reviewedItems();
    const scores = await metrics(world.asAdmin, 'measure=qa_score&by=vendor');
    const over = await metrics(world.asAdmin, 'measure=over_enforcement_rate&by=vendor');
    expect(scores.kind).toBe('mean');
    for (const vendor of new Set(items.map((i) => i.vendorId))) {
      const inVendor = (i: Item) => i.vendorId === vendor;
      const score = ratioFromSums(accumulateSums(items.map((i) => ({ stratum: i.stratum, w: i.w, a: inVendor(i) ? i.score : 0, b: inVendor(i) ? 1 : 0 }))), { kind: 'mean', bounds: [0, 100] });
      expectSameEstimate(groupOf(scores, 'vendor', vendor)!, score, `qa_score ${vendor}`);
      expect(groupOf(scores, 'vendor', vendor)!.sampleValue).toBeNull();
      const cells = accumulateConfusionSums(items.map((i) => ({ stratum: i.stratum, w: i.w, agentHas: i.agentLabels.length > 0, qaHas: i.qaLabels.length > 0, inDomain: inVendor(i) })));
      expectSameEstimate(groupOf(over, 'vendor', vendor)!, confusionMetrics(cells).overEnforcementRate, `over-enforcement ${vendor}`);
    }
  });

  it('precision and over-enforcement per label match the per-label confusion estimates', async () => {
    const items = await world.reviewedItems();
    const byLabel = confusionSumsByLabel(items.map((i) => ({ stratum: i.stratum, w: i.w, agentLabels: i.agentLabels, qaLabels: i.qaLabels })));
    const precision = await metrics(world.asAdmin, 'measure=precision&by=label');
    const over = await metrics(world.asAdmin, 'measure=over_enforcement_rate&by=label');
    let compared = 0;
    for (const [label, strata] of byLabel) {
      const expected = confusionMetrics(strata);
      if (expected.precision.estimate !== null) {
        expectSameEstimate(groupOf(precision, 'label', label)!, expected.precision, `precision ${label}`);
        compared += 1;
      }
      expectSameEstimate(groupOf(over, 'label', label)!, expected.overEnforcementRate, `over-enforcement ${label}`);
    }
    expect(compared).toBeGreaterThan(10);
    expect(precision.groups.every((g) => g.names.label !== null)).toBe(true);
  });

  it('the per-group path (strata summed in SQL, smallest cuboid) equals the per-stratum fold it replaced, slice by slice', async () => {
    const actor = systemActor('metrics test');
    const cells = ['n_tp', 'sum_w_tp', 'sum_w2_tp', 'n_fp', 'sum_w_fp', 'sum_w2_fp', 'n_fn', 'sum_w_fn', 'sum_w2_fn'] as const;
    const totals = ['n', 'sum_w', 'sum_w2'] as const;
    const sliceOf = (q: MetricQuery): Slice => ({ by: q.by, filters: q.filters.map(({ dimension, values }) => ({ dimension, values })), from: q.from, to: q.to, grain: q.grain });
    /** The fold as it was: every row per group and stratum from the finest rollups, strata merged in JavaScript. */
    async function fold(q: MetricQuery): Promise<Estimated> {
      const options = { confidence: q.confidence };
      const measure = MEASURES[q.measure];
      if (measure.family === 'outcome') {
        const o = measure.outcome!;
        return outcomeEstimates(await stratumSums(world.database.db, 'quality_rollup', sliceOf(q), ['n', 'sum_w', 'sum_w2', `n_${o}`, `sum_w_${o}`, `sum_w2_${o}`]) as never, o, options);
      }
      if (measure.family === 'score') return scoreEstimates(await stratumSums(world.database.db, 'quality_rollup', sliceOf(q), [...totals, 'sum_w_score', 'sum_w2_score', 'sum_w2_score2']), options);
      const labelled = [...q.by, ...q.filters.map((f) => f.dimension)].some((d) => d === 'label' || d === 'policy');
      if (!labelled) return decisionConfusionEstimates(await stratumSums(world.database.db, 'quality_rollup', sliceOf(q), [...totals, ...cells]), measure.rate!, options);
      const kept = q.by.flatMap((d, i) => (d !== 'label' && d !== 'policy' ? [i] : []));
      const totalsQuery = { ...q, by: kept.map((i) => q.by[i]!), filters: q.filters.filter((f) => f.dimension !== 'label' && f.dimension !== 'policy') };
      const key = (row: { g0: string | null; g1: string | null; period: string | null }) => {
        const g = [row.g0, row.g1];
        return { g0: kept[0] === undefined ? null : g[kept[0]]!, g1: kept[1] === undefined ? null : g[kept[1]]!, period: row.period };
      };
      return labelConfusionEstimates(
        await stratumSums(world.database.db, 'quality_label_rollup', sliceOf(q), cells),
        await stratumSums(world.database.db, 'quality_rollup', sliceOf(totalsQuery), totals),
        key,
        measure.rate!,
        options,
      );
    }
    const same = (a: Estimate, b: Estimate, label: string) => {
      // Where the true variance is 0 (a reviewer who gave every review 100) both paths return rounding
      // noise of order sqrt(machine epsilon) x the scale for se: there the bounds agree to 1e-6 x scale.
      const scale = Math.max(1, Math.abs(b.value ?? 1));
      const noise = (a.se ?? 0) < 1e-5 * scale && (b.se ?? 0) < 1e-5 * scale;
      for (const f of ['value', 'lower', 'upper', 'se', 'N', 'sampleValue', 'effectiveN'] as const) {
        const [x, y] = [a[f], b[f]];
        const tolerance = noise && (f === 'lower' || f === 'upper' || f === 'se') ? 1e-6 * scale : TOLERANCE * Math.max(1, Math.abs(y ?? 0));
        if (x === null || y === null) expect(x, `${label} ${f}`).toBe(y);
        else expect(Math.abs(x - y), `${label} ${f}: ${x} vs ${y}`).toBeLessThanOrEqual(tolerance);
      }
      expect(a.n, `${label} n`).toBe(b.n);
    };
    const queries = [
      'measure=accuracy',
      `measure=accuracy&by=agent&filter=vendor:${world.coralpoint.id}`,
      'measure=accuracy&by=vendor&grain=week',
      'measure=critical_error_rate&by=team&grain=month',
      'measure=pass_rate&by=severity,tenure_band',
      'measure=qa_score&by=reviewer',
      'measure=qa_score&by=site,workflow',
      'measure=over_enforcement_rate&by=workflow',
      'measure=under_enforcement_rate&by=agent',
      'measure=f1&by=vendor',
      'measure=precision&by=vendor,label',
      'measure=recall&by=policy',
      'measure=f1&by=label&grain=month',
      'measure=under_enforcement_rate&by=team,label',
      'measure=over_enforcement_rate&by=label,vendor',
      `measure=precision&by=label&filter=vendor:${world.coralpoint.id}`,
    ];
    let groups = 0;
    for (const raw of queries) {
      const q = parseMetricsQuery(Object.fromEntries(new URLSearchParams(`${raw}&${RANGE}`)), TO);
      const [now, before] = [await estimateMetric(world.database.db, actor, q), await fold(q)];
      same(now.overall, before.overall, `${raw} overall`);
      const id = (g: { g0: string | null; g1: string | null; period: string | null }) => `${g.g0}|${g.g1}|${g.period}`;
      const expected = new Map(before.groups.map((g) => [id(g), g.estimate]));
      expect(now.groups.map(id).sort(), raw).toEqual([...expected.keys()].sort());
      for (const g of now.groups) same(g.estimate, expected.get(id(g))!, `${raw} ${id(g)}`);
      groups += now.groups.length;
    }
    expect(groups).toBeGreaterThan(300);
  });

  it('aht and volume are a census from the production aggregates', async () => {
    const { rows } = await sql<{ decisions: number; ms: number }>`
      SELECT count(*)::int AS decisions, sum(handle_time_ms)::float8 AS ms FROM decisions WHERE decided_day BETWEEN ${FROM}::date AND ${TO}::date`.execute(world.database.db);
    const volume = await metrics(world.asAdmin, 'measure=volume');
    const aht = await metrics(world.asAdmin, 'measure=aht&by=label');
    expect(volume.overall).toMatchObject({ value: rows[0]!.decisions, lower: rows[0]!.decisions, upper: rows[0]!.decisions, se: null, n: rows[0]!.decisions });
    expect(aht.kind).toBe('duration');
    expect(aht.overall.value!).toBeCloseTo(rows[0]!.ms / rows[0]!.decisions, 6);
    expect(aht.groups.find((g) => g.key.label === '')!.names.label).toBe('No violation');
  });
});
