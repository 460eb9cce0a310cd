/**
 * npm run bench:ingest — 1,000,000 decisions as NDJSON through the whole
 * ingest path (parse, validate, resolve the policy version, sample, persist,
 * aggregate, create QA tasks), and in the same run a COPY of the same rows
 * into a bare table (no keys, no indexes) on the same database: the baseline.
 * Machines here are noisy, so the ratio is the comparable figure.
 * BENCH_ROWS changes the row count. Prints one JSON object on its last line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { connectDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { provisionDatabase } from '../../src/db/provision.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { ndjsonLines } from '../../src/domain/decisions/decision-streams.ts';
import { ingestDecisions } from '../../src/domain/decisions/ingest.service.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-ingest-'));
fs.chmodSync(dataDir, 0o755);
const ndjsonFile = path.join(dataDir, 'decisions.ndjson');
const copyFile = path.join(dataDir, 'decisions.copy');
const log = (message: string) => process.stderr.write(`${message}\n`);

/** A small deterministic generator (mulberry32): the same rows every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const copyText = (v: string | null) => (v === null ? '\\N' : v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!));

const provisioned = await provisionDatabase({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir, onProgress: log });
const database = connectDatabase(provisioned.connectionString, { max: 4 });
try {
  await migrateToLatest(database.db);
  if ((await database.db.selectFrom('users').select('id').limit(1).execute()).length > 0) throw new Error('bench:ingest needs an empty database');
  // The demo organisation, catalogue and sampling plans (in force from 100 days ago), no decisions.
  const demo = await loadDemo(database.db, { decisionScale: 0 });

  // The input: agents by employee reference, labels of the workflow's policies in force now.
  const labelsByWorkflow = new Map<string, string[]>();
  for (const workflow of demo.workflows) {
    const keys = demo.policies.filter((p) => workflow.policyKeys.includes(p.key)).flatMap((p) => p.versions[0]!.labels.map((l) => l.key).filter((k) => p.versions.every((v) => v.labels.some((l) => l.key === k))));
    labelsByWorkflow.set(workflow.key, keys);
  }
  const teamWorkflow = new Map(demo.teams.map((t) => [t.key, t.workflowKey]));
  const agents = demo.people.filter((p) => p.jobRole === 'agent' && p.teamKey !== null).map((p) => ({ ref: p.employeeRef, workflow: teamWorkflow.get(p.teamKey!)!, hire: Date.parse(p.hireDate) }));
  const random = rng(7);
  const end = Date.now() - 3_600_000;
  const ndjsonOut = fs.createWriteStream(ndjsonFile);
  const copyOut = fs.createWriteStream(copyFile);
  log(`Generating ${rows} decisions...`);
  for (let i = 0; i < rows; i++) {
    const agent = agents[Math.floor(random() * agents.length)]!;
    const labels = labelsByWorkflow.get(agent.workflow)!;
    // In time order, as the upstream tool sends them: 60 days ending an hour ago.
    const decidedAt = new Date(Math.max(agent.hire + 86_400_000, end - 60 * 86_400_000 + Math.floor((i / rows) * 60 * 86_400_000))).toISOString();
    const positive = random() < 0.3 && labels.length > 0 && agent.workflow !== 'user_support';
    const record = {
      source: 'bench',
      external_id: `b-${i}`,
      workflow: agent.workflow,
      agent: agent.ref,
      decided_at: decidedAt,
      labels: positive ? [labels[Math.floor(random() * labels.length)]!] : [],
      action: agent.workflow === 'user_support' ? 'reply_macro' : positive ? 'remove' : 'no_action',
      handle_time_ms: 5_000 + Math.floor(random() * 60_000),
      content: { kind: 'comment', text: `Comment ${i}: this is what a reported comment looks like, about eighty characters.`, language: 'en' },
      model_score: Math.round(random() * 1000) / 1000,
      metadata: { queue: 'reported', region: 'EMEA' },
    };
    const line = `${JSON.stringify(record)}\n`;
    const copyLine = [record.source, record.external_id, record.workflow, record.agent, record.decided_at, `{${record.labels.map((l) => `"${l}"`).join(',')}}`, record.action, record.handle_time_ms, record.content.kind, copyText(record.content.text), '\\N', record.content.language, record.model_score, copyText(JSON.stringify(record.metadata))].join('\t') + '\n';
    if (!ndjsonOut.write(line)) await once(ndjsonOut, 'drain');
    if (!copyOut.write(copyLine)) await once(copyOut, 'drain');
  }
  ndjsonOut.end();
  copyOut.end();
  await Promise.all([once(ndjsonOut, 'finish'), once(copyOut, 'finish')]);

  // Baseline: COPY of the same rows into a bare table.
  log('COPY baseline...');
  const client = new pg.Client({ connectionString: provisioned.connectionString });
  await client.connect();
  await client.query(`CREATE UNLOGGED TABLE IF NOT EXISTS bench_bare_decisions (source text, external_id text, workflow text, agent text, decided_at timestamptz, labels text[], action text, handle_time_ms integer, content_kind text, content_text text, content_url text, content_language text, model_score real, metadata jsonb)`);
  await client.query('ALTER TABLE bench_bare_decisions SET LOGGED');
  await client.query('TRUNCATE bench_bare_decisions');
  const copyStarted = performance.now();
  await pipeline(fs.createReadStream(copyFile, { highWaterMark: 1 << 20 }), client.query(copyFrom('COPY bench_bare_decisions FROM STDIN')));
  const copySeconds = (performance.now() - copyStarted) / 1000;
  await client.query('DROP TABLE bench_bare_decisions');
  await client.end();

  log('Ingest...');
  const ingestStarted = performance.now();
  const summary = await ingestDecisions(database.db, systemActor('bench'), ndjsonLines(fs.createReadStream(ndjsonFile, { highWaterMark: 1 << 20 })), {
    onProgress: (p) => {
      if (p.lines % 100_000 === 0) log(`  ${p.lines} lines`);
    },
  });
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  if (summary.accepted !== rows) throw new Error(`Expected ${rows} accepted, got ${JSON.stringify({ ...summary, rejected: summary.rejected.slice(0, 5) })}`);
  // A second, informative baseline: COPY of the decisions exactly as stored (27 columns, resolved ids)
  // into a bare table. The gap between the two baselines is the cost of the stored row's shape alone.
  const storedFile = path.join(dataDir, 'stored.copy');
  const exporter = new pg.Client({ connectionString: provisioned.connectionString });
  await exporter.connect();
  await pipeline(exporter.query(copyTo('COPY decisions TO STDOUT')), fs.createWriteStream(storedFile));
  await exporter.query('CREATE TABLE bench_bare_stored (LIKE decisions INCLUDING DEFAULTS)');
  const storedStarted = performance.now();
  await pipeline(fs.createReadStream(storedFile, { highWaterMark: 1 << 20 }), exporter.query(copyFrom('COPY bench_bare_stored FROM STDIN')));
  const storedSeconds = (performance.now() - storedStarted) / 1000;
  await exporter.query('DROP TABLE bench_bare_stored');
  await exporter.end();

  const decisionsPerS = rows / ingestSeconds;
  const copyRowsPerS = rows / copySeconds;
  const storedRowsPerS = rows / storedSeconds;
  log(`sampled for QA at ingestion: ${summary.sampled}`);
  console.log(
    JSON.stringify({
      bench: 'ingest',
      rows,
      decisions_per_s: Math.round(decisionsPerS),
      copy_rows_per_s: Math.round(copyRowsPerS),
      ratio_vs_copy: Number((decisionsPerS / copyRowsPerS).toFixed(3)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      ingest_s: Number(ingestSeconds.toFixed(2)),
      copy_s: Number(copySeconds.toFixed(2)),
      copy_stored_rows_per_s: Math.round(storedRowsPerS),
      ratio_vs_stored_copy: Number((decisionsPerS / storedRowsPerS).toFixed(3)),
      sampled: summary.sampled,
    }),
  );
} finally {
  await database.close();
  await provisioned.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
