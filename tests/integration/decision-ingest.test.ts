import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, decision, ingestFingerprint, ndjson, type DecisionWorld } from '../support/decision-world.ts';

let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let dw: DecisionWorld;
let admin: WorldUser;
let vendorManager: WorldUser;
let agents: World['people'];

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  admin = await addUser(database.db, world, 'admin', 'all', 'admin');
  vendorManager = await addUser(database.db, world, 'quality_manager', 'vendor', 'qm-vendor');
  agents = world.people.filter((p) => p.teamId !== null);
  app = await buildTestServer(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

function post(token: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/decisions',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', ...headers },
    payload: body,
  });
}

describe('POST /api/decisions', () => {
  it('accepts valid decisions, resolves the policy version in force and keeps production aggregates', async () => {
    const agent = agents[0]!;
    const records = [
      decision(dw, agent.id, 1, { external_id: 'a-1', decided_at: '2026-05-31T23:30:00-01:00', labels: [dw.labels.slur], action: 'remove' }),
      decision(dw, agent.id, 2, { external_id: 'a-2', decided_at: '2026-05-31T23:30:00+02:00', labels: [dw.labels.slur, dw.labels.threat], action: 'remove', handle_time_ms: 30_000 }),
      decision(dw, agent.id, 3, { external_id: 'a-3', decided_at: '2026-06-02T08:00:00Z', labels: [dw.labels.dogwhistle], action: 'warn_user' }),
      decision(dw, agent.id, 4, { external_id: 'a-4', decided_at: '2026-06-02T09:00:00Z', labels: [], action: 'no_action', handle_time_ms: 10_000 }),
    ];
    const response = await post(admin.token, ndjson(records));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ accepted: 4, duplicates: 0, rejected: [], rejectedCount: 0, sampled: 0 });

    const rows = await database.db.selectFrom('decisions').selectAll().where('source', '=', 'modtool').where('external_id', 'like', 'a-%').orderBy('external_id').execute();
    // 23:30 at -01:00 is 00:30Z on 1 June: v2 is in force. 23:30 at +02:00 is 21:30Z on 31 May: v1.
    expect(rows.map((r) => r.policy_version_ids)).toEqual([[dw.v2], [dw.v1], [dw.v2], []]);
    expect(rows.map((r) => r.decided_day)).toEqual(['2026-06-01', '2026-05-31', '2026-06-02', '2026-06-02']);
    expect(rows.map((r) => r.severity)).toEqual(['high', 'critical', 'medium', null]);
    expect(rows[0]!.vendor_id).toBe(agent.vendorId);
    expect(rows[0]!.tenure_days).toBe(Math.round((Date.parse('2026-06-01') - Date.parse('2024-05-01')) / 86_400_000));

    const production = await database.db.selectFrom('production_daily').selectAll().where('agent_id', '=', agent.id).where('day', 'in', ['2026-05-31', '2026-06-02']).orderBy('day').orderBy('label').execute();
    // a-2 has two labels: it counts once in each label and half in each decision_share.
    expect(production.map((p) => [p.day, p.label, p.decisions, p.decision_share, Number(p.handle_time_ms_sum), p.handle_time_share_ms])).toEqual([
      ['2026-05-31', dw.labels.slur, 1, 0.5, 30_000, 15_000],
      ['2026-05-31', dw.labels.threat, 1, 0.5, 30_000, 15_000],
      ['2026-06-02', '', 1, 1, 10_000, 10_000],
      ['2026-06-02', dw.labels.dogwhistle, 1, 1, records[2]!.handle_time_ms, records[2]!.handle_time_ms],
    ]);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'decisions.ingest').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ accepted: 4, duplicates: 0, rejected: 0 });
  });

  it('counts a re-sent decision as a duplicate and changes nothing; the same instant in another offset is the same payload', async () => {
    const agent = agents[1]!;
    const records = Array.from({ length: 30 }, (_, i) => decision(dw, agent.id, 100 + i));
    expect((await post(admin.token, ndjson(records))).json()).toMatchObject({ accepted: 30, duplicates: 0, rejectedCount: 0 });
    const before = await ingestFingerprint(database.db);
    const respelled = records.map((r) => ({ ...r, decided_at: new Date(r.decided_at).toISOString(), metadata: { ...r.metadata } }));
    const again = await post(admin.token, ndjson(respelled));
    expect(again.json()).toEqual({ accepted: 0, duplicates: 30, rejected: [], rejectedCount: 0, sampled: 0 });
    expect(await ingestFingerprint(database.db)).toEqual(before);
  });

  it('rejects different content under a known id as a conflict and keeps the original', async () => {
    const agent = agents[2]!;
    const original = decision(dw, agent.id, 200, { external_id: 'c-1' });
    await post(admin.token, ndjson([original]));
    const changed = { ...original, labels: [dw.labels.threat], action: 'remove' };
    const response = await post(admin.token, ndjson([changed, { ...original, external_id: 'c-2' }, { ...original, external_id: 'c-2', handle_time_ms: 1 }]));
    const body = response.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([
      { line: 1, field: 'external_id', message: expect.stringMatching(/already exists with different content/) },
      { line: 3, field: 'external_id', message: expect.stringMatching(/See line 2/) },
    ]);
    const stored = await database.db.selectFrom('decisions').select(['labels', 'action']).where('external_id', '=', 'c-1').executeTakeFirstOrThrow();
    expect(stored).toEqual({ labels: original.labels, action: original.action });
  });

  it('rejects bad lines with their line number and field, and still accepts the good ones', async () => {
    const agent = agents[3]!;
    const good = (n: number) => JSON.stringify(decision(dw, agent.id, n, { external_id: `r-${n}` }));
    const lines = [
      good(1),
      '{"source": "modtool", broken',
      JSON.stringify({ ...decision(dw, agent.id, 3), external_id: 'r-3', decided_at: '2026-09-01 10:00' }),
      '',
      JSON.stringify({ ...decision(dw, agent.id, 5), external_id: 'r-5', labels: ['nope.label'] }),
      JSON.stringify({ ...decision(dw, agent.id, 6), external_id: 'r-6', decided_at: '2026-05-01T10:00:00Z', labels: [dw.labels.dogwhistle], action: 'remove' }),
      JSON.stringify({ ...decision(dw, agent.id, 7), external_id: 'r-7', action: 'teleport' }),
      JSON.stringify({ ...decision(dw, agent.id, 8), external_id: 'r-8', agent: 'nobody@example.com' }),
      JSON.stringify({ ...decision(dw, agent.id, 9), external_id: 'r-9', handle_time_ms: -5, content: { kind: 'comment' } }),
      JSON.stringify({ ...decision(dw, agent.id, 10), external_id: 'r-10', decided_at: '2020-01-01T00:00:00Z' }),
      '[1, 2]',
      good(12),
    ];
    const response = await post(admin.token, lines.join('\n'));
    const body = response.json();
    expect(body.accepted).toBe(2);
    const byLine = (line: number) => body.rejected.filter((r: { line: number }) => r.line === line).map((r: { field: string }) => r.field);
    expect(byLine(2)).toEqual(['']);
    expect(byLine(3)).toEqual(['decided_at']);
    expect(byLine(5)).toEqual(['labels']);
    expect(byLine(6)).toEqual(['labels']);
    expect(body.rejected.find((r: { line: number }) => r.line === 6).message).toMatch(/not in abuse_\w+ v1/);
    expect(byLine(7)).toEqual(['action']);
    expect(byLine(8)).toEqual(['agent']);
    expect(byLine(9).sort()).toEqual(['content', 'handle_time_ms']);
    expect(byLine(10)).toEqual(['decided_at']);
    expect(byLine(11)).toEqual(['']);
    expect(body.rejectedCount).toBe(body.rejected.length);
    const stored = await database.db.selectFrom('decisions').select('external_id').where('external_id', 'in', ['r-1', 'r-12', 'r-3', 'r-5']).execute();
    expect(stored.map((r) => r.external_id).sort()).toEqual(['r-1', 'r-12']);
  });

  it('takes gzip, refuses other media types, and keeps vendor-scoped callers to their own agents', async () => {
    const inScope = agents.find((a) => a.vendorId === world.vendors[1]!.id)!;
    const outOfScope = agents.find((a) => a.vendorId === world.vendors[2]!.id)!;
    const body = gzipSync(ndjson([decision(dw, inScope.id, 300, { external_id: 'g-1' }), decision(dw, outOfScope.id, 301, { external_id: 'g-2' })]));
    const response = await post(vendorManager.token, body, { 'content-encoding': 'gzip' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 1, rejected: [{ line: 2, field: 'agent' }] });
    const json = await app.inject({ method: 'POST', url: '/api/decisions', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const broken = await post(admin.token, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.message).toMatch(/could not be read/);
  });
});
