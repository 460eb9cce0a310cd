import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { digest } from '../../src/domain/auth/secrets.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import { accumulateConfusionSums, confusionMetrics, confusionSumsByLabel } from '../../src/domain/stats/confusion-estimation.ts';
import { hajekProportion } from '../../src/domain/stats/estimation.ts';
import { accumulateSums, ratioFromSums, type RatioEstimate } from '../../src/domain/stats/ratio-estimation.ts';
import type { ControlChartResponse, MetricGroup, MetricsResponse, ParetoResponse } from '../../src/domain/metrics/metrics.types.ts';
import { getMetricReviews } from '../../src/domain/metrics/metric-drill-down.service.ts';
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
import { AppError } from '../../src/domain/errors.ts';
import { ERROR_TYPE_LABELS, type ErrorType } from '../../src/domain/reviews/scorecard.types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';

/**
 * The metrics API on the demo organisation (real PostgreSQL, real rollups):
 * every figure equals the same estimator computed independently from the
 * reviewed items (weights 1/pi, design strata workflow x decision day x plan
 * stratum), a scoped viewer gets the same figure and interval for what they
 * may see and nothing else, bad requests name their parameter, every CSV
 * export (figures, control chart, Pareto, reviews) holds the JSON's rows and is
 * audited, the drill-down lists exactly the reviews behind a figure or a Pareto
 * bar, the control chart and Pareto add up, and the figures follow a revision at once.
 */
let database: TestDatabase;
let app: FastifyInstance;
let asAdmin: ReturnType<typeof tokenClient>;
let asVendorManager: ReturnType<typeof tokenClient>;
let coralpoint: { id: string; name: string };

const FROM = '2026-08-28';
const TO = '2026-11-25';
const RANGE = `from=${FROM}&to=${TO}`;
const TOLERANCE = 1e-9;

interface Item {
  reviewId: string;
  vendorId: string;
  agentId: string;
  correct: boolean;
  score: number;
  agentLabels: string[];
  qaLabels: string[];
  stratum: string;
  w: number;
}

/** Every primary review of the range (gold and double reviews never feed the figures, migration 0010) with its weight and design stratum, read directly (as the table owner). */
async function reviewedItems(): Promise<Item[]> {
  const { rows } = await sql<{ review_id: string; vendor_id: string; agent_id: string; correct: boolean; score: number; labels: string[]; qa_labels: string[]; stratum: string; pi: number | null }>`
    SELECT r.id AS review_id, r.vendor_id, r.agent_id, r.correct, r.score::float8 AS score, d.labels, r.qa_labels, s.inclusion_probability AS pi,
           r.workflow_id::text || '|' || (d.decided_at AT TIME ZONE 'UTC')::date::text || '|' ||
             coalesce(s.plan_version_id::text || ':' || s.stratum_key, 'unsampled') AS stratum
    FROM reviews r JOIN decisions d ON d.id = r.decision_id LEFT JOIN qa_samples s ON s.decision_id = r.decision_id
    WHERE (d.decided_at AT TIME ZONE 'UTC')::date BETWEEN ${FROM}::date AND ${TO}::date
      AND r.purpose = 'primary'`.execute(database.db);
  return rows.map((r) => ({
    reviewId: r.review_id,
    vendorId: r.vendor_id,
    agentId: r.agent_id,
    correct: r.correct,
    score: r.score,
    agentLabels: r.labels,
    qaLabels: r.qa_labels,
    stratum: r.stratum,
    w: 1 / (r.pi ?? 1),
  }));
}

async function tokenFor(userId: string): Promise<ReturnType<typeof tokenClient>> {
  const token = `assay_${randomBytes(24).toString('base64url')}`;
  await database.db.insertInto('api_tokens').values({ user_id: userId, name: `metrics ${randomBytes(3).toString('hex')}`, token_hash: digest(token), prefix: token.slice(0, 12) }).execute();
  return tokenClient(app, token);
}

async function demoUser(email: string) {
  const user = await database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return tokenFor(user.id);
}

async function metrics(client: ReturnType<typeof tokenClient>, query: string): Promise<MetricsResponse> {
  const response = await client('GET', `/api/metrics?${query}&${RANGE}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as MetricsResponse;
}

function expectSameEstimate(actual: { value: number | null; lower: number | null; upper: number | null; se: number | null; n: number; N: number }, expected: RatioEstimate, label: string) {
  expect(expected.estimate, label).not.toBeNull();
  expect(actual.value!, `${label} value`).toBeCloseTo(expected.estimate!, 9);
  expect(Math.abs(actual.value! - expected.estimate!), `${label} value`).toBeLessThan(TOLERANCE);
  expect(Math.abs(actual.lower! - expected.lower!), `${label} lower`).toBeLessThan(TOLERANCE);
  expect(Math.abs(actual.upper! - expected.upper!), `${label} upper`).toBeLessThan(TOLERANCE);
  expect(Math.abs(actual.se! - expected.se!), `${label} se`).toBeLessThan(TOLERANCE);
  expect(actual.n, `${label} n`).toBe(expected.n);
  expect(Math.abs(actual.N - expected.estimatedPopulation) / expected.estimatedPopulation, `${label} N`).toBeLessThan(TOLERANCE);
}

type Client = ReturnType<typeof tokenClient>;

async function json<T>(client: Client, url: string): Promise<T> {
  const response = await client('GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as T;
}

/** A format=csv download: checks the headers, returns the header line and the data lines. */
async function csv(client: Client, url: string, fileName: string): Promise<{ header: string; lines: string[] }> {
  const response = await client('GET', `${url}&format=csv`);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/csv/);
  expect(response.headers['content-disposition']).toBe(`attachment; filename="${fileName}"`);
  const [header, ...lines] = response.body.trimEnd().split('\r\n');
  return { header: header!, lines };
}

/** The fields of a CSV line (quoted fields may hold commas and doubled quotes). */
const fields = (line: string) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'));

interface ExportEntry {
  actor_user_id: string | null;
  vendor_id: string | null;
  details: { table: string; query: Record<string, unknown>; rows: number; fileName: string };
}

async function exportEntries(): Promise<ExportEntry[]> {
  const { rows } = await sql<ExportEntry>`
    SELECT actor_user_id, vendor_id, details FROM audit_log WHERE action = 'metrics.export' ORDER BY id`.execute(database.db);
  return rows;
}

const groupOf = (body: MetricsResponse, dimension: 'vendor' | 'label' | 'agent', id: string): MetricGroup | undefined => body.groups.find((g) => g.key[dimension] === id);

beforeAll(async () => {
  database = await createTestDatabase();
  await loadDemo(database.db, { seed: 11, today: '2026-11-25', now: new Date('2026-11-25T15:30:00Z'), decisionScale: 0.02 });
  app = await buildTestServer(database.db);
  asAdmin = await demoUser('admin@assay.demo');
  asVendorManager = await demoUser('vm.coralpoint@assay.demo');
  coralpoint = await database.db.selectFrom('vendors').select(['id', 'name']).where('name', 'like', 'Coralpoint%').executeTakeFirstOrThrow();
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('estimates', () => {
  it('accuracy by vendor equals the item-level domain estimate, and the overall the Hajek estimate', async () => {
    const items = await reviewedItems();
    const body = await metrics(asAdmin, 'measure=accuracy&by=vendor');
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

  it('the mean QA score and the decision-level over-enforcement rate by vendor match the items', async () => {
    const items = await reviewedItems();
    const scores = await metrics(asAdmin, 'measure=qa_score&by=vendor');
    const over = await metrics(asAdmin, 'measure=over_enforcement_rate&by=vendor');
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
    const items = await reviewedItems();
    const byLabel = confusionSumsByLabel(items.map((i) => ({ stratum: i.stratum, w: i.w, agentLabels: i.agentLabels, qaLabels: i.qaLabels })));
    const precision = await metrics(asAdmin, 'measure=precision&by=label');
    const over = await metrics(asAdmin, 'measure=over_enforcement_rate&by=label');
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
        return outcomeEstimates(await stratumSums(database.db, 'quality_rollup', sliceOf(q), ['n', 'sum_w', 'sum_w2', `n_${o}`, `sum_w_${o}`, `sum_w2_${o}`]) as never, o, options);
      }
      if (measure.family === 'score') return scoreEstimates(await stratumSums(database.db, 'quality_rollup', sliceOf(q), [...totals, 'sum_w_score', 'sum_w2_score', 'sum_w2_score2']), options);
      const labelled = [...q.by, ...q.filters.map((f) => f.dimension)].some((d) => d === 'label' || d === 'policy');
      if (!labelled) return decisionConfusionEstimates(await stratumSums(database.db, 'quality_rollup', sliceOf(q), [...totals, ...cells]), measure.rate!, options);
      const kept = q.by.flatMap((d, i) => (d !== 'label' && d !== 'policy' ? [i] : []));
      const totalsQuery = { ...q, by: kept.map((i) => q.by[i]!), filters: q.filters.filter((f) => f.dimension !== 'label' && f.dimension !== 'policy') };
      const key = (row: { g0: string | null; g1: string | null; period: string | null }) => {
        const g = [row.g0, row.g1];
        return { g0: kept[0] === undefined ? null : g[kept[0]]!, g1: kept[1] === undefined ? null : g[kept[1]]!, period: row.period };
      };
      return labelConfusionEstimates(
        await stratumSums(database.db, 'quality_label_rollup', sliceOf(q), cells),
        await stratumSums(database.db, 'quality_rollup', sliceOf(totalsQuery), totals),
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
      `measure=accuracy&by=agent&filter=vendor:${coralpoint.id}`,
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
      `measure=precision&by=label&filter=vendor:${coralpoint.id}`,
    ];
    let groups = 0;
    for (const raw of queries) {
      const q = parseMetricsQuery(Object.fromEntries(new URLSearchParams(`${raw}&${RANGE}`)), TO);
      const [now, before] = [await estimateMetric(database.db, actor, q), await fold(q)];
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
      SELECT count(*)::int AS decisions, sum(handle_time_ms)::float8 AS ms FROM decisions WHERE decided_day BETWEEN ${FROM}::date AND ${TO}::date`.execute(database.db);
    const volume = await metrics(asAdmin, 'measure=volume');
    const aht = await metrics(asAdmin, 'measure=aht&by=label');
    expect(volume.overall).toMatchObject({ value: rows[0]!.decisions, lower: rows[0]!.decisions, upper: rows[0]!.decisions, se: null, n: rows[0]!.decisions });
    expect(aht.kind).toBe('duration');
    expect(aht.overall.value!).toBeCloseTo(rows[0]!.ms / rows[0]!.decisions, 6);
    expect(aht.groups.find((g) => g.key.label === '')!.names.label).toBe('No violation');
  });
});

describe('scope', () => {
  it("a vendor manager gets their vendor's figure with the same interval as an all-scope viewer, and no other vendor", async () => {
    const theirs = await metrics(asVendorManager, 'measure=accuracy&by=vendor');
    expect(theirs.groups.map((g) => g.key.vendor)).toEqual([coralpoint.id]);
    const filtered = await metrics(asAdmin, `measure=accuracy&filter=vendor:${coralpoint.id}`);
    const byVendor = groupOf(await metrics(asAdmin, 'measure=accuracy&by=vendor'), 'vendor', coralpoint.id)!;
    // The same figure to floating-point precision (PostgreSQL adds the strata in its own order per query).
    const same = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
    for (const field of ['value', 'lower', 'upper', 'se', 'n', 'N'] as const) {
      expect(same(theirs.groups[0]![field] as number, byVendor[field] as number), `${field}: ${theirs.groups[0]![field]} vs ${byVendor[field]}`).toBe(true);
      expect(same(theirs.overall[field] as number, filtered.overall[field] as number), `${field}: ${theirs.overall[field]} vs ${filtered.overall[field]}`).toBe(true);
    }
    // By agent: only Coralpoint's agents; precision per label too.
    const agents = await metrics(asVendorManager, 'measure=accuracy&by=agent');
    const coralAgents = new Set((await database.db.selectFrom('people').select('id').where('vendor_id', '=', coralpoint.id).execute()).map((p) => p.id));
    expect(agents.groups.length).toBeGreaterThan(3);
    expect(agents.groups.every((g) => coralAgents.has(g.key.agent!))).toBe(true);
    const labels = await metrics(asVendorManager, 'measure=precision&by=label');
    const adminLabels = await metrics(asAdmin, `measure=precision&by=label&filter=vendor:${coralpoint.id}`);
    expect(labels.groups.map((g) => [g.key.label, g.value, g.upper])).toEqual(adminLabels.groups.map((g) => [g.key.label, g.value, g.upper]));
  });

  it('a viewer who may see only themselves sees only their own figures', async () => {
    const items = await reviewedItems();
    const counts = new Map<string, number>();
    for (const i of items) counts.set(i.agentId, (counts.get(i.agentId) ?? 0) + 1);
    const [agentId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const role: Role = 'trainer';
    const user = await database.db
      .insertInto('users')
      .values({ email: `self.${randomBytes(3).toString('hex')}@test.example`, display_name: 'Self viewer', password_hash: 'x', role, scope_kind: 'self', scope_ref_id: agentId, person_id: agentId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const asSelf = await tokenFor(user.id);
    const mine = await metrics(asSelf, 'measure=accuracy&by=agent');
    expect(mine.groups.map((g) => g.key.agent)).toEqual([agentId]);
    expect(mine.overall.n).toBe(counts.get(agentId));
    const byVendor = await metrics(asSelf, 'measure=accuracy&by=vendor');
    expect(byVendor.overall.n).toBe(counts.get(agentId));
    const adminView = await metrics(asAdmin, `measure=accuracy&filter=agent:${agentId}`);
    expect(mine.overall.value).toBeCloseTo(adminView.overall.value!, 12);
    expect(mine.overall.upper).toBeCloseTo(adminView.overall.upper!, 12);
    const drill = await asSelf('GET', `/api/metrics/reviews?${RANGE}&limit=200`);
    expect(drill.json().total).toBe(counts.get(agentId));
  });
});

describe('validation', () => {
  const problems = async (url: string) => {
    const response = await asAdmin('GET', url);
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

    const filter = await problems(`/api/metrics?measure=accuracy&filter=vendor:${coralpoint.id},vendor:nope,colour:red&${RANGE}`);
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

describe('CSV export', () => {
  it('downloads the groups as CSV and audits the export with its query', async () => {
    const json = await metrics(asVendorManager, 'measure=accuracy&by=vendor&grain=month');
    const response = await asVendorManager('GET', `/api/metrics?measure=accuracy&by=vendor&grain=month&${RANGE}&format=csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="metrics-accuracy-by-vendor-month-${FROM}-${TO}.csv"`);
    const lines = response.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,vendor,vendor_name,value,lower,upper,se,n,N,too_few,sample_value,shrunk,versus_overall');
    expect(lines.length).toBe(json.groups.length + 1);
    const first = lines[1]!.split(',');
    expect(first.slice(0, 3)).toEqual([json.groups[0]!.period, coralpoint.id, coralpoint.name]);
    expect(Number(first[3])).toBe(json.groups[0]!.value);
    expect(Number(first[7])).toBe(json.groups[0]!.n);

    const { rows } = await sql<{ action: string; vendor_id: string | null; details: { query: { measure: string; by: string[]; grain: string; from: string } ; rows: number } }>`
      SELECT action, vendor_id, details FROM audit_log WHERE action = 'metrics.export' ORDER BY id DESC LIMIT 1`.execute(database.db);
    expect(rows[0]).toMatchObject({ action: 'metrics.export', vendor_id: coralpoint.id, details: { table: 'metrics', query: { measure: 'accuracy', by: ['vendor'], grain: 'month', from: FROM }, rows: json.groups.length } });
  });

  it('the control chart, both Pareto charts and the reviews behind a figure download as CSV with the JSON rows, each export audited', async () => {
    const before = (await exportEntries()).length;
    const coral = `vendor:${coralpoint.id}`;
    const filter = `filter=${coral}`;

    const chartUrl = `/api/metrics/control-chart?measure=under_enforcement_rate&grain=week&${filter}&${RANGE}`;
    const chart = await json<ControlChartResponse>(asAdmin, chartUrl);
    expect(chart.points.length).toBeGreaterThan(5);
    const chartFile = `control-chart-under_enforcement_rate-week-${FROM}-${TO}.csv`;
    const chartCsv = await csv(asAdmin, chartUrl, chartFile);
    expect(chartCsv.header).toBe('period,charted,p,n,n_effective,centre,lower,upper,z,rules,signal');
    expect(chartCsv.lines).toHaveLength(chart.points.length);
    expect(chartCsv.lines.map((l) => [fields(l)[0], Number(fields(l)[3])])).toEqual(chart.points.map((p) => [p.period, p.n]));

    const paretos: Array<{ kind: string; items: number }> = [];
    for (const kind of ['error_type', 'root_cause']) {
      const url = `/api/metrics/pareto?kind=${kind}&${filter}&${RANGE}`;
      const pareto = await json<ParetoResponse>(asVendorManager, url);
      const file = await csv(asVendorManager, url, `pareto-${kind}-${FROM}-${TO}.csv`);
      expect(file.header).toBe('key,name,n,share,cumulative_share,weighted');
      expect(file.lines).toHaveLength(pareto.items.length);
      expect(file.lines.map((l) => [fields(l)[0], Number(fields(l)[2])])).toEqual(pareto.items.map((i) => [i.key, i.n]));
      // Every key has its words: the error types' labels, the root causes' from the scorecards.
      for (const line of file.lines) expect(fields(line)[1], line).not.toBe('');
      if (kind === 'error_type') expect(fields(file.lines[0]!)[1]).toBe(ERROR_TYPE_LABELS[pareto.items[0]!.key as ErrorType]);
      paretos.push({ kind, items: pareto.items.length });
    }

    // The reviews: every one (no page; limit is ignored), in the list's order.
    const reviewsUrl = `/api/metrics/reviews?${filter}&measure=accuracy&outcome=failing&${RANGE}`;
    const page = await json<{ items: Array<{ id: string }>; total: number }>(asAdmin, `${reviewsUrl}&limit=200`);
    expect(page.total).toBeGreaterThan(5);
    const reviewsCsv = await csv(asAdmin, `${reviewsUrl}&limit=5`, `metric-reviews-accuracy-failing-${FROM}-${TO}.csv`);
    expect(reviewsCsv.header.split(',').slice(0, 4)).toEqual(['review_id', 'task_id', 'decision_id', 'decided_at']);
    expect(reviewsCsv.lines).toHaveLength(page.total);
    expect(reviewsCsv.lines.slice(0, page.items.length).map((l) => fields(l)[0])).toEqual(page.items.map((i) => i.id));
    const correct = reviewsCsv.header.split(',').indexOf('correct');
    expect(new Set(reviewsCsv.lines.map((l) => fields(l)[correct]))).toEqual(new Set(['false']));

    const admin = (await database.db.selectFrom('users').select('id').where('email', '=', 'admin@assay.demo').executeTakeFirstOrThrow()).id;
    const query = { filter: coral, from: FROM, to: TO };
    expect((await exportEntries()).slice(before)).toMatchObject([
      { actor_user_id: admin, details: { table: 'control_chart', query: { ...query, measure: 'under_enforcement_rate', grain: 'week' }, rows: chart.points.length, fileName: chartFile } },
      ...paretos.map(({ kind, items }) => ({ vendor_id: coralpoint.id, details: { table: 'pareto', query: { ...query, kind }, rows: items } })),
      { actor_user_id: admin, details: { table: 'reviews_behind_figure', query: { ...query, period: null, measure: 'accuracy', outcome: 'failing' }, rows: page.total } },
    ]);
  });

  it('takes a reviews CSV up to the cap and refuses one above it whole (422 on /format, no audit entry)', async () => {
    const raw = { filter: `vendor:${coralpoint.id}`, measure: 'accuracy', outcome: 'failing', from: FROM, to: TO, format: 'csv' };
    const { total } = await json<{ total: number }>(asAdmin, `/api/metrics/reviews?filter=${raw.filter}&measure=accuracy&outcome=failing&${RANGE}&limit=1`);
    const before = (await exportEntries()).length;
    const page = { limit: 50, offset: 0 };
    const exact = await getMetricReviews(database.db, systemActor('test'), raw, page, { csvCap: total });
    expect(exact.format === 'csv' && exact.body.trimEnd().split('\r\n').length).toBe(total + 1);
    const refused = await getMetricReviews(database.db, systemActor('test'), raw, page, { csvCap: total - 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/format' }] });
    expect((refused as AppError).message).toContain(`${total} reviews match`);
    expect((await exportEntries()).length).toBe(before + 1);
  });
});

describe('drill-down, control chart and Pareto', () => {
  it('lists exactly the reviews of a vendor-week, and its failing ones', async () => {
    const weekly = await metrics(asAdmin, 'measure=accuracy&by=vendor&grain=week');
    const group = weekly.groups.filter((g) => g.n >= 5 && g.sampleValue! < 1).sort((a, b) => b.n - a.n)[0]!;
    expect(group).toBeDefined();
    const base = `/api/metrics/reviews?filter=vendor:${group.key.vendor}&period=${group.period}&grain=week&measure=accuracy&${RANGE}`;
    const all = await asAdmin('GET', `${base}&limit=200`);
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().total).toBe(group.n);
    expect(all.json().items).toHaveLength(group.n);
    const failing = await asAdmin('GET', `${base}&outcome=failing&limit=2`);
    const incorrect = group.n - Math.round(group.sampleValue! * group.n);
    expect(failing.json().total).toBe(incorrect);
    for (const item of failing.json().items as Array<{ correct: boolean; vendorId: string; decision: { decidedAt: string } }>) {
      expect(item.correct).toBe(false);
      expect(item.vendorId).toBe(group.key.vendor);
      expect(item.decision.decidedAt.slice(0, 10) >= group.period!).toBe(true);
    }
    // Per label: precision's denominator is the agent's positives for the label.
    const labels = await metrics(asAdmin, 'measure=precision&by=label');
    const label = labels.groups.sort((a, b) => b.n - a.n)[0]!;
    const positives = await asAdmin('GET', `/api/metrics/reviews?filter=label:${label.key.label}&measure=precision&${RANGE}&limit=1`);
    expect(positives.json().total).toBe(label.n);
  });

  it('a Pareto bar opens its reviews: the error_type / root_cause drill-down total is the bar’s n, with the page’s filters too', async () => {
    for (const extra of ['', `&filter=vendor:${coralpoint.id}`]) {
      for (const kind of ['error_type', 'root_cause'] as const) {
        const pareto = await json<ParetoResponse>(asAdmin, `/api/metrics/pareto?kind=${kind}${extra}&${RANGE}`);
        expect(pareto.items.length).toBeGreaterThan(1);
        for (const item of pareto.items) {
          const filter = `${extra ? `${extra.slice('&filter='.length)},` : ''}${kind}:${item.key}`;
          const drill = await json<{ total: number; items: Array<{ errorTypes: string[]; rootCauses: string[] }> }>(asAdmin, `/api/metrics/reviews?filter=${filter}&${RANGE}&limit=200`);
          expect(drill.total, `${kind} ${item.key} ${extra}`).toBe(item.n);
          for (const review of drill.items) expect(kind === 'error_type' ? review.errorTypes : review.rootCauses).toContain(item.key);
        }
      }
    }
    // Two values of one dimension: either (the reviews with both are counted once).
    const [a, b] = (await json<ParetoResponse>(asAdmin, `/api/metrics/pareto?kind=error_type&${RANGE}`)).items;
    const either = await json<{ total: number }>(asAdmin, `/api/metrics/reviews?filter=error_type:${a!.key},error_type:${b!.key}&${RANGE}&limit=1`);
    expect(either.total).toBeGreaterThanOrEqual(Math.max(a!.n, b!.n));
    expect(either.total).toBeLessThanOrEqual(a!.n + b!.n);
    // Only the drill-down takes them, and only known keys.
    const bad = await asAdmin('GET', `/api/metrics/reviews?filter=error_type:typo,root_cause:NotAKey&${RANGE}`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['/filter/0', '/filter/1']);
    expect((await asAdmin('GET', `/api/metrics?measure=accuracy&filter=error_type:process&${RANGE}`)).statusCode).toBe(422);
  });

  it('control chart points add up to the overall and centre on it; Pareto shares add up to 1', async () => {
    const overall = await metrics(asAdmin, 'measure=accuracy');
    const chart = await asAdmin('GET', `/api/metrics/control-chart?measure=accuracy&grain=week&${RANGE}`);
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
    const disputes = (await asAdmin('GET', `/api/metrics/control-chart?measure=dispute_rate&${RANGE}`)).json() as { centre: number; points: Array<{ n: number; nEffective: number }> };
    expect(disputes.points.every((p) => p.nEffective === p.n)).toBe(true);

    for (const kind of ['error_type', 'root_cause']) {
      const pareto = (await asAdmin('GET', `/api/metrics/pareto?kind=${kind}&${RANGE}`)).json() as { total: number; items: Array<{ n: number; share: number; cumulativeShare: number }> };
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
      ORDER BY x.id LIMIT 1`.execute(database.db);
    // The demo (seed 11) leaves an open dispute about a review that found the agent wrong.
    expect(rows).toHaveLength(1);
    const dispute = rows[0]!;
    const before = groupOf(await metrics(asAdmin, 'measure=accuracy&by=vendor'), 'vendor', dispute.vendor_id)!;
    const overturnsBefore = await metrics(asAdmin, 'measure=overturn_rate');
    // The arbiter agrees with the agent: the verdict becomes the agent's own, so the review is now correct.
    const resolved = await asAdmin('POST', `/api/disputes/${dispute.id}/resolve`, { outcome: 'overturned', reason: 'The agent applied the policy correctly.', verdict: { labels: dispute.labels, action: dispute.action } });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const after = groupOf(await metrics(asAdmin, 'measure=accuracy&by=vendor'), 'vendor', dispute.vendor_id)!;
    expect(after.n).toBe(before.n);
    expect(Math.round(after.sampleValue! * after.n)).toBe(Math.round(before.sampleValue! * before.n) + 1);
    expect(after.value!).toBeGreaterThan(before.value!);
    const overturnsAfter = await metrics(asAdmin, 'measure=overturn_rate');
    expect(Math.round(overturnsAfter.overall.value! * overturnsAfter.overall.n)).toBe(Math.round(overturnsBefore.overall.value! * overturnsBefore.overall.n) + 1);

    // A direct revision (as a rescoring writes it) moves the figure just the same, and so does reverting it.
    const items = await reviewedItems();
    const target = items.find((i) => i.vendorId === coralpoint.id && i.correct)!;
    const coralBefore = groupOf(await metrics(asAdmin, 'measure=accuracy&by=vendor'), 'vendor', coralpoint.id)!;
    await sql`UPDATE reviews SET correct = false, revision = revision + 1 WHERE id = ${target.reviewId}`.execute(database.db);
    const coralAfter = groupOf(await metrics(asAdmin, 'measure=accuracy&by=vendor'), 'vendor', coralpoint.id)!;
    expect(coralAfter.value!).toBeLessThan(coralBefore.value!);
    const expected = ratioFromSums(accumulateSums((await reviewedItems()).map((i) => ({ stratum: i.stratum, w: i.w, a: i.vendorId === coralpoint.id && i.correct ? 1 : 0, b: i.vendorId === coralpoint.id ? 1 : 0 }))));
    expectSameEstimate(coralAfter, expected, 'after the revision');
    await sql`UPDATE reviews SET correct = true WHERE id = ${target.reviewId}`.execute(database.db);
    expect(groupOf(await metrics(asAdmin, 'measure=accuracy&by=vendor'), 'vendor', coralpoint.id)!.value).toBeCloseTo(coralBefore.value!, 12);
  });
});
