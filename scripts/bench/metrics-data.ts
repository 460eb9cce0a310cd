/**
 * The synthetic data set of npm run bench:metrics (see metrics.ts for what it holds and how it is
 * measured), built in SQL on the server: organisation, catalogue, plans and scorecards; decisions in
 * parallel sessions; production volumes, sampling frame and samples; tasks and reviews; the rollups
 * rebuilt once; rollup tables compacted as a live database keeps them.
 */
import type pg from 'pg';
import { digest } from '../../src/domain/auth/secrets.ts';

/** How large the data set is and where its 90-day window starts (YYYY-MM-DD). */
export interface BenchShape {
  decisions: number;
  reviews: number;
  from: string;
}

const AGENTS = 3000;
const REVIEWERS = 120;

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
function organisationSql(token: string, from: string): string {
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
function decisionsSql(first: number, last: number, startMs: number, stepMs: number, rateScale: number): string {
  const rate = (base: number) => Math.min(1, base * rateScale);
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
const reviewSql = (reviews: number) => `
CREATE TABLE bench_ranked AS
SELECT s.*, row_number() OVER (ORDER BY hashtextextended(s.id::text, 7), s.id) AS rk FROM bench_sampled s;
INSERT INTO qa_tasks (id, decision_id, workflow_id, vendor_id, site_id, team_id, agent_id, language, status, due_at, created_at, completed_at)
SELECT bench_uuid(101, rk), id, workflow_id, vendor_id, site_id, team_id, agent_id, 'en',
       CASE WHEN rk <= ${reviews} THEN 'completed' ELSE 'open' END, decided_at + interval '2 days', decided_at,
       CASE WHEN rk <= ${reviews} THEN least(now(), decided_at + interval '1 day') END
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
    WHERE b.rk <= ${reviews}) o) r;`;

export async function buildDataSet(admin: pg.Pool, embedded: boolean, token: string, shape: BenchShape, log: (message: string) => void): Promise<void> {
  const { decisions: DECISIONS, reviews: REVIEWS, from } = shape;
  /** The design's sampled share at scale 1 is ~10.9%; probabilities scale so the sample is ~9% above the reviews asked for. */
  const rateScale = REVIEWS / DECISIONS / 0.1;
  const run = (text: string) => admin.query(text);
  async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await work();
    log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  }
  if (embedded) {
    // A throw-away server: fewer checkpoints during the bulk load. Not done on a DATABASE_URL server.
    await run(`ALTER SYSTEM SET max_wal_size = '16GB'`);
    await run('SELECT pg_reload_conf()');
  }
  await run(HELPERS);
  await timed('organisation', () => run(organisationSql(token, from)));
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
          await client.query(decisionsSql(first, last, startMs, stepMs, rateScale));
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
    run(`SET work_mem = '256MB'; ${superuser ? `SET session_replication_role = replica;` : ''} ${reviewSql(REVIEWS)} RESET session_replication_role;`),
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

