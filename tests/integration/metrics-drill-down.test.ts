import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { ParetoResponse } from '../../src/domain/metrics/metrics.types.ts';
import { accumulateSums, ratioFromSums } from '../../src/domain/stats/ratio-estimation.ts';
import { expectSameEstimate, FROM, groupOf, json, metrics, RANGE, TO, useMetricsWorld } from '../support/metrics-world.ts';

/**
 * The drill-down lists exactly the reviews behind a figure or a Pareto bar, the
 * control chart and Pareto add up, and the figures follow a revision at once.
 */
const world = useMetricsWorld();

describe('drill-down, control chart and Pareto', () => {
  it('lists exactly the reviews of a vendor-week, and its failing ones', async () => {
    const weekly = await metrics(world.asAdmin, 'measure=accuracy&by=vendor&grain=week');
    const group = weekly.groups.filter((g) => g.n >= 5 && g.sampleValue! < 1).sort((a, b) => b.n - a.n)[0]!;
    expect(group).toBeDefined();
    const base = `/api/metrics/reviews?filter=vendor:${group.key.vendor}&period=${group.period}&grain=week&measure=accuracy&${RANGE}`;
    const all = await world.asAdmin('GET', `${base}&limit=200`);
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().total).toBe(group.n);
    expect(all.json().items).toHaveLength(group.n);
    const failing = await world.asAdmin('GET', `${base}&outcome=failing&limit=2`);
    const incorrect = group.n - Math.round(group.sampleValue! * group.n);
    expect(failing.json().total).toBe(incorrect);
    for (const item of failing.json().items as Array<{ correct: boolean; vendorId: string; decision: { decidedAt: string } }>) {
      expect(item.correct).toBe(false);
      expect(item.vendorId).toBe(group.key.vendor);
      expect(item.decision.decidedAt.slice(0, 10) >= group.period!).toBe(true);
    }
    // Per label: precision's denominator is the agent's positives for the label.
    const labels = await metrics(world.asAdmin, 'measure=precision&by=label');
    const label = labels.groups.sort((a, b) => b.n - a.n)[0]!;
    const positives = await world.asAdmin('GET', `/api/metrics/reviews?filter=label:${label.key.label}&measure=precision&${RANGE}&limit=1`);
    expect(positives.json().total).toBe(label.n);
  });

  it('a Pareto bar opens its reviews: the error_type / root_cause drill-down total is the bar’s n, with the page’s filters too', async () => {
    for (const extra of ['', `&filter=vendor:${world.coralpoint.id}`]) {
      for (const kind of ['error_type', 'root_cause'] as const) {
        const pareto = await json<ParetoResponse>(world.asAdmin, `/api/metrics/pareto?kind=${kind}${extra}&${RANGE}`);
        expect(pareto.items.length).toBeGreaterThan(1);
        for (const item of pareto.items) {
          const filter = `${extra ? `${extra.slice('&filter='.length)},` : ''}${kind}:${item.key}`;
          const drill = await json<{ total: number; items: Array<{ errorTypes: string[]; rootCauses: string[] }> }>(world.asAdmin, `/api/metrics/reviews?filter=${filter}&${RANGE}&limit=200`);
          expect(drill.total, `${kind} ${item.key} ${extra}`).toBe(item.n);
          for (const review of drill.items) expect(kind === 'error_type' ? review.errorTypes : review.rootCauses).toContain(item.key);
        }
      }
    }
    // Two values of one dimension: either (the reviews with both are counted once).
    const [a, b] = (await json<ParetoResponse>(world.asAdmin, `/api/metrics/pareto?kind=error_type&${RANGE}`)).items;
    const either = await json<{ total: number }>(world.asAdmin, `/api/metrics/reviews?filter=error_type:${a!.key},error_type:${b!.key}&${RANGE}&limit=1`);
    expect(either.total).toBeGreaterThanOrEqual(Math.max(a!.n, b!.n));
    expect(either.total).toBeLessThanOrEqual(a!.n + b!.n);
    // Only the drill-down takes them, and only known keys.
    const bad = await world.asAdmin('GET', `/api/metrics/reviews?filter=error_type:typo,root_cause:NotAKey&${RANGE}`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['/filter/0', '/filter/1']);
    expect((await world.asAdmin('GET', `/api/metrics?measure=accuracy&filter=error_type:process&${RANGE}`)).statusCode).toBe(422);
  });

  it('control chart points add up to the overall and centre on it; Pareto shares add up to 1', async () => {
    const overall = await metrics(world.asAdmin, 'measure=accuracy');
    const chart = await world.asAdmin('GET', `/api/metrics/control-chart?measure=accuracy&grain=week&${RANGE}`);
    expect(chart.statusCode, chart.body).toBe(200);
    const body = chart.json() as { charted: string; centre: number; points: Array<{ period: string; p: number; n: number; nEffective: number; lower: number; upper: number; rules: number[]; signal: boolean }>; rules: Record<string, string> };
    expect(body.charted).toBe('error_rate');
    expect(body.points.reduce((s, p) => s + p.n, 0)).toBe(overall.overall.n);
    expect(body.centre).toBeCloseTo(1 - overall.overall.value!, 12);
    expect(body.rules['1']).toBe('One point beyond 3 sigma');
    expect(Object.keys(body.rules)).toEqual(['1', '2', '3', '4', '5']);
    for (const p of body.points) {
      expect(new Date(`${p.period}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(p.nEffective).toBeLessThanOrEqual(p.n);
      expect(p.lower).toBeLessThanOrEqual(body.centre);
      expect(p.upper).toBeGreaterThanOrEqual(body.centre);
      expect(p.signal).toBe(p.rules.length > 0);
    }
    const disputes = (await world.asAdmin('GET', `/api/metrics/control-chart?measure=dispute_rate&${RANGE}`)).json() as { centre: number; points: Array<{ n: number; nEffective: number }> };
    expect(disputes.points.every((p) => p.nEffective === p.n)).toBe(true);

    for (const kind of ['error_type', 'root_cause']) {
      const pareto = (await world.asAdmin('GET', `/api/metrics/pareto?kind=${kind}&${RANGE}`)).json() as { total: number; items: Array<{ n: number; share: number; cumulativeShare: number }> };
      expect(pareto.items.length).toBeGreaterThan(1);
      expect(pareto.items.reduce((s, i) => s + i.share, 0)).toBeCloseTo(1, 12);
      expect(pareto.items.at(-1)!.cumulativeShare).toBeCloseTo(1, 12);
      expect(pareto.total).toBe(pareto.items.reduce((s, i) => s + i.n, 0));
      expect(pareto.items.map((i) => i.n)).toEqual([...pareto.items.map((i) => i.n)].sort((a, b) => b - a));
    }
  });
});

describe('live rollups', () => {
  it('figures move when a dispute is overturned through the API and when a review is revised', async () => {
    const { rows } = await sql<{ id: string; review_id: string; vendor_id: string; labels: string[]; action: string }>`
      SELECT x.id, x.review_id, r.vendor_id, d.labels, d.action FROM disputes x JOIN reviews r ON r.id = x.review_id JOIN decisions d ON d.id = r.decision_id
      WHERE x.status = 'open' AND NOT r.correct AND (d.decided_at AT TIME ZONE 'UTC')::date BETWEEN ${FROM}::date AND ${TO}::date
      ORDER BY x.id LIMIT 1`.execute(world.database.db);
    // The demo (seed 11) leaves an open dispute about a review that found the agent wrong.
    expect(rows).toHaveLength(1);
    const dispute = rows[0]!;
    const before = groupOf(await metrics(world.asAdmin, 'measure=accuracy&by=vendor'), 'vendor', dispute.vendor_id)!;
    const overturnsBefore = await metrics(world.asAdmin, 'measure=overturn_rate');
    // The arbiter agrees with the agent: the verdict becomes the agent's own, so the review is now correct.
    const resolved = await world.asAdmin('POST', `/api/disputes/${dispute.id}/resolve`, { outcome: 'overturned', reason: 'The agent applied the policy correctly.', verdict: { labels: dispute.labels, action: dispute.action } });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const after = groupOf(await metrics(world.asAdmin, 'measure=accuracy&by=vendor'), 'vendor', dispute.vendor_id)!;
    expect(after.n).toBe(before.n);
    expect(Math.round(after.sampleValue! * after.n)).toBe(Math.round(before.sampleValue! * before.n) + 1);
    expect(after.value!).toBeGreaterThan(before.value!);
    const overturnsAfter = await metrics(world.asAdmin, 'measure=overturn_rate');
    expect(Math.round(overturnsAfter.overall.value! * overturnsAfter.overall.n)).toBe(Math.round(overturnsBefore.overall.value! * overturnsBefore.overall.n) + 1);

    // A direct revision (as a rescoring writes it) moves the figure just the same, and so does reverting it.
    const items = await world.reviewedItems();
    const target = items.find((i) => i.vendorId === world.coralpoint.id && i.correct)!;
    const coralBefore = groupOf(await metrics(world.asAdmin, 'measure=accuracy&by=vendor'), 'vendor', world.coralpoint.id)!;
    await sql`UPDATE reviews SET correct = false, revision = revision + 1 WHERE id = ${target.reviewId}`.execute(world.database.db);
    const coralAfter = groupOf(await metrics(world.asAdmin, 'measure=accuracy&by=vendor'), 'vendor', world.coralpoint.id)!;
    expect(coralAfter.value!).toBeLessThan(coralBefore.value!);
    const expected = ratioFromSums(accumulateSums((await world.reviewedItems()).map((i) => ({ stratum: i.stratum, w: i.w, a: i.vendorId === world.coralpoint.id && i.correct ? 1 : 0, b: i.vendorId === world.coralpoint.id ? 1 : 0 }))));
    expectSameEstimate(coralAfter, expected, 'after the revision');
    await sql`UPDATE reviews SET correct = true WHERE id = ${target.reviewId}`.execute(world.database.db);
    expect(groupOf(await metrics(world.asAdmin, 'measure=accuracy&by=vendor'), 'vendor', world.coralpoint.id)!.value).toBeCloseTo(coralBefore.value!, 12);
  });
});
