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
import { connectDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { provisionDatabase } from '../../src/db/provision.ts';
import { digest } from '../../src/domain/auth/secrets.ts';

const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 10_000_000);
const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const WARM_UP_ROUNDS = 2;
const AGENTS = 3000;
const REVIEWERS = 120;
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
/** The design's sampled share at scale 1 is ~10.9%; probabilities scale so the sample is ~9% above the reviews asked for. */
const RATE_SCALE = REVIEWS / DECISIONS / 0.1;

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

const HELPERS = `
CREATE FUNCTION bench_uuid(kind int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT (lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
CREATE FUNCTION bench_h(n bigint, seed bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT hashint8extended(n, seed) & 2147483647 $$;
CREATE FUNCTION bench_u(n bigint, seed bigint) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT (hashint8extended(n, seed) & 2147483647)::double precision / 2147483648 $$;`;

const POLICIES = [['hate', 'harassment'], ['spam', 'scams'], ['violence', 'self_harm']];
const WORKFLOWS = [['hate_harassment', 'Hate and harassment'], ['spam_scams', 'Spam and scams'], ['violence', 'Violence and self-harm']];
/** Per workflow: policy A's labels (critical, high, medium), then policy B's (high, medium, low). */
const LABEL_SEVERITIES = ['critical', 'high', 'medium', 'high', 'medium', 'low'];
const labelKeys = (w: number) => POLICIES[w]!.flatMap((p, k) => (k === 0 ? ['severe', 'serious', 'moderate'] : ['serious', 'moderate', 'minor']).map((s) => `${p}.${s}`));
const RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Label combinations a decision can carry: 0 none, 1-6 one label, 7-15 one label of each policy. */
function labelCombos(): string {
  const rows: string[] = [];
  for (let w = 0; w < 3; w++) {
    const keys = labelKeys(w);
    const combos: number[][] = [[], ...keys.map((_, i) => [i]), ...Array.from({ length: 9 }, (_, c) => [c % 3, 3 + Math.floor(c / 3)])];
    combos.forEach((combo, c) => {
      const severity = combo.length === 0 ? null : combo.map((i) => LABEL_SEVERITIES[i]!).sort((a, b) => RANK[b]! - RANK[a]!)[0]!;
      const versions = combo.map((i) => `bench_uuid(8, ${w * 2 + (i < 3 ? 0 : 1)})`);
      rows.push(`(${w}, ${c}, ARRAY[${combo.map((i) => `'${keys[i]}'`).join(',')}]::text[], ARRAY[${versions.join(',')}]::uuid[], ${severity ? `'${severity}'` : 'NULL'})`);
    });
  }
  return rows.join(',\n');
}

const PLAN_DEFINITION = JSON.stringify({
  tenureBands: [{ key: 'nesting', below: 30 }, { key: 'ramping', below: 90 }, { key: 'established', below: null }],
  modelScoreBands: [{ key: 'any', below: null }],
  strata: [
    { key: 'severe', name: 'Severe', when: { severities: ['critical', 'high'] }, stratifyBy: [], mode: 'rate', rate: 0.5 },
    { key: 'new_hire', name: 'New hires', when: { tenureBands: ['nesting'] }, stratifyBy: [], mode: 'rate', rate: 0.3 },
    { key: 'positive', name: 'Other positives', when: { positive: true }, stratifyBy: [], mode: 'rate', rate: 0.15 },
    { key: 'routine', name: 'Routine', when: {}, stratifyBy: [], mode: 'rate', rate: 0.05 },
  ],
  riskWeights: [],
  assumedAccuracy: 0.9,
});
const SCORECARD = JSON.stringify({
  sections: [{ key: 'decision', title: 'Decision', questions: [{ key: 'label', text: 'Correct label?', kind: 'correct_label', weight: 3, critical: true }, { key: 'action', text: 'Correct action?', kind: 'correct_action', weight: 2, critical: false }] }],
  rootCauses: [{ key: 'knowledge', label: 'Policy knowledge' }, { key: 'attention', label: 'Attention' }],
  commentRequiredOnFail: false,
  passMark: 80,
});

/** The organisation, catalogue, plans and scorecards, and helper tables the bulk inserts join. */
function organisationSql(token: string): string {
  const policies = POLICIES.flat();
  return `
INSERT INTO vendors (id, name, code, is_in_house)
SELECT bench_uuid(1, v), CASE WHEN v = 0 THEN 'In-house Trust & Safety' ELSE 'Vendor ' || chr(64 + v) || ' BPO' END,
       CASE WHEN v = 0 THEN 'INH' ELSE 'VND' || v END, v = 0 FROM generate_series(0, 5) v;
INSERT INTO sites (id, vendor_id, name, country_code, time_zone)
SELECT bench_uuid(2, s), bench_uuid(1, s / 5), 'Site ' || s, (ARRAY['GB','US','PH','IN','PT','KE'])[1 + s % 6], 'UTC' FROM generate_series(0, 29) s;
INSERT INTO workflows (id, key, name, kind) VALUES ${WORKFLOWS.map(([key, name], w) => `(bench_uuid(3, ${w}), '${key}', '${name}', 'moderation')`).join(', ')};
INSERT INTO teams (id, vendor_id, site_id, name, workflow_id)
SELECT bench_uuid(4, t), bench_uuid(1, t / 25), bench_uuid(2, t / 5), 'Team ' || t, bench_uuid(3, t % 3) FROM generate_series(0, 149) t;
INSERT INTO people (id, vendor_id, site_id, team_id, full_name, employee_ref, job_role, hire_date)
SELECT bench_uuid(5, a), bench_uuid(1, a / 500), bench_uuid(2, a / 100), bench_uuid(4, a / 20), 'Agent ' || a, 'A' || a, 'agent',
       CASE WHEN bench_u(a, 11) < 0.1 THEN DATE '${from}' - (bench_h(a, 12) % 30)::int ELSE DATE '${from}' - 90 - (bench_h(a, 12) % 900)::int END
FROM generate_series(0, ${AGENTS - 1}) a;
INSERT INTO people (id, vendor_id, site_id, team_id, full_name, employee_ref, job_role, hire_date)
SELECT bench_uuid(6, r), bench_uuid(1, 0), bench_uuid(2, r % 5), NULL, 'Reviewer ' || r, 'R' || r, 'qa_specialist', DATE '2024-01-01'
FROM generate_series(0, ${REVIEWERS - 1}) r;
INSERT INTO enforcement_actions (key, name) VALUES ('remove', 'Remove'), ('no_action', 'No action');
INSERT INTO policies (id, key, name) VALUES ${policies.map((p, i) => `(bench_uuid(7, ${i}), '${p}', '${p.replace('_', ' ')}')`).join(', ')};
INSERT INTO workflow_policies (workflow_id, policy_id) SELECT bench_uuid(3, p / 2), bench_uuid(7, p) FROM generate_series(0, 5) p;
INSERT INTO policy_versions (id, policy_id, version, effective_from)
SELECT bench_uuid(8, p), bench_uuid(7, p), 1, DATE '${from}' - 400 FROM generate_series(0, 5) p;
INSERT INTO policy_labels (policy_version_id, key, name, severity, position) VALUES ${[0, 1, 2]
    .flatMap((w) => labelKeys(w).map((key, i) => `(bench_uuid(8, ${w * 2 + (i < 3 ? 0 : 1)}), '${key}', '${key}', '${LABEL_SEVERITIES[i]}', ${i % 3})`))
    .join(', ')};
INSERT INTO sampling_plan_versions (id, workflow_id, version, status, name, definition, seed, effective_from, activated_at)
SELECT bench_uuid(9, w), bench_uuid(3, w), 1, 'active', 'Risk-based', '${PLAN_DEFINITION}', 'bench', DATE '${from}' - 100, DATE '${from}' - 100
FROM generate_series(0, 2) w;
INSERT INTO scorecard_versions (id, workflow_id, version, status, name, definition, published_at)
SELECT bench_uuid(10, w), bench_uuid(3, w), 1, 'published', 'Bench scorecard', '${SCORECARD}', DATE '${from}' - 100 FROM generate_series(0, 2) w;
WITH u AS (INSERT INTO users (email, display_name, password_hash, role, scope_kind) VALUES ('bench@bench.example', 'Bench admin', 'x', 'admin', 'all') RETURNING id)
INSERT INTO api_tokens (user_id, name, token_hash, prefix) SELECT id, 'bench', '${digest(token)}', '${token.slice(0, 12)}' FROM u;

CREATE TABLE bench_agents AS
SELECT a AS idx, bench_uuid(5, a) AS id, a / 500 AS vendor_idx, bench_uuid(1, a / 500) AS vendor_id, bench_uuid(2, a / 100) AS site_id,
       bench_uuid(4, a / 20) AS team_id, (a / 20) % 3 AS workflow_idx, bench_uuid(3, (a / 20) % 3) AS workflow_id, p.hire_date
FROM generate_series(0, ${AGENTS - 1}) a JOIN people p ON p.id = bench_uuid(5, a);
CREATE UNIQUE INDEX ON bench_agents (idx);
CREATE TABLE bench_combos (workflow_idx int, combo int, labels text[], version_ids uuid[], severity text, PRIMARY KEY (workflow_idx, combo));
INSERT INTO bench_combos VALUES ${labelCombos()};
CREATE TABLE bench_workflow_labels AS SELECT workflow_idx, array_agg(labels[1] ORDER BY combo) AS labels FROM bench_combos WHERE combo BETWEEN 1 AND 6 GROUP BY 1;
ANALYZE bench_agents, bench_combos, bench_workflow_labels;`;
}

/** Decisions first..last, evenly in time from the first day's midnight to now, each with its sample stratum and draw. */
function decisionsSql(first: number, last: number, startMs: number, stepMs: number): string {
  const rate = (base: number) => Math.min(1, base * RATE_SCALE);
  return `
INSERT INTO decisions (id, source, external_id, workflow_id, agent_id, vendor_id, site_id, team_id, decided_at, decided_day, labels,
  policy_version_ids, severity, action, handle_time_ms, content_kind, content_language, model_score, tenure_days, payload_hash,
  sampling_plan_version_id, stratum_key, sampling_p, sampling_u)
SELECT bench_uuid(100, i), 'bench', 'b' || i, workflow_id, agent_id, vendor_id, site_id, team_id, decided_at, day, labels, version_ids,
       severity, CASE WHEN cardinality(labels) = 0 THEN 'no_action' ELSE 'remove' END, 5000 + (bench_h(i, 3) % 60000)::int, 'comment', 'en',
       (bench_h(i, 4) % 1000)::real / 1000, tenure, 'bench', bench_uuid(9, workflow_idx), stratum,
       CASE stratum WHEN 'severe' THEN ${rate(0.5)} WHEN 'new_hire' THEN ${rate(0.3)} WHEN 'positive' THEN ${rate(0.15)} ELSE ${rate(0.05)} END,
       bench_u(i, 5)
FROM (
  SELECT y.*, CASE WHEN severity IN ('critical', 'high') THEN 'severe' WHEN tenure < 30 THEN 'new_hire'
                   WHEN cardinality(labels) > 0 THEN 'positive' ELSE 'routine' END AS stratum
  FROM (
    SELECT x.i, x.decided_at, (x.decided_at AT TIME ZONE 'UTC')::date AS day, a.id AS agent_id, a.vendor_id, a.site_id, a.team_id,
           a.workflow_id, a.workflow_idx, (x.decided_at AT TIME ZONE 'UTC')::date - a.hire_date AS tenure, c.labels, c.version_ids, c.severity
    FROM (
      SELECT g.i, to_timestamp(${startMs / 1000} + (g.i - 1) * ${stepMs / 1000}) AS decided_at, bench_h(g.i, 1) % ${AGENTS} AS agent_idx,
             CASE WHEN bench_u(g.i, 2) < 0.05 THEN (ARRAY[1, 2, 4])[1 + bench_h(g.i, 6) % 3]
                  WHEN bench_u(g.i, 2) < 0.27 THEN (ARRAY[3, 5, 6])[1 + bench_h(g.i, 6) % 3]
                  WHEN bench_u(g.i, 2) < 0.30 THEN 7 + bench_h(g.i, 6) % 9 ELSE 0 END AS combo
      FROM generate_series(${first}::bigint, ${last}::bigint) g(i)) x
    JOIN bench_agents a ON a.idx = x.agent_idx
    JOIN bench_combos c ON c.workflow_idx = a.workflow_idx AND c.combo = x.combo) y) z`;
}

/** Production volumes and the sampling frame from the decisions (as ingestion keeps them), and the samples: independent, run side by side. */
const DERIVED_SQL = [
  `INSERT INTO production_daily (day, agent_id, workflow_id, label, vendor_id, site_id, team_id, decisions, decision_share, handle_time_ms_sum, handle_time_share_ms)
   SELECT p.day, p.agent_id, a.workflow_id, p.label, a.vendor_id, a.site_id, a.team_id, p.decisions, p.share, p.handle, p.handle_share
   FROM (SELECT decided_day AS day, agent_id, label, count(*) AS decisions, sum(share) AS share, sum(handle_time_ms) AS handle,
                sum(handle_time_ms * share) AS handle_share
         FROM (SELECT d.decided_day, d.agent_id, coalesce(l.label, '') AS label, d.handle_time_ms,
                      1.0::float8 / greatest(cardinality(d.labels), 1) AS share
               FROM decisions d LEFT JOIN LATERAL unnest(d.labels) l(label) ON true) x
         GROUP BY 1, 2, 3) p
   JOIN bench_agents a ON a.id = p.agent_id`,
  `INSERT INTO sampling_strata_daily (plan_version_id, day, stratum_key, population, expected, selected)
   SELECT sampling_plan_version_id, decided_day, stratum_key, count(*), sum(sampling_p), count(*) FILTER (WHERE sampling_u < sampling_p)
   FROM decisions GROUP BY 1, 2, 3;
   CREATE TABLE bench_sampled AS
   SELECT id, workflow_id, vendor_id, site_id, team_id, agent_id, labels, decided_at, tenure_days, sampling_plan_version_id, stratum_key, sampling_p
   FROM decisions WHERE sampling_u < sampling_p;
   INSERT INTO qa_samples (decision_id, plan_version_id, stratum_key, inclusion_probability, method, vendor_id, site_id, team_id, agent_id, selected_at)
   SELECT id, sampling_plan_version_id, stratum_key, sampling_p, 'rate', vendor_id, site_id, team_id, agent_id, decided_at FROM bench_sampled`,
];

/** Tasks for every sample; a random ~REVIEWS of them reviewed, with vendor, tenure and difficulty effects on accuracy. */
const REVIEW_SQL = `
CREATE TABLE bench_ranked AS
SELECT s.*, row_number() OVER (ORDER BY hashtextextended(s.id::text, 7), s.id) AS rk FROM bench_sampled s;
INSERT INTO qa_tasks (id, decision_id, workflow_id, vendor_id, site_id, team_id, agent_id, language, status, due_at, created_at, completed_at)
SELECT bench_uuid(101, rk), id, workflow_id, vendor_id, site_id, team_id, agent_id, 'en',
       CASE WHEN rk <= ${REVIEWS} THEN 'completed' ELSE 'open' END, decided_at + interval '2 days', decided_at,
       CASE WHEN rk <= ${REVIEWS} THEN least(now(), decided_at + interval '1 day') END
FROM bench_ranked;
ALTER TABLE reviews DISABLE TRIGGER reviews_rollup_insert;
INSERT INTO reviews (id, task_id, decision_id, workflow_id, vendor_id, site_id, team_id, agent_id, reviewer_id, reviewer_vendor_id,
  scorecard_version_id, blind, qa_labels, qa_action, answers, score, passed, critical_failed, correct, error_types, root_causes,
  time_on_task_ms, submitted_at, disputed, overturned)
SELECT bench_uuid(102, rk), bench_uuid(101, rk), decision_id, workflow_id, vendor_id, site_id, team_id, agent_id,
       bench_uuid(6, bench_h(rk, 21) % ${REVIEWERS}), bench_uuid(1, 0), bench_uuid(10, workflow_idx), true, qa_labels,
       CASE WHEN cardinality(qa_labels) = 0 THEN 'no_action' ELSE 'remove' END, '[]', score, score >= 80 AND NOT critical_failed,
       critical_failed, correct,
       CASE WHEN correct THEN '{}'::text[] WHEN cardinality(labels) = 0 THEN '{missed_violation}'
            WHEN cardinality(qa_labels) = 0 THEN '{over_enforcement}' ELSE '{wrong_label}' END,
       CASE WHEN correct THEN '{}'::text[] ELSE ARRAY[(ARRAY['knowledge', 'attention', 'policy_ambiguity', 'tooling'])[1 + bench_h(rk, 22) % 4]] END,
       60000 + bench_h(rk, 23) % 240000, least(now(), decided_at + interval '1 day'), disputed, disputed AND bench_u(rk, 24) < 0.3
FROM (
  SELECT o.*, NOT correct AND bench_u(rk, 25) < 0.4 AS critical_failed,
         CASE WHEN correct THEN 80 + bench_h(rk, 26) % 21 ELSE 40 + bench_h(rk, 26) % 40 END AS score,
         bench_u(rk, 27) < CASE WHEN correct THEN 0.01 ELSE 0.12 END AS disputed,
         CASE WHEN correct THEN labels WHEN cardinality(labels) = 0 OR bench_u(rk, 28) >= 0.5 THEN ARRAY[wrong]
              ELSE '{}'::text[] END AS qa_labels
  FROM (
    SELECT b.rk, b.id AS decision_id, b.workflow_id, b.vendor_id, b.site_id, b.team_id, b.agent_id, b.labels, b.decided_at, a.workflow_idx,
           bench_u(b.rk, 20) < (ARRAY[0.95, 0.93, 0.91, 0.94, 0.89, 0.92])[1 + a.vendor_idx] - CASE WHEN b.tenure_days < 30 THEN 0.06 ELSE 0 END
                                - CASE WHEN cardinality(b.labels) > 0 THEN 0.03 ELSE 0 END AS correct,
           CASE WHEN w.labels[1 + bench_h(b.rk, 29) % 6] = ANY (b.labels) THEN w.labels[1 + (bench_h(b.rk, 29) + 1) % 6]
                ELSE w.labels[1 + bench_h(b.rk, 29) % 6] END AS wrong
    FROM bench_ranked b JOIN bench_agents a ON a.id = b.agent_id JOIN bench_workflow_labels w ON w.workflow_idx = a.workflow_idx
    WHERE b.rk <= ${REVIEWS}) o) r;`;

async function buildDataSet(admin: pg.Pool, embedded: boolean, token: string): Promise<void> {
  const run = (text: string) => admin.query(text);
  if (embedded) {
    // A throw-away server: fewer checkpoints during the bulk load. Not done on a DATABASE_URL server.
    await run(`ALTER SYSTEM SET max_wal_size = '16GB'`);
    await run('SELECT pg_reload_conf()');
  }
  await run(HELPERS);
  await timed('organisation', () => run(organisationSql(token)));
  // Secondary indexes are built once after the load, with the same definitions.
  const indexes = (await admin.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'decisions' AND indexname <> 'decisions_pkey'`,
  )).rows;
  for (const index of indexes) await run(`DROP INDEX ${index.name}`);
  const startMs = Date.parse(`${from}T00:00:00Z`);
  const stepMs = (Date.now() - 60_000 - startMs) / DECISIONS;
  const parts = 2;
  await timed(`${DECISIONS.toLocaleString('en')} decisions (${parts} sessions)`, () =>
    Promise.all(
      Array.from({ length: parts }, async (_, p) => {
        const client = await admin.connect();
        try {
          await client.query(`SET synchronous_commit = off; SET work_mem = '64MB'`);
          const first = Math.floor((p * DECISIONS) / parts) + 1;
          const last = Math.floor(((p + 1) * DECISIONS) / parts);
          await client.query(decisionsSql(first, last, startMs, stepMs));
        } finally {
          client.release();
        }
      }),
    ),
  );
  await timed('decision indexes', () => Promise.all(indexes.map((index) => run(`SET maintenance_work_mem = '1GB'; ${index.def}`))));
  await timed('production_daily, sampling frame, qa_samples', () => Promise.all(DERIVED_SQL.map((statement) => run(`SET work_mem = '256MB'; ${statement}`))));
  // Rows are consistent by construction: a superuser skips the per-row foreign-key checks (replica mode) to load faster.
  const superuser = (await admin.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0]!.rolsuper;
  await timed('qa_tasks and reviews (rollup trigger disabled)', () =>
    run(`SET work_mem = '256MB'; ${superuser ? `SET session_replication_role = replica;` : ''} ${REVIEW_SQL} RESET session_replication_role;`),
  );
  await timed('assay_rollups_rebuild()', () => run(`SET work_mem = '256MB'; SELECT assay_rollups_rebuild(); ALTER TABLE reviews ENABLE TRIGGER reviews_rollup_insert;`));
  await run('DROP TABLE bench_agents, bench_combos, bench_workflow_labels, bench_sampled, bench_ranked; DROP FUNCTION bench_uuid, bench_h, bench_u');
  // The rebuild upserts every rollup row once per 50,000-review batch that touches it, leaving the
  // tables several times their live size in dead row versions. A database whose rollups were kept by
  // the triggers (autovacuum reusing the space) has no such bloat, so the API is measured on
  // compacted tables; the sizes before and after are reported.
  const rollupTables = (await admin.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND (relname LIKE 'quality%' OR relname LIKE 'production%')`,
  )).rows.map((r) => r.name);
  const sizes = async () => (await admin.query<{ mb: number }>(`SELECT (sum(pg_total_relation_size(c::regclass)) / 1048576)::int AS mb FROM unnest($1::text[]) c`, [rollupTables])).rows[0]!.mb;
  const bloated = await sizes();
  await timed('VACUUM FULL rollups, ANALYZE, CHECKPOINT', async () => {
    await run(`VACUUM (FULL) ${rollupTables.join(', ')}`);
    // A plain VACUUM after the rewrite sets the visibility map, as autovacuum keeps it on a live database (index-only scans).
    await run(`VACUUM (ANALYZE) ${rollupTables.join(', ')}`);
    await run('ANALYZE');
    await run('CHECKPOINT');
  });
  log(`  rollup and production tables: ${bloated} MB after the rebuild, ${await sizes()} MB compacted`);
  const counted = ['decisions', 'qa_samples', 'reviews', ...rollupTables.sort()];
  const counts = (await admin.query<Record<string, string>>(`SELECT ${counted.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`)).rows[0]!;
  log(`  rows: ${Object.entries(counts).map(([k, v]) => `${k} ${Number(v).toLocaleString('en')}`).join(', ')}`);
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
  const app = await buildServer({ db: fresh.db, policy: { idleMinutes: 30, maxHours: 12, maxFailures: 5, windowMinutes: 15 }, secureCookies: false, webDir: null });
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
    await buildDataSet(admin, provisioned.embedded && !process.env.DATABASE_URL, token);
    if (keptFile) fs.writeFileSync(keptFile, JSON.stringify({ from, to, token, decisions: DECISIONS, reviews: REVIEWS } satisfies KeptDataSet));
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const reviews = Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM reviews')).rows[0]!.n);
  const vendorId = (await admin.query<{ id: string }>(`SELECT id FROM vendors WHERE code = 'VND2'`)).rows[0]!.id;
  const requests = dashboardRequests(vendorId);

  const app = await buildServer({ db: database.db, policy: { idleMinutes: 30, maxHours: 12, maxFailures: 5, windowMinutes: 15 }, secureCookies: false, webDir: null });
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
