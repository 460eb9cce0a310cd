import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/access/roles.ts';
import { groupOf, metrics, RANGE, useMetricsWorld } from '../support/metrics-world.ts';

/**
 * A scoped viewer gets the same figure and interval for what they may see and
 * nothing else; bad requests name their parameter.
 */
const world = useMetricsWorld();

describe('scope', () => {
  it("a vendor manager gets their vendor's figure with the same interval as an all-scope viewer, and no other vendor", async () => {
    const theirs = await metrics(world.asVendorManager, 'measure=accuracy&by=vendor');
    expect(theirs.groups.map((g) => g.key.vendor)).toEqual([world.coralpoint.id]);
    const filtered = await metrics(world.asAdmin, `measure=accuracy&filter=vendor:${world.coralpoint.id}`);
    const byVendor = groupOf(await metrics(world.asAdmin, 'measure=accuracy&by=vendor'), 'vendor', world.coralpoint.id)!;
    // The same figure to floating-point precision (PostgreSQL adds the strata in its own order per query,
    // and in parallel workers when it chooses to).
    const same = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b)));
    for (const field of ['value', 'lower', 'upper', 'se', 'n', 'N'] as const) {
      expect(same(theirs.groups[0]![field] as number, byVendor[field] as number), `${field}: ${theirs.groups[0]![field]} vs ${byVendor[field]}`).toBe(true);
      expect(same(theirs.overall[field] as number, filtered.overall[field] as number), `${field}: ${theirs.overall[field]} vs ${filtered.overall[field]}`).toBe(true);
    }
    // By agent: only Coralpoint's agents; precision per label too.
    const agents = await metrics(world.asVendorManager, 'measure=accuracy&by=agent');
    const coralAgents = new Set((await world.database.db.selectFrom('people').select('id').where('vendor_id', '=', world.coralpoint.id).execute()).map((p) => p.id));
    expect(agents.groups.length).toBeGreaterThan(3);
    expect(agents.groups.every((g) => coralAgents.has(g.key.agent!))).toBe(true);
    const labels = await metrics(world.asVendorManager, 'measure=precision&by=label');
    const adminLabels = await metrics(world.asAdmin, `measure=precision&by=label&filter=vendor:${world.coralpoint.id}`);
    expect(labels.groups.map((g) => g.key.label)).toEqual(adminLabels.groups.map((g) => g.key.label));
    labels.groups.forEach((g, i) => {
      const admin = adminLabels.groups[i]!;
      for (const field of ['value', 'lower', 'upper', 'n'] as const) expect(same(g[field], admin[field]), `${g.key.label} ${field}: ${g[field]} vs ${admin[field]}`).toBe(true);
    });
  });

  it('a viewer who may see only themselves sees only their own figures', async () => {
    const items = await world.reviewedItems();
    const counts = new Map<string, number>();
    for (const i of items) counts.set(i.agentId, (counts.get(i.agentId) ?? 0) + 1);
    const [agentId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const role: Role = 'trainer';
    const user = await world.database.db
      .insertInto('users')
      .values({ email: `self.${randomBytes(3).toString('hex')}@test.example`, display_name: 'Self viewer', password_hash: 'x', role, scope_kind: 'self', scope_ref_id: agentId, person_id: agentId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const asSelf = await world.tokenFor(user.id);
    const mine = await metrics(asSelf, 'measure=accuracy&by=agent');
    expect(mine.groups.map((g) => g.key.agent)).toEqual([agentId]);
    expect(mine.overall.n).toBe(counts.get(agentId));
    const byVendor = await metrics(asSelf, 'measure=accuracy&by=vendor');
    expect(byVendor.overall.n).toBe(counts.get(agentId));
    const adminView = await metrics(world.asAdmin, `measure=accuracy&filter=agent:${agentId}`);
    expect(mine.overall.value).toBeCloseTo(adminView.overall.value!, 12);
    expect(mine.overall.upper).toBeCloseTo(adminView.overall.upper!, 12);
    const drill = await asSelf('GET', `/api/metrics/reviews?${RANGE}&limit=200`);
    expect(drill.json().total).toBe(counts.get(agentId));
  });
});

describe('validation', () => {
  const problems = async (url: string) => {
    const response = await world.asAdmin('GET', url);
    return { status: response.statusCode, body: response.json() as { error: { code: string; message: string; details: Array<{ path: string }> } } };
  };

  it('names the parameter of every problem', async () => {
    const unknown = await problems(`/api/metrics?measure=speed&${RANGE}`);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('VALIDATION_FAILED');
    expect(unknown.body.error.details.map((d) => d.path)).toEqual(['/measure']);

    const three = await problems(`/api/metrics?measure=accuracy&by=vendor,site,team&${RANGE}`);
    expect(three.status).toBe(422);
    expect(three.body.error.details.map((d) => d.path)).toContain('/by');

    const dates = await problems('/api/metrics?measure=accuracy&from=2026-02-30&to=2026-13-01');
    expect(dates.status).toBe(422);
    expect(dates.body.error.details.map((d) => d.path)).toEqual(['/from', '/to']);
    const reversed = await problems('/api/metrics?measure=accuracy&from=2026-11-25&to=2026-11-01');
    expect(reversed.body.error.details.map((d) => d.path)).toEqual(['/from']);
    const long = await problems('/api/metrics?measure=accuracy&from=2025-01-01&to=2026-11-01');
    expect(long.body.error.details[0]!.path).toBe('/from');

    const filter = await problems(`/api/metrics?measure=accuracy&filter=vendor:${world.coralpoint.id},vendor:nope,colour:red&${RANGE}`);
    expect(filter.status).toBe(422);
    expect(filter.body.error.details.map((d) => d.path)).toEqual(['/filter/1', '/filter/2']);

    const grain = await problems(`/api/metrics?measure=accuracy&grain=year&${RANGE}`);
    expect(grain.body.error.details.map((d) => d.path)).toEqual(['/grain']);
  });

  it('refuses a measure by a dimension it cannot be sliced by (400, naming both)', async () => {
    const label = await problems(`/api/metrics?measure=accuracy&by=label&${RANGE}`);
    expect(label.status).toBe(400);
    expect(label.body.error.message).toMatch(/accuracy.*label/);
    expect(label.body.error.details[0]!.path).toBe('/by/0');
    const aht = await problems(`/api/metrics?measure=aht&by=vendor&filter=severity:high&${RANGE}`);
    expect(aht.status).toBe(400);
    expect(aht.body.error.details.map((d) => d.path)).toEqual(['/filter/0']);
    expect((await problems(`/api/metrics/control-chart?measure=qa_score&${RANGE}`)).body.error.details[0]!.path).toBe('/measure');
    expect((await problems(`/api/metrics/pareto?kind=error_type&filter=label:hate.slur&${RANGE}`)).status).toBe(400);
    expect((await problems(`/api/metrics/pareto?kind=errors&${RANGE}`)).body.error.details[0]!.path).toBe('/kind');
    expect((await problems(`/api/metrics/reviews?outcome=failing&${RANGE}`)).body.error.details[0]!.path).toBe('/outcome');
    expect((await problems(`/api/metrics/reviews?period=2026-11-04&grain=week&${RANGE}`)).body.error.details[0]!.path).toBe('/period');
  });
});
