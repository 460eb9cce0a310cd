import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildWorld, type World } from '../support/org-world.ts';
import { addActivePlan, addDecisionCatalogue, clearIngested, decision, ingestFingerprint, ndjson, type DecisionWorld } from '../support/decision-world.ts';
import { runCli } from '../support/cli-runner.ts';
import { spawnCli } from '../support/cli-process.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { ndjsonLines } from '../../src/domain/decisions/decision-streams.ts';
import { ingestDecisions } from '../../src/domain/decisions/ingest.service.ts';
import type { DecisionInput } from '../../src/domain/decisions/decision-input.ts';

let database: TestDatabase;
let world: World;
let dw: DecisionWorld;
let dir: string;
let records: DecisionInput[];

const PLAN = {
  tenureBands: [{ key: 'all', below: null }],
  modelScoreBands: [{ key: 'low', below: 0.5 }, { key: 'high', below: null }],
  strata: [
    { key: 'critical', name: 'Critical', when: { positive: true, severities: ['critical'] }, stratifyBy: [], mode: 'all' },
    { key: 'baseline', name: 'Baseline', when: {}, stratifyBy: ['severity', 'modelScoreBand'], mode: 'rate', rate: 0.2 },
  ],
  riskWeights: [{ when: { positive: true }, weight: 2 }],
  assumedAccuracy: 0.9,
};

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  await addActivePlan(database.db, world.workflowId, PLAN);
  const agents = world.people.filter((p) => p.teamId !== null);
  records = Array.from({ length: 24_000 }, (_, i) =>
    decision(dw, agents[i % agents.length]!.id, i, {
      external_id: `k-${i}`,
      labels: i % 50 === 0 ? [dw.labels.threat] : i % 3 === 0 ? [dw.labels.slur] : [],
      action: i % 50 === 0 || i % 3 === 0 ? 'remove' : 'no_action',
    }),
  );
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-import-'));
});

afterAll(async () => {
  await database?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function ingestInProcess(input: DecisionInput[], batchSize: number) {
  return ingestDecisions(database.db, systemActor('test'), ndjsonLines(Readable.from([ndjson(input)])), { batchSize });
}

describe('assay import decisions', () => {
  it('selects the same decisions with the same probabilities whatever the order and batching', async () => {
    const subset = records.slice(0, 6000);
    await clearIngested(database.db);
    const first = await ingestInProcess(subset, 7);
    const reference = await ingestFingerprint(database.db);
    expect(first.accepted).toBe(6000);
    expect(first.sampled).toBeGreaterThan(0);
    expect(reference.samples.n).toBe(first.sampled);
    expect(reference.tasks.n).toBe(first.sampled);

    await clearIngested(database.db);
    const shuffled = [...subset].sort((a, b) => (a.external_id.split('').reverse().join('') < b.external_id.split('').reverse().join('') ? -1 : 1));
    await ingestInProcess(shuffled.slice(0, 2500), 1000);
    await ingestInProcess(shuffled.slice(2500), 333);
    expect(await ingestFingerprint(database.db)).toEqual(reference);
  });

  it('imports NDJSON.gz and CSV with a summary, and a re-run counts duplicates', async () => {
    await clearIngested(database.db);
    const gz = path.join(dir, 'small.ndjson.gz');
    fs.writeFileSync(gz, gzipSync(ndjson(records.slice(0, 500)) + '{"broken": \n'));
    const run = await runCli(database.connectionString, ['import', 'decisions', gz, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ accepted: 500, duplicates: 0, rejectedCount: 1, rejected: [{ line: 501, field: '' }] });

    const csv = path.join(dir, 'small.csv');
    const header = 'source,external_id,workflow,agent,decided_at,labels,action,handle_time_ms,content_kind,content_text,content_language,model_score,metadata';
    const row = (r: DecisionInput) =>
      [r.source, r.external_id, r.workflow, r.agent, r.decided_at, r.labels.join('|'), r.action, r.handle_time_ms, r.content.kind, `"${(r.content.text ?? '').replace(/"/g, '""')}"`, r.content.language, r.model_score, `"${JSON.stringify(r.metadata).replace(/"/g, '""')}"`].join(',');
    const lines = [header, ...records.slice(0, 3).map(row), ...records.slice(500, 502).map(row), 'modtool,x-1,nope,agent,2026-09-01T00:00:00Z,,no_action,1,comment,hi,en,,'];
    fs.writeFileSync(csv, lines.join('\n') + '\n');
    const again = await runCli(database.connectionString, ['import', 'decisions', csv]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/accepted 2, duplicates 3, rejected 2/);
    expect(again.stdout).toMatch(/line 7: workflow: No workflow "nope"/);
    expect(again.stdout).toMatch(/line 7: agent:/);

    const badHeader = path.join(dir, 'bad.csv');
    fs.writeFileSync(badHeader, 'source,external,labels\n');
    const refused = await runCli(database.connectionString, ['import', 'decisions', badHeader]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Missing column "external_id"/);
    expect(refused.stderr).toMatch(/Unknown column "external"/);
  });

  it('survives kill -9 mid-import: re-running reaches exactly the state of an uninterrupted import', async () => {
    const file = path.join(dir, 'big.ndjson');
    fs.writeFileSync(file, ndjson(records));
    await clearIngested(database.db);
    await ingestInProcess(records, 5000);
    const reference = await ingestFingerprint(database.db);
    expect(reference.decisions.n).toBe(records.length);

    await clearIngested(database.db);
    const cli = spawnCli(['import', 'decisions', file, '--batch-size', '500'], { DATABASE_URL: database.connectionString });
    await cli.waitFor(/imported \d+ lines/);
    cli.child.kill('SIGKILL');
    await cli.exited;
    const partial = await ingestFingerprint(database.db);
    expect(partial.decisions.n, 'the kill landed mid-import').toBeLessThan(records.length);
    // Whole batches only: every committed decision has its aggregates, nothing half-written.
    expect(partial.decisions.n % 500).toBe(0);
    const production = await database.db.selectFrom('production_daily').select((eb) => eb.fn.sum<number>('decision_share').as('n')).executeTakeFirstOrThrow();
    expect(Math.round(Number(production.n))).toBe(partial.decisions.n);

    const resumed = await runCli(database.connectionString, ['import', 'decisions', file, '--json'], { timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary.duplicates).toBe(partial.decisions.n);
    expect(summary.accepted).toBe(records.length - partial.decisions.n);
    expect(await ingestFingerprint(database.db)).toEqual(reference);
  }, 180_000);
});
