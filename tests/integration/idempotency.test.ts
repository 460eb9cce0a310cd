import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';

let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let manager: WorldUser;
let other: WorldUser;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  manager = await addUser(database.db, world, 'vendor_manager', 'vendor', 'idem-vm');
  other = await addUser(database.db, world, 'vendor_manager', 'vendor', 'idem-other');
  app = await buildTestServer(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

function post(user: WorldUser, key: string | null, payload: object) {
  return app.inject({
    method: 'POST',
    url: '/api/people',
    headers: { authorization: `Bearer ${user.token}`, ...(key !== null && { 'idempotency-key': key }) },
    payload,
  });
}

async function peopleNamed(fullName: string) {
  return database.db.selectFrom('people').select('id').where('full_name', '=', fullName).execute();
}

describe('Idempotency-Key', () => {
  const site = () => world.sites.find((s) => s.vendorId === manager.scope.vendorId)!;
  const body = (name: string) => ({ siteId: site().id, fullName: name, jobRole: 'agent', hireDate: '2025-06-01', languages: ['en'], workflowIds: [] });

  it('replays the first answer to a retry instead of writing twice', async () => {
    const first = await post(manager, 'retry-1', body('Retried Person'));
    const second = await post(manager, 'retry-1', body('Retried Person'));
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    expect(await peopleNamed('Retried Person')).toHaveLength(1);
    const audits = await database.db.selectFrom('audit_log').select('id').where('entity_id', '=', first.json().id).execute();
    expect(audits).toHaveLength(1);
  });

  it('refuses the same key with a different request', async () => {
    expect((await post(manager, 'reused', body('First Body'))).statusCode).toBe(201);
    const clash = await post(manager, 'reused', body('Second Body'));
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.message).toMatch(/different request/);
    expect(await peopleNamed('Second Body')).toHaveLength(0);
  });

  it('keeps keys per user: another user may use the same key', async () => {
    const theirs = world.sites.find((s) => s.vendorId === other.scope.vendorId)!;
    const response = await post(other, 'retry-1', { ...body('Other Users Person'), siteId: theirs.id });
    expect(response.statusCode).toBe(201);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
  });

  it('remembers a refusal too, so a retry of a bad request answers the same', async () => {
    const bad = { ...body('Bad Date'), hireDate: 'not a date' };
    const first = await post(manager, 'bad-1', bad);
    const again = await post(manager, 'bad-1', bad);
    expect(first.statusCode).toBe(422);
    expect(again.statusCode).toBe(422);
    expect(again.json()).toEqual(first.json());
  });

  it('without a key, two identical posts are two writes', async () => {
    await post(manager, null, body('No Key Twice'));
    await post(manager, null, body('No Key Twice'));
    expect(await peopleNamed('No Key Twice')).toHaveLength(2);
  });

  it('runs one of two concurrent requests with one key, never both', async () => {
    const results = await Promise.all([post(manager, 'race', body('Raced Person')), post(manager, 'race', body('Raced Person'))]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(201);
    expect([201, 409]).toContain(codes[1]);
    expect(await peopleNamed('Raced Person')).toHaveLength(1);
  });
});
