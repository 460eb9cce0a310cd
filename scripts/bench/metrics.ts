/**
 * npm run bench:metrics — the metrics API over a synthetic 10,000,000 decisions / 1,000,000 reviews
 * (90 decision days ending today, UTC), built in SQL in a throw-away embedded PostgreSQL: 6 vendors,
 * 30 sites, 150 teams, 3,000 agents, 120 reviewers, 3 workflows with 2 policies of 3 labels each, a
 * risk-based sample (severe 50%, new hires 30%, other positives 15%, routine 5%: ~1.09M qa_samples,
 * ~1M reviewed), production_daily and the sampling frame consistent with the decisions, and the quality
 * rollups rebuilt once after a bulk insert of the reviews with the rollup trigger disabled.
 *
 * Measured: the requests the quality dashboards make (docs: metrics contract, "Web routes") — the 7
 * overview tiles (overall), accuracy by vendor, by vendor x week, by agent within one vendor,
 * precision by vendor x label, the weekly control chart of critical_error_rate, the Pareto of error
 * types and volume by vendor — over HTTP (bearer token, permission, scoped transaction, estimation,
 * JSON) against the real server in this process, one at a time, BENCH_ROUNDS rounds after 2 warm-up
 * rounds. p50_ms / p95_ms are over every request of every round.
 *
 * Baseline in the same run: DuckDB (in memory, all cores) holding the same rows — each review joined
 * with its decision's day, organisation, severity and labels and its sample's weight and design
 * stratum (what assay_review_facts feeds the rollups), and the decisions' day and vendor for volume —
 * exported from PostgreSQL with COPY (load time not counted). For each API request DuckDB computes,
 * by scanning those rows, the sufficient statistics the request needs: the grouped weighted sums per
 * group x design stratum (workflow, day, stratum), plus the stratum sizes when the request filters or
 * cuts across strata. Its results stay materialised inside DuckDB (not converted to JS values), and it
 * does no estimation, HTTP or JSON: a strict baseline. duckdb_ms = median over rounds of the time for
 * the whole set / the number of requests in the set (a per-query median), comparable with the API's
 * per-request p95; ratio_vs_duckdb = duckdb_ms / p95_ms (> 1: the API is faster).
 *
 * BENCH_DECISIONS (default 10,000,000), BENCH_REVIEWS (default 1,000,000) and BENCH_ROUNDS (default 10)
 * change the run. BENCH_EXPLAIN=1 (embedded database only) then sends every request once more with
 * auto_explain on and prints the plans (EXPLAIN ANALYZE, as the request ran them: scoped role, row-level
 * security) of its slowest statements. BENCH_KEEP_DIR=/some/dir (opt-in, for iterating on the engine) keeps the
 * embedded database there instead of a throw-away directory: the first run loads it and writes bench.json
 * (window, token, sizes) beside it; later runs with the same directory and sizes skip the load, migrate (a
 * migration added since is applied; an edited one is not re-run) and measure. Delete the directory to reload;
 * the window is the one of the first run, so a kept data set ages but stays self-consistent.
 * Progress and load timings on stderr; the last line is one JSON object.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildServer } from '../../src/api/server.ts';
import { secretBox } from '../../src/domain/auth/secret-box.ts';
import { connectDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { provisionDatabase } from '../../src/db/provision.ts';
import { digest } from '../../src/domain/auth/secrets.ts';
import { buildDataSet } from './metrics-data.ts';

const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 10_000_000);
const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const WARM_UP_ROUNDS = 2;
const DAY_MS = 86_400_000;
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
const KEEP_DIR = process.env.BENCH_KEEP_DIR ? path.resolve(process.env.BENCH_KEEP_DIR) : null;
if (KEEP_DIR) fs.mkdirSync(KEEP_DIR, { recursive: true });
const dataDir = KEEP_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-metrics-'));
fs.chmodSync(dataDir, 0o755);
const log = (message: string) => process.stderr.write(`${message}\n`);
/** A kept data set (BENCH_KEEP_DIR) loaded by an earlier run: its window and token. */
interface KeptDataSet {
  from: string;
  to: string;
  token: string;
  decisions: number;
  reviews: number;
}
const keptFile = KEEP_DIR ? path.join(KEEP_DIR, 'bench.json') : null;
const kept: KeptDataSet | null = keptFile && fs.existsSync(keptFile) ? (JSON.parse(fs.readFileSync(keptFile, 'utf8')) as KeptDataSet) : null;
if (kept && (kept.decisions !== DECISIONS || kept.reviews !== REVIEWS)) {
  throw new Error(`${KEEP_DIR} holds ${kept.decisions} decisions / ${kept.reviews} reviews: delete it or ask for those sizes`);
}
const to = kept?.to ?? new Date().toISOString().slice(0, 10);
const from = kept?.from ?? new Date(Date.parse(to) - 89 * DAY_MS).toISOString().slice(0, 10);

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** The dashboards' requests (contract "Web routes"), with the same window for every one. */
function dashboardRequests(vendorId: string): Array<{ name: string; path: string }> {
  const window = `from=${from}&to=${to}`;
  const tiles = ['accuracy', 'critical_error_rate', 'over_enforcement_rate', 'under_enforcement_rate', 'qa_score', 'dispute_rate', 'overturn_rate'];
  return [
    ...tiles.map((measure) => ({ name: `tile ${measure}`, path: `/api/metrics?measure=${measure}&${window}` })),
    { name: 'accuracy by vendor', path: `/api/metrics?measure=accuracy&by=vendor&${window}` },
    { name: 'accuracy by vendor x week', path: `/api/metrics?measure=accuracy&by=vendor&grain=week&${window}` },
    { name: 'accuracy by agent, one vendor', path: `/api/metrics?measure=accuracy&by=agent&filter=vendor:${vendorId}&${window}` },
    { name: 'precision by vendor x label', path: `/api/metrics?measure=precision&by=vendor,label&${window}` },
    { name: 'control chart critical_error_rate', path: `/api/metrics/control-chart?measure=critical_error_rate&grain=week&${window}` },
    { name: 'pareto error types', path: `/api/metrics/pareto?kind=error_type&${window}` },
    { name: 'volume by vendor', path: `/api/metrics?measure=volume&by=vendor&${window}` },
  ];
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);

async function driveApi(port: number, token: string, requests: Array<{ name: string; path: string }>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (requestPath: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: requestPath, agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        })
        .on('error', reject);
    });
  const latencies: number[] = [];
  const byRequest = new Map<string, number[]>(requests.map((r) => [r.name, []]));
  const bodies = new Map<string, string>();
  let failures = 0;
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
    for (const request of requests) {
      const started = performance.now();
      const { status, body } = await get(request.path);
      const ms = performance.now() - started;
      if (status !== 200) {
        failures += 1;
        if (failures <= 5) log(`  ${request.name}: ${status} ${body.slice(0, 300)}`);
      }
      if (round >= WARM_UP_ROUNDS) {
        latencies.push(ms);
        byRequest.get(request.name)!.push(ms);
      } else bodies.set(request.name, body);
    }
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), byRequest, bodies, failures, count: latencies.length };
}

/**
 * Sends each request once through a fresh pool whose sessions preload auto_explain, then prints the
 * slowest statements' plans from the server's log (the embedded server logs to dataDir/postgres.log).
 */
async function explainSlowest(admin: pg.Pool, token: string, requests: Array<{ name: string; path: string }>): Promise<void> {
  const logFile = path.join(dataDir, 'postgres.log');
  const settings: Array<[string, string]> = [
    ['session_preload_libraries', 'auto_explain'], ['auto_explain.log_min_duration', '5ms'], ['auto_explain.log_analyze', 'on'],
    ['auto_explain.log_buffers', 'on'], ['auto_explain.log_format', 'text'],
  ];
  for (const [name, value] of settings) await admin.query(`ALTER SYSTEM SET ${name} = '${value}'`);
  await admin.query('SELECT pg_reload_conf()');
  const logStart = fs.statSync(logFile).size;
  const fresh = connectDatabase(provisioned.connectionString, { max: 2 });
  const app = await buildServer({ db: fresh.db, policy: { idleMinutes: 30, maxHours: 12, maxFailures: 5, windowMinutes: 15 }, secureCookies: false, webDir: null, secretBox: secretBox(randomBytes(32)) });
  try {
    for (const request of requests) await app.inject({ method: 'GET', url: request.path, headers: { authorization: `Bearer ${token}` } });
  } finally {
    await app.close();
    await fresh.close();
    for (const [name] of settings) await admin.query(`ALTER SYSTEM RESET ${name}`);
    await admin.query('SELECT pg_reload_conf()');
  }
  const text = fs.readFileSync(logFile, 'utf8').slice(logStart);
  const plans = [...text.matchAll(/LOG: {2}duration: ([\d.]+) ms {2}plan:\n([\s\S]*?)(?=\n\S|$)/g)].map((m) => ({ ms: Number(m[1]), plan: m[2]! }));
  plans.sort((a, b) => b.ms - a.ms);
  log(`${plans.length} statements over 5 ms; the slowest:`);
  for (const { ms, plan } of plans.slice(0, 4)) log(`--- ${ms} ms\n${plan}`);
}

/** Exports the review facts and the decisions' day and vendor from PostgreSQL into an in-memory DuckDB. */
async function loadDuckDb(admin: pg.Pool) {
  const factsFile = path.join(dataDir, 'facts.csv');
  const decisionsFile = path.join(dataDir, 'decisions.csv');
  const client = await admin.connect();
  try {
    await pipeline(client.query(copyTo(`COPY (
      SELECT d.decided_day, r.workflow_id, coalesce(s.plan_version_id::text || ':' || s.stratum_key, 'unsampled'), r.vendor_id, r.site_id,
             r.team_id, r.agent_id, r.reviewer_id, coalesce(d.severity, ''), 1.0 / coalesce(s.inclusion_probability, 1), r.correct,
             r.critical_failed, r.passed, r.score, r.disputed, r.overturned, array_to_string(d.labels, '|'), array_to_string(r.qa_labels, '|'),
             array_to_string(r.error_types, '|')
      FROM reviews r JOIN decisions d ON d.id = r.decision_id LEFT JOIN qa_samples s ON s.decision_id = r.decision_id
    ) TO STDOUT WITH (FORMAT csv)`)), fs.createWriteStream(factsFile));
    await pipeline(client.query(copyTo('COPY (SELECT decided_day, vendor_id FROM decisions) TO STDOUT WITH (FORMAT csv)')), fs.createWriteStream(decisionsFile));
  } finally {
    client.release();
  }
  const instance = await DuckDBInstance.create(':memory:', { threads: String(os.cpus().length) });
  const duck = await instance.connect();
  const list = (column: string) => `CASE WHEN ${column} IS NULL OR ${column} = '' THEN []::VARCHAR[] ELSE string_split(${column}, '|') END`;
  await duck.run(`CREATE TABLE facts AS SELECT day, workflow_id, stratum, vendor_id, site_id, team_id, agent_id, reviewer_id, severity, w,
      correct, critical, passed, score, disputed, overturned, ${list('agent_labels')} AS agent_labels, ${list('qa_labels')} AS qa_labels,
      ${list('error_types')} AS error_types, len(${list('agent_labels')}) > 0 AS agent_violating, len(${list('qa_labels')}) > 0 AS qa_violating
    FROM read_csv('${factsFile}', header = false, nullstr = '', columns = {day: 'DATE', workflow_id: 'UUID', stratum: 'VARCHAR', vendor_id: 'UUID',
      site_id: 'UUID', team_id: 'UUID', agent_id: 'UUID', reviewer_id: 'UUID', severity: 'VARCHAR', w: 'DOUBLE', correct: 'BOOLEAN',
      critical: 'BOOLEAN', passed: 'BOOLEAN', score: 'DOUBLE', disputed: 'BOOLEAN', overturned: 'BOOLEAN', agent_labels: 'VARCHAR',
      qa_labels: 'VARCHAR', error_types: 'VARCHAR'})`);
  await duck.run(`CREATE TABLE decisions AS SELECT * FROM read_csv('${decisionsFile}', header = false, columns = {day: 'DATE', vendor_id: 'UUID'})`);
  fs.rmSync(factsFile);
  fs.rmSync(decisionsFile);
  return { instance, duck };
}

/** The sufficient statistics of each dashboard request, as DuckDB SQL over the raw rows (same order as dashboardRequests). */
function duckQueries(vendorId: string): string[][] {
  const where = `day BETWEEN DATE '${from}' AND DATE '${to}'`;
  const design = 'workflow_id, day, stratum';
  const base = 'count(*) AS n, sum(w) AS sum_w, sum(w * w) AS sum_w2';
  const flag = (name: string, condition: string) =>
    `count(*) FILTER (WHERE ${condition}) AS n_${name}, coalesce(sum(w) FILTER (WHERE ${condition}), 0) AS sum_w_${name}, coalesce(sum(w * w) FILTER (WHERE ${condition}), 0) AS sum_w2_${name}`;
  const cells = [flag('tp', 'agent_violating AND qa_violating'), flag('fp', 'agent_violating AND NOT qa_violating'), flag('fn', 'NOT agent_violating AND qa_violating')].join(', ');
  const perStratum = (measures: string, extra = '') => `SELECT ${design}${extra ? `, ${extra}` : ''}, ${base}, ${measures} FROM facts WHERE ${where} GROUP BY ALL`;
  const designCounts = `SELECT ${design}, count(*) AS n FROM facts WHERE ${where} GROUP BY ALL`;
  const week = `date_trunc('week', day) AS week`;
  return [
    [perStratum(flag('correct', 'correct'))],
    [perStratum(flag('critical', 'critical'))],
    [perStratum(cells)],
    [perStratum(cells)],
    [perStratum('sum(w * score) AS sum_w_score, sum(w * w * score) AS sum_w2_score, sum(w * w * score * score) AS sum_w2_score2')],
    [`SELECT count(*) AS n, count(*) FILTER (WHERE disputed) AS n_disputed FROM facts WHERE ${where}`],
    [`SELECT count(*) FILTER (WHERE disputed) AS n_disputed, count(*) FILTER (WHERE overturned) AS n_overturned FROM facts WHERE ${where}`],
    [perStratum(flag('correct', 'correct'), 'vendor_id')],
    [perStratum(flag('correct', 'correct'), `vendor_id, ${week}`)],
    [`SELECT agent_id, ${design}, ${base}, ${flag('correct', 'correct')} FROM facts WHERE ${where} AND vendor_id = '${vendorId}' GROUP BY ALL`, designCounts],
    [
      `SELECT vendor_id, label, ${design}, ${flag('tp', 'list_contains(agent_labels, label) AND list_contains(qa_labels, label)')},
              ${flag('fp', 'list_contains(agent_labels, label) AND NOT list_contains(qa_labels, label)')}
       FROM (SELECT *, unnest(list_distinct(list_concat(agent_labels, qa_labels))) AS label FROM facts WHERE ${where}) GROUP BY ALL`,
      designCounts,
    ],
    [perStratum(flag('critical', 'critical'), week)],
    [`SELECT e AS key, count(*) AS n, sum(w) AS weighted FROM (SELECT unnest(error_types) AS e, w FROM facts WHERE ${where}) GROUP BY ALL`],
    [`SELECT vendor_id, count(*) AS decisions FROM decisions WHERE ${where} GROUP BY ALL`],
  ];
}

async function driveDuckDb(duck: Awaited<ReturnType<typeof loadDuckDb>>['duck'], queries: string[][]) {
  const roundTimes: number[] = [];
  const perQuery = queries.map(() => [] as number[]);
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
    let total = 0;
    for (const [q, statements] of queries.entries()) {
      const started = performance.now();
      for (const statement of statements) (await duck.run(statement)).rowCount;
      const ms = performance.now() - started;
      total += ms;
      if (round >= WARM_UP_ROUNDS) perQuery[q]!.push(ms);
    }
    if (round >= WARM_UP_ROUNDS) roundTimes.push(total);
  }
  return { perQueryMedian: median(roundTimes) / queries.length, perQuery: perQuery.map(median) };
}

const provisioned = await provisionDatabase({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir, onProgress: log });
const database = connectDatabase(provisioned.connectionString, { max: 8 });
const admin = new pg.Pool({ connectionString: provisioned.connectionString, max: 4 });
admin.on('error', () => undefined);
try {
  await migrateToLatest(database.db);
  const token = kept?.token ?? `assay_${randomBytes(24).toString('base64url')}`;
  const loadStarted = performance.now();
  if (kept) log(`Reusing the data set in ${KEEP_DIR} (${from} .. ${to}).`);
  else {
    if ((await database.db.selectFrom('users').select('id').limit(1).execute()).length > 0) throw new Error('bench:metrics needs an empty database');
    log(`Building ${DECISIONS.toLocaleString('en')} decisions / ${REVIEWS.toLocaleString('en')} reviews over ${from} .. ${to}:`);
    await buildDataSet(admin, provisioned.embedded && !process.env.DATABASE_URL, token, { decisions: DECISIONS, reviews: REVIEWS, from }, log);
    if (keptFile) fs.writeFileSync(keptFile, JSON.stringify({ from, to, token, decisions: DECISIONS, reviews: REVIEWS } satisfies KeptDataSet));
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const reviews = Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM reviews')).rows[0]!.n);
  const vendorId = (await admin.query<{ id: string }>(`SELECT id FROM vendors WHERE code = 'VND2'`)).rows[0]!.id;
  const requests = dashboardRequests(vendorId);

  const app = await buildServer({ db: database.db, policy: { idleMinutes: 30, maxHours: 12, maxFailures: 5, windowMinutes: 15 }, secureCookies: false, webDir: null, secretBox: secretBox(randomBytes(32)) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  log(`API: ${requests.length} dashboard requests x ${ROUNDS} rounds (after ${WARM_UP_ROUNDS} warm-up rounds)...`);
  const api = await driveApi((app.server.address() as { port: number }).port, token, requests);
  await app.close();
  if (EXPLAIN && !process.env.DATABASE_URL) await explainSlowest(admin, token, requests);
  for (const [name, times] of api.byRequest) log(`  ${name.padEnd(36)} p50 ${median(times).toFixed(1)} ms  max ${Math.max(...times).toFixed(1)} ms`);

  log('DuckDB: exporting the same rows (not timed)...');
  const { instance, duck } = await timed('export and load', () => loadDuckDb(admin));
  const queries = duckQueries(vendorId);
  const duckdb = await driveDuckDb(duck, queries);
  requests.forEach((r, i) => log(`  duckdb ${r.name.padEnd(29)} median ${duckdb.perQuery[i]!.toFixed(1)} ms`));
  // The same figure both ways: the API's overall weighted accuracy and DuckDB's over the same rows.
  const check = (await duck.runAndReadAll(`SELECT sum(w * correct::int) / sum(w) AS accuracy FROM facts`)).getRowObjects()[0]!.accuracy as number;
  const apiAccuracy = (JSON.parse(api.bodies.get('tile accuracy') || '{}') as { overall?: { value?: number } }).overall?.value ?? null;
  log(`  weighted accuracy: API ${apiAccuracy}, DuckDB ${check.toFixed(6)}`);
  duck.closeSync();
  instance.closeSync();

  const round = (value: number, digits: number) => Number(value.toFixed(digits));
  console.log(JSON.stringify({
    bench: 'metrics', reviews, p50_ms: round(api.p50, 2), p95_ms: round(api.p95, 2), duckdb_ms: round(duckdb.perQueryMedian, 2),
    ratio_vs_duckdb: round(duckdb.perQueryMedian / api.p95, 3), decisions: DECISIONS, requests: api.count, failures: api.failures,
    accuracy_api: apiAccuracy, accuracy_duckdb: round(check, 6), load_s: round(loadSeconds, 1),
  }));
  if (api.failures > 0) process.exitCode = 1;
} finally {
  await admin.end();
  await database.close();
  await provisioned.stop();
  if (!KEEP_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
}
