import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { findVersionInForce } from '../../src/db/repositories/policies.repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';
import { auditCount, auditRowsFor } from '../support/audit-trail.ts';

/**
 * Workflows, enforcement actions and policies with immutable, dated versions,
 * through HTTP; the version in force at an instant; concurrent versioning.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let api: ReturnType<typeof tokenClient>;
let seq = 0;
const key = (base: string) => `${base}_${world.tag}_${++seq}`;

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const label = (k: string, severity = 'high') => ({ key: k, name: `Label ${k}`, severity, description: '' });
const version = (effectiveFrom: string, extra: Record<string, unknown> = {}) => ({
  effectiveFrom,
  summary: 'Text',
  labels: [label('hate.slur', 'critical'), label('hate.symbol')],
  allowedActions: ['remove', 'warn'],
  ...extra,
});

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'policy-admin');
  app = await buildTestServer(database.db);
  api = tokenClient(app, admin.token);
  for (const action of ['remove', 'warn', 'age_restrict']) {
    expect((await api('POST', '/api/actions', { key: action, name: action.replace('_', ' ') })).statusCode).toBe(201);
  }
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function newPolicy(initialVersion?: object) {
  const response = await api('POST', '/api/policies', { key: key('hate'), name: 'Hate speech', ...(initialVersion && { initialVersion }) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

function paths(response: { json(): { error: { details: Array<{ path: string }> } } }): string[] {
  return response.json().error.details.map((d) => d.path);
}

describe('enforcement actions', () => {
  it('creates, refuses a duplicate key, and deactivates with an audit entry', async () => {
    const k = key('ban');
    expect((await api('POST', '/api/actions', { key: k, name: 'Ban' })).json()).toEqual({ key: k, name: 'Ban', description: '', status: 'active' });
    const duplicate = await api('POST', '/api/actions', { key: k, name: 'Ban again' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.details).toEqual([{ path: '/key', message: 'An action with this key already exists.' }]);
    expect(paths(await api('POST', '/api/actions', { key: 'Not A Key', name: 'x' }))).toEqual(['/key']);
    expect((await api('PATCH', `/api/actions/${k}`, { status: 'inactive' })).json().status).toBe('inactive');
    expect((await auditRowsFor(database.db, k)).map((r) => r.action)).toEqual(['action.create', 'action.deactivate']);
  });
});

describe('workflows', () => {
  it('creates a workflow with a kind and policy set, replaces the set, and never changes the key', async () => {
    const [p1, p2] = [await newPolicy(), await newPolicy()];
    const k = key('video');
    const created = await api('POST', '/api/workflows', { key: k, name: 'Video', kind: 'moderation', policyIds: [p1.id] });
    expect(created.statusCode).toBe(201);
    const workflow = created.json();
    expect(workflow).toMatchObject({ key: k, kind: 'moderation', status: 'active', policyIds: [p1.id] });
    expect((await api('GET', `/api/policies/${p1.id}`)).json().workflowIds).toEqual([workflow.id]);

    const patched = await api('PATCH', `/api/workflows/${workflow.id}`, { kind: 'support', policyIds: [p2.id, p1.id, p2.id] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().kind).toBe('support');
    expect(patched.json().policyIds).toEqual([p1.id, p2.id].sort());
    const entries = await auditRowsFor(database.db, workflow.id);
    expect(entries.map((e) => e.action)).toEqual(['workflow.create', 'workflow.update']);
    expect(entries[1]!.details).toMatchObject({ changes: { kind: ['moderation', 'support'], policyIds: [[p1.id], [p1.id, p2.id].sort()] } });

    expect(paths(await api('PATCH', `/api/workflows/${workflow.id}`, { key: 'renamed' }))).toEqual(['/key']);
    expect(paths(await api('POST', '/api/workflows', { key: key('bad'), name: 'Bad', kind: 'triage' }))).toContain('/kind');
    const missingPolicy = await api('POST', '/api/workflows', { key: key('ghost'), name: 'Ghost', kind: 'support', policyIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(missingPolicy.json().error.details).toEqual([{ path: '/policyIds/0', message: 'No such policy.' }]);
    expect((await api('POST', '/api/workflows', { key: k, name: 'Again', kind: 'support' })).statusCode).toBe(409);
  });
});

describe('policies and versions', () => {
  it('creates a policy with its first version, then numbers new versions after it, newest first', async () => {
    const v1At = iso(Date.now() - 30 * DAY);
    const policy = await newPolicy(version(v1At));
    expect(policy.versionCount).toBe(1);
    expect(policy.versions).toHaveLength(1);
    expect(policy.versions[0]).toMatchObject({
      version: 1, effectiveFrom: v1At, inForce: true, allowedActions: ['remove', 'warn'],
      labels: [{ key: 'hate.slur', name: 'Label hate.slur', severity: 'critical', description: '' }, { key: 'hate.symbol', name: 'Label hate.symbol', severity: 'high', description: '' }],
    });
    expect(policy.currentVersion).toEqual({ id: policy.versions[0].id, version: 1, effectiveFrom: v1At });

    const v2 = await api('POST', `/api/policies/${policy.id}/versions`, version(iso(Date.now() - DAY), { allowedActions: ['age_restrict'] }));
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, inForce: true, allowedActions: ['age_restrict'] });
    const read = (await api('GET', `/api/policies/${policy.id}`)).json();
    expect(read.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(read.versions.map((v: { inForce: boolean }) => v.inForce)).toEqual([true, false]);
    expect(read.currentVersion.version).toBe(2);
    const entries = await auditRowsFor(database.db, policy.id);
    expect(entries.map((e) => e.action)).toEqual(['policy.create', 'policy.version_create', 'policy.version_create']);
    expect(entries[2]!.details).toMatchObject({ version: 2, versionId: v2.json().id, allowedActions: ['age_restrict'] });
  });

  it('offers no way to edit a version: no route, and the policy patch does not accept versions', async () => {
    const policy = await newPolicy(version(iso(Date.now() - DAY)));
    const versionId = policy.versions[0].id;
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const response = await api(method, `/api/policies/${policy.id}/versions/${versionId}`, method === 'DELETE' ? undefined : { summary: 'Rewritten' });
      expect(response.statusCode, method).toBe(404);
    }
    const patch = await api('PATCH', `/api/policies/${policy.id}`, { versions: [], name: 'Renamed' });
    expect(patch.statusCode).toBe(422);
    expect(paths(patch)).toEqual(['/versions']);
    const after = (await api('GET', `/api/policies/${policy.id}`)).json();
    expect(after.name).toBe('Hate speech');
    expect(after.versions[0].summary).toBe('Text');
    const routes = app.routeAccess.map((r) => `${r.method} ${r.url}`).filter((r) => r.startsWith('/api/policies', r.indexOf(' ') + 1) && r.includes('/versions'));
    expect(routes).toEqual(['POST /api/policies/:id/versions']);
  });

  it('refuses a version taking effect at or before the latest one, at /effectiveFrom, writing nothing', async () => {
    const latest = iso(Date.now() - 2 * DAY);
    const policy = await newPolicy(version(latest));
    const entries = await auditCount(database.db);
    for (const effectiveFrom of [iso(Date.now() - 3 * DAY), latest]) {
      const response = await api('POST', `/api/policies/${policy.id}/versions`, version(effectiveFrom));
      expect(response.statusCode).toBe(422);
      expect(response.json().error.details).toEqual([
        { path: '/effectiveFrom', message: `Version 1 takes effect at ${latest}; a new version must take effect after it.` },
      ]);
    }
    expect(paths(await api('POST', `/api/policies/${policy.id}/versions`, version('2030-01-01T00:00:00')))).toEqual(['/effectiveFrom']);
    expect((await api('GET', `/api/policies/${policy.id}`)).json().versionCount).toBe(1);
    expect(await auditCount(database.db)).toBe(entries);
  });

  it('validates labels and actions with paths into the arrays', async () => {
    const policy = await newPolicy(version(iso(Date.now() - DAY)));
    const at = iso(Date.now() + DAY);
    const severity = await api('POST', `/api/policies/${policy.id}/versions`, version(at, { labels: [label('a.b'), { ...label('a.c'), severity: 'urgent' }] }));
    expect(severity.statusCode).toBe(422);
    expect(paths(severity)).toContain('/labels/1/severity');
    const duplicate = await api('POST', `/api/policies/${policy.id}/versions`, version(at, { labels: [label('a.b'), label('a.c'), label('a.b')] }));
    expect(duplicate.json().error.details).toEqual([
      { path: '/labels/2/key', message: 'Label 1 already uses this key; keys are unique within a version.' },
    ]);
    const badKey = await api('POST', `/api/policies/${policy.id}/versions`, version(at, { labels: [label('Hate Slur')] }));
    expect(paths(badKey)).toEqual(['/labels/0/key']);
    const noLabels = await api('POST', `/api/policies/${policy.id}/versions`, version(at, { labels: [] }));
    expect(paths(noLabels)).toEqual(['/labels']);
    const unknownAction = await api('POST', `/api/policies/${policy.id}/versions`, version(at, { allowedActions: ['shadow_ban', 'remove'] }));
    expect(unknownAction.json().error.details).toEqual([{ path: '/allowedActions/0', message: 'There is no enforcement action "shadow_ban".' }]);
    const initial = await api('POST', '/api/policies', { key: key('spam'), name: 'Spam', initialVersion: version(at, { allowedActions: ['nope_nope'] }) });
    expect(initial.statusCode).toBe(422);
    expect(paths(initial)).toEqual(['/initialVersion/allowedActions/0']);
    expect((await api('GET', `/api/policies/${policy.id}`)).json().versionCount).toBe(1);
  });

  it('keeps the earlier version in force until a future-dated version takes effect', async () => {
    const v1At = iso(Date.now() - 10 * DAY);
    const v2At = iso(Date.now() + 10 * DAY);
    const policy = await newPolicy(version(v1At));
    expect((await api('POST', `/api/policies/${policy.id}/versions`, version(v2At))).json()).toMatchObject({ version: 2, inForce: false });
    const read = (await api('GET', `/api/policies/${policy.id}`)).json();
    expect(read.currentVersion).toMatchObject({ version: 1, effectiveFrom: v1At });
    expect(read.versions.map((v: { version: number; inForce: boolean }) => [v.version, v.inForce])).toEqual([[2, false], [1, true]]);
    const listed = (await api('GET', `/api/policies?q=${policy.key}`)).json();
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ versionCount: 2, currentVersion: { version: 1 } });

    const future = await newPolicy(version(v2At));
    expect(future.currentVersion).toBeNull();
    expect(future.versions[0].inForce).toBe(false);
  });

  it('findVersionInForce answers the version in force at an instant', async () => {
    const v1At = Date.parse('2025-01-01T00:00:00Z');
    const v2At = Date.parse('2025-06-01T09:00:00+08:00');
    const policy = await newPolicy(version(iso(v1At)));
    const v2 = (await api('POST', `/api/policies/${policy.id}/versions`, version('2025-06-01T09:00:00+08:00'))).json();
    const at = async (ms: number) => (await findVersionInForce(database.db, policy.id, new Date(ms)))?.version ?? null;
    expect(await at(v1At - 1)).toBeNull();
    expect(await at(v1At)).toBe(1);
    expect(await at(v2At - 1)).toBe(1);
    expect(await at(v2At)).toBe(2);
    expect(await at(Date.now())).toBe(2);
    expect((await findVersionInForce(database.db, policy.id, new Date(v2At + DAY)))?.id).toBe(v2.id);
  });

  it('numbers concurrently created versions distinctly and consecutively, without a 500', async () => {
    const base = Date.now() - 100 * DAY;
    const policy = await newPolicy(version(iso(base)));
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => api('POST', `/api/policies/${policy.id}/versions`, version(iso(base + i * DAY), { summary: `Change ${i}` }))),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s >= 500), responses.map((r) => r.body).join('\n')).toEqual([]);
    // A request that lost the race to a later date is refused (422) rather than inserted before it.
    expect(statuses.every((s) => s === 201 || s === 422)).toBe(true);
    const created = responses.filter((r) => r.statusCode === 201).map((r) => r.json().version).sort((a: number, b: number) => a - b);
    expect(created).toEqual(created.map((_: number, i: number) => i + 2));
    const read = (await api('GET', `/api/policies/${policy.id}`)).json();
    const versions = [...read.versions].reverse() as Array<{ version: number; effectiveFrom: string }>;
    expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
    const times = versions.map((v) => Date.parse(v.effectiveFrom));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
    const audited = (await auditRowsFor(database.db, policy.id)).filter((e) => e.action === 'policy.version_create');
    expect(audited).toHaveLength(versions.length);
  });
});
