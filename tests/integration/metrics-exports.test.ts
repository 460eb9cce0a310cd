import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { ControlChartResponse, ParetoResponse } from '../../src/domain/metrics/metrics.types.ts';
import { getMetricReviews } from '../../src/domain/metrics/metric-drill-down.service.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { AppError } from '../../src/domain/errors.ts';
import { ERROR_TYPE_LABELS, type ErrorType } from '../../src/domain/reviews/scorecard.types.ts';
import { FROM, json, metrics, RANGE, TO, useMetricsWorld, type Client } from '../support/metrics-world.ts';

/** Every CSV export (figures, control chart, Pareto, reviews) holds the JSON's rows and is audited. */
const world = useMetricsWorld();

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
    SELECT actor_user_id, vendor_id, details FROM audit_log WHERE action = 'metrics.export' ORDER BY id`.execute(world.database.db);
  return rows;
}

describe('CSV export', () => {
  it('downloads the groups as CSV and audits the export with its query', async () => {
    const json = await metrics(world.asVendorManager, 'measure=accuracy&by=vendor&grain=month');
    const response = await world.asVendorManager('GET', `/api/metrics?measure=accuracy&by=vendor&grain=month&${RANGE}&format=csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="metrics-accuracy-by-vendor-month-${FROM}-${TO}.csv"`);
    const lines = response.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,vendor,vendor_name,value,lower,upper,se,n,N,too_few,sample_value,shrunk,versus_overall,p_value,q_value,credible_versus_overall');
    expect(lines.length).toBe(json.groups.length + 1);
    const first = lines[1]!.split(',');
    expect(first.slice(0, 3)).toEqual([json.groups[0]!.period, world.coralpoint.id, world.coralpoint.name]);
    expect(Number(first[3])).toBe(json.groups[0]!.value);
    expect(Number(first[7])).toBe(json.groups[0]!.n);

    const { rows } = await sql<{ action: string; vendor_id: string | null; details: { query: { measure: string; by: string[]; grain: string; from: string } ; rows: number } }>`
      SELECT action, vendor_id, details FROM audit_log WHERE action = 'metrics.export' ORDER BY id DESC LIMIT 1`.execute(world.database.db);
    expect(rows[0]).toMatchObject({ action: 'metrics.export', vendor_id: world.coralpoint.id, details: { table: 'metrics', query: { measure: 'accuracy', by: ['vendor'], grain: 'month', from: FROM }, rows: json.groups.length } });
  });

  it('the control chart, both Pareto charts and the reviews behind a figure download as CSV with the JSON rows, each export audited', async () => {
    const before = (await exportEntries()).length;
    const coral = `vendor:${world.coralpoint.id}`;
    const filter = `filter=${coral}`;

    const chartUrl = `/api/metrics/control-chart?measure=under_enforcement_rate&grain=week&${filter}&${RANGE}`;
    const chart = await json<ControlChartResponse>(world.asAdmin, chartUrl);
    expect(chart.points.length).toBeGreaterThan(5);
    const chartFile = `control-chart-under_enforcement_rate-week-${FROM}-${TO}.csv`;
    const chartCsv = await csv(world.asAdmin, chartUrl, chartFile);
    expect(chartCsv.header).toBe('period,charted,p,n,n_effective,centre,lower,upper,z,rules,signal');
    expect(chartCsv.lines).toHaveLength(chart.points.length);
    expect(chartCsv.lines.map((l) => [fields(l)[0], Number(fields(l)[3])])).toEqual(chart.points.map((p) => [p.period, p.n]));

    const paretos: Array<{ kind: string; items: number }> = [];
    for (const kind of ['error_type', 'root_cause']) {
      const url = `/api/metrics/pareto?kind=${kind}&${filter}&${RANGE}`;
      const pareto = await json<ParetoResponse>(world.asVendorManager, url);
      const file = await csv(world.asVendorManager, url, `pareto-${kind}-${FROM}-${TO}.csv`);
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
    const page = await json<{ items: Array<{ id: string }>; total: number }>(world.asAdmin, `${reviewsUrl}&limit=200`);
    expect(page.total).toBeGreaterThan(5);
    const reviewsCsv = await csv(world.asAdmin, `${reviewsUrl}&limit=5`, `metric-reviews-accuracy-failing-${FROM}-${TO}.csv`);
    expect(reviewsCsv.header.split(',').slice(0, 4)).toEqual(['review_id', 'task_id', 'decision_id', 'decided_at']);
    expect(reviewsCsv.lines).toHaveLength(page.total);
    expect(reviewsCsv.lines.slice(0, page.items.length).map((l) => fields(l)[0])).toEqual(page.items.map((i) => i.id));
    const correct = reviewsCsv.header.split(',').indexOf('correct');
    expect(new Set(reviewsCsv.lines.map((l) => fields(l)[correct]))).toEqual(new Set(['false']));

    const admin = (await world.database.db.selectFrom('users').select('id').where('email', '=', 'admin@assay.demo').executeTakeFirstOrThrow()).id;
    const query = { filter: coral, from: FROM, to: TO };
    expect((await exportEntries()).slice(before)).toMatchObject([
      { actor_user_id: admin, details: { table: 'control_chart', query: { ...query, measure: 'under_enforcement_rate', grain: 'week' }, rows: chart.points.length, fileName: chartFile } },
      ...paretos.map(({ kind, items }) => ({ vendor_id: world.coralpoint.id, details: { table: 'pareto', query: { ...query, kind }, rows: items } })),
      { actor_user_id: admin, details: { table: 'reviews_behind_figure', query: { ...query, period: null, measure: 'accuracy', outcome: 'failing' }, rows: page.total } },
    ]);
  });

  it('takes a reviews CSV up to the cap and refuses one above it whole (422 on /format, no audit entry)', async () => {
    const raw = { filter: `vendor:${world.coralpoint.id}`, measure: 'accuracy', outcome: 'failing', from: FROM, to: TO, format: 'csv' };
    const { total } = await json<{ total: number }>(world.asAdmin, `/api/metrics/reviews?filter=${raw.filter}&measure=accuracy&outcome=failing&${RANGE}&limit=1`);
    const before = (await exportEntries()).length;
    const page = { limit: 50, offset: 0 };
    const exact = await getMetricReviews(world.database.db, systemActor('test'), raw, page, { csvCap: total });
    expect(exact.format === 'csv' && exact.body.trimEnd().split('\r\n').length).toBe(total + 1);
    const refused = await getMetricReviews(world.database.db, systemActor('test'), raw, page, { csvCap: total - 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/format' }] });
    expect((refused as AppError).message).toContain(`${total} reviews match`);
    expect((await exportEntries()).length).toBe(before + 1);
  });
});
