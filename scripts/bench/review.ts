/**
 * npm run bench:review — concurrent review submissions over HTTP against a
 * database holding the demo data: each request is a real POST
 * /api/qa/tasks/:id/review (bearer token, permission, scoped transaction,
 * task lock, scorecard, policy check, scoring, review + revision + task +
 * audit writes). In the same run, the baseline: a bare Fastify endpoint on
 * the same database doing one INSERT per request, driven by the same load
 * generator at the same concurrency. The ratio is the comparable figure.
 * BENCH_SUBMITS (default 4000), BENCH_CONCURRENCY (default 32) and
 * BENCH_DEMO_SCALE (default 0.25) change the run. Last line: one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import Fastify from 'fastify';
import pg from 'pg';
import { buildServer } from '../../src/api/server.ts';
import { secretBox } from '../../src/domain/auth/secret-box.ts';
import { connectDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { provisionDatabase } from '../../src/db/provision.ts';
import { digest } from '../../src/domain/auth/secrets.ts';
import type { Answer, ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';

const submits = Number(process.env.BENCH_SUBMITS ?? 4000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const demoScale = Number(process.env.BENCH_DEMO_SCALE ?? 0.25);
const reviewers = 16;
// BENCH_PROFILE=1 (with pg_stat_statements loaded, e.g. a DATABASE_URL server started with
// shared_preload_libraries=pg_stat_statements) prints where PostgreSQL spends a submit's time.
const profile = process.env.BENCH_PROFILE === '1';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-review-'));
fs.chmodSync(dataDir, 0o755);
const log = (message: string) => process.stderr.write(`${message}\n`);

const SIMPLE_SCORECARD: ScorecardDefinition = {
  sections: [
    {
      key: 'decision',
      title: 'Decision',
      questions: [
        { key: 'label', text: 'Correct label?', kind: 'correct_label', weight: 3, critical: true },
        { key: 'action', text: 'Correct action?', kind: 'correct_action', weight: 2, critical: false },
        { key: 'notes', text: 'Notes complete?', kind: 'yes_no', weight: 1, critical: false, errorType: 'process' },
      ],
    },
  ],
  rootCauses: [{ key: 'knowledge', label: 'Policy knowledge' }],
  commentRequiredOnFail: true,
  passMark: 80,
};

/** An answer to every answered question that passes it, so no comment is needed. */
function passingAnswers(definition: ScorecardDefinition): Answer[] {
  return definition.sections.flatMap((s) =>
    s.questions.flatMap((q): Answer[] => {
      if (q.kind === 'yes_no') return [{ questionKey: q.key, value: 'yes' }];
      if (q.kind === 'scale') return [{ questionKey: q.key, value: 5 }];
      if (q.kind === 'choice') return [{ questionKey: q.key, value: [...(q.options ?? [])].sort((a, b) => b.credit - a.credit)[0]!.key }];
      return [];
    }),
  );
}

interface Shot {
  path: string;
  token: string;
  body: string;
}

interface DriveResult {
  perS: number;
  p50: number;
  p99: number;
  failures: number;
}

/**
 * Sends every shot over keep-alive connections, `concurrency` at a time; latencies in ms. In this
 * process on purpose: on these VMs a wake-up across threads costs more than the request (a worker
 * thread generating the load halved both figures).
 */
async function drive(port: number, shots: Shot[], expected: number): Promise<DriveResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const send = (shot: Shot) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: shot.path, agent, headers: { authorization: `Bearer ${shot.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(shot.body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            if (response.statusCode !== expected && failures < 3) log(`${response.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`);
            resolve(response.statusCode ?? 0);
          });
        },
      );
      request.on('error', reject);
      request.end(shot.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < shots.length) {
        const shot = shots[next++]!;
        const t0 = performance.now();
        const status = await send(shot);
        latencies.push(performance.now() - t0);
        if (status !== expected) failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { perS: shots.length / seconds, p50: at(0.5), p99: at(0.99), failures };
}

/** BENCH_CPU_PROFILE=file.cpuprofile records Node's CPU profile of the measured submissions only. */
async function startCpuProfile(): Promise<{ stopInto(file: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stopInto(file) {
      const { profile: cpuProfile } = await session.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(cpuProfile));
      session.disconnect();
    },
  };
}

async function printProfile(count: number): Promise<void> {
  const rows = (await raw.query<{ calls: string; total_ms: number; mean_ms: number; query: string }>(
    `SELECT calls, total_exec_time + total_plan_time AS total_ms, mean_exec_time AS mean_ms, query FROM pg_stat_statements
     ORDER BY total_exec_time + total_plan_time DESC LIMIT 25`,
  )).rows;
  for (const r of rows) {
    log(`${(r.total_ms / count).toFixed(3)} ms/submit  calls ${r.calls}  mean ${r.mean_ms.toFixed(3)}  ${r.query.replace(/\s+/g, ' ').slice(0, 220)}`);
  }
}

const provisioned = await provisionDatabase({ databaseUrl: process.env.DATABASE_URL ?? null, dataDir, onProgress: log });
const database = connectDatabase(provisioned.connectionString, { max: 16 });
const raw = new pg.Pool({ connectionString: provisioned.connectionString, max: 16 });
// Stopping PostgreSQL at the end ends idle clients: not an error worth a crash.
raw.on('error', () => undefined);
try {
  await migrateToLatest(database.db);
  if ((await database.db.selectFrom('users').select('id').limit(1).execute()).length > 0) throw new Error('bench:review needs an empty database');
  log(`Loading the demo (decision scale ${demoScale})...`);
  await loadDemo(database.db, { decisionScale: demoScale });

  // Every workflow needs a published scorecard; the demo's when it has one.
  const workflows = (await raw.query<{ id: string }>('SELECT id FROM workflows')).rows;
  for (const w of workflows) {
    await raw.query(
      `INSERT INTO scorecard_versions (workflow_id, version, status, name, definition, published_at)
       SELECT $1, coalesce(max(version), 0) + 1, 'published', 'Bench scorecard', $2, now() FROM scorecard_versions WHERE workflow_id = $1
       HAVING NOT bool_or(status = 'published') OR count(*) = 0`,
      [w.id, JSON.stringify(SIMPLE_SCORECARD)],
    );
  }
  const scorecards = new Map((await raw.query<{ workflow_id: string; id: string; definition: ScorecardDefinition }>(`SELECT workflow_id, id, definition FROM scorecard_versions WHERE status = 'published'`)).rows.map((r) => [r.workflow_id, r]));

  // Reviewers with API tokens, linked to QA people of the in-house vendor.
  const qaPeople = (await raw.query<{ id: string }>(
    `SELECT p.id FROM people p JOIN vendors v ON v.id = p.vendor_id WHERE v.is_in_house AND p.job_role IN ('qa_specialist', 'qa_lead') ORDER BY p.id LIMIT $1`,
    [reviewers],
  )).rows;
  if (qaPeople.length === 0) throw new Error('The demo has no in-house QA people.');
  const tokens: Array<{ personId: string; token: string }> = [];
  for (const [i, person] of qaPeople.entries()) {
    const token = `assay_${randomBytes(24).toString('base64url')}`;
    const user = await raw.query<{ id: string }>(
      `INSERT INTO users (email, display_name, password_hash, role, scope_kind, scope_ref_id, person_id) VALUES ($1, $2, 'x', 'qa_specialist', 'all', NULL, $3) RETURNING id`,
      [`bench-reviewer-${i}@bench.example`, `Bench reviewer ${i}`, person.id],
    );
    await raw.query(`INSERT INTO api_tokens (user_id, name, token_hash, prefix) VALUES ($1, 'bench', $2, $3)`, [user.rows[0]!.id, digest(token), token.slice(0, 12)]);
    tokens.push({ personId: person.id, token });
  }

  // Enough tasks to submit: demo decisions without one get a task (as if sampled).
  await raw.query(
    `INSERT INTO qa_tasks (decision_id, workflow_id, vendor_id, site_id, team_id, agent_id, language, due_at)
     SELECT d.id, d.workflow_id, d.vendor_id, d.site_id, d.team_id, d.agent_id, coalesce(d.content_language, ''), now() + interval '2 days'
     FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM qa_tasks t WHERE t.decision_id = d.id) ORDER BY d.id LIMIT $1`,
    [submits],
  );
  // The tasks to submit: open tasks, each claimed (setup, not measured) by a reviewer in turn.
  const tasks = (await raw.query<{ id: string; workflow_id: string; labels: string[]; action: string }>(
    `SELECT t.id, t.workflow_id, d.labels, d.action FROM qa_tasks t JOIN decisions d ON d.id = t.decision_id
     WHERE t.status IN ('open', 'claimed') AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.task_id = t.id) ORDER BY t.id LIMIT $1`,
    [submits],
  )).rows;
  if (tasks.length < submits) log(`Only ${tasks.length} open tasks in the demo at this scale: submitting those (raise BENCH_DEMO_SCALE for more).`);
  const shots: Shot[] = [];
  for (const [i, task] of tasks.entries()) {
    const reviewer = tokens[i % tokens.length]!;
    await raw.query(`UPDATE qa_tasks SET status = 'claimed', claimed_by = $2, assignee_id = $2, claimed_at = now(), lease_expires_at = now() + interval '1 day' WHERE id = $1`, [task.id, reviewer.personId]);
    const scorecard = scorecards.get(task.workflow_id)!;
    shots.push({
      path: `/api/qa/tasks/${task.id}/review`,
      token: reviewer.token,
      body: JSON.stringify({ scorecardVersionId: scorecard.id, verdict: { labels: task.labels, action: task.action }, answers: passingAnswers(scorecard.definition) }),
    });
  }
  await raw.query('VACUUM ANALYZE');

  // The product's server.
  const app = await buildServer({ db: database.db, policy: { idleMinutes: 30, maxHours: 12, maxFailures: 5, windowMinutes: 15 }, secureCookies: false, webDir: null, secretBox: secretBox(randomBytes(32)) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  log(`Submitting ${shots.length} reviews, ${concurrency} at a time...`);
  if (profile) await raw.query('SELECT pg_stat_statements_reset()');
  const cpu = process.env.BENCH_CPU_PROFILE ? await startCpuProfile() : null;
  const review = await drive(port, shots, 201);
  if (cpu) await cpu.stopInto(process.env.BENCH_CPU_PROFILE!);
  await app.close();
  if (profile) await printProfile(shots.length);
  if (review.failures > 0) log(`${review.failures} submissions did not answer 201`);

  // The baseline: the same requests to a bare endpoint doing one INSERT.
  await raw.query('CREATE TABLE bench_bare_reviews (id bigserial PRIMARY KEY, task_id uuid NOT NULL, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())');
  const bare = Fastify();
  bare.post<{ Params: { id: string } }>('/api/qa/tasks/:id/review', async (request, reply) => {
    await raw.query('INSERT INTO bench_bare_reviews (task_id, body) VALUES ($1, $2)', [request.params.id, request.body]);
    return reply.status(201).send({ ok: true });
  });
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const barePort = (bare.server.address() as { port: number }).port;
  log('Baseline...');
  const baseline = await drive(barePort, shots, 201);
  await bare.close();
  await raw.query('DROP TABLE bench_bare_reviews');

  console.log(
    JSON.stringify({
      bench: 'review',
      submits_per_s: Math.round(review.perS),
      p99_ms: Number(review.p99.toFixed(2)),
      baseline_per_s: Math.round(baseline.perS),
      ratio_vs_baseline: Number((review.perS / baseline.perS).toFixed(3)),
      p50_ms: Number(review.p50.toFixed(2)),
      baseline_p99_ms: Number(baseline.p99.toFixed(2)),
      submits: shots.length,
      concurrency,
      failures: review.failures,
    }),
  );
} finally {
  await raw.end();
  await database.close();
  await provisioned.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
