import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, TEST_SECRET_BOX, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';
import { randomBytes } from 'node:crypto';
import { isSealed, secretBox } from '../../src/domain/auth/secret-box.ts';
import { forwardPending, sealStoredSecrets } from '../../src/domain/xapi/xapi-forwarding.service.ts';
import { fetchSender } from '../../src/jobs/xapi-forwarding.job.ts';

/**
 * Forwarding Assay's own statements to an external LRS (issue 8 item 3): queued in the event's
 * transaction, POSTed by the job to a real HTTP server in this process, retried with backoff after
 * a failure, delivered once, and safe to re-send (the receiver's 409 for a known id counts).
 */
let database: TestDatabase;
let app: FastifyInstance;
let receiver: FastifyInstance;
let world: World;
let admin: WorldUser;
let endpoint: string;
let courseId: string;
const received: Array<{ authorization: string | undefined; version: string | undefined; ids: string[] }> = [];
const answers: number[] = [];
const known = new Set<string>();

const as = (user: WorldUser) => tokenClient(app, user.token);

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'admin');
  app = await buildTestServer(database.db);
  // The external LRS: answers as told (503, 204...), or 409 for an id it already holds.
  receiver = Fastify();
  receiver.post('/xapi/statements', async (request, reply) => {
    const ids = (request.body as Array<{ id: string }>).map((s) => s.id);
    received.push({ authorization: request.headers.authorization, version: request.headers['x-experience-api-version'] as string | undefined, ids });
    const status = answers.shift() ?? (ids.some((id) => known.has(id)) ? 409 : 200);
    if (status < 300) ids.forEach((id) => known.add(id));
    return reply.status(status).send(status === 200 ? ids : { message: 'as told' });
  });
  endpoint = `${await receiver.listen({ port: 0, host: '127.0.0.1' })}/xapi`;
  const t = as(admin);
  const course = await t('POST', '/api/training/courses', { title: 'Forwarded course', workflowId: world.workflowId });
  courseId = course.json().id;
  expect((await t('POST', `/api/training/course-versions/${course.json().draftVersion.id}/modules`, { title: 'One', bodyMd: 'One.' })).statusCode).toBe(201);
  expect((await t('POST', `/api/training/course-versions/${course.json().draftVersion.id}/publish`)).statusCode).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await receiver?.close();
  await database?.drop();
});

async function enrol(personId: string): Promise<string> {
  const assign = await as(admin)('POST', '/api/training/enrolments', { courseId, personIds: [personId] });
  expect(assign.statusCode, assign.body).toBe(201);
  return assign.json().enrolmentIds[0];
}

describe('forwarding to an external LRS', () => {
  it('keeps the secret write-only and refuses incomplete settings', async () => {
    const bad = await as(admin)('PUT', '/api/xapi/forwarding', { enabled: true, endpoint: 'ftp://x', username: null, version: '1.0.3' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/endpoint', '/secret', '/username']);
    const put = await as(admin)('PUT', '/api/xapi/forwarding', { enabled: true, endpoint: `${endpoint}/`, username: 'assay-key', secret: 's3cret-value', version: '1.0.3' });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ enabled: true, endpoint, username: 'assay-key', hasSecret: true });
    const get = await as(admin)('GET', '/api/xapi/forwarding');
    expect(get.body).not.toContain('s3cret-value');
    // Changing other fields keeps the secret.
    expect((await as(admin)('PUT', '/api/xapi/forwarding', { enabled: true, endpoint, username: 'assay-key', version: '1.0.3' })).json().hasSecret).toBe(true);
    const audit = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'xapi.forwarding.update').execute();
    expect(JSON.stringify(audit)).not.toContain('s3cret-value');
    // Stored sealed with the server's key: the database alone does not give the secret away.
    const stored = (await database.db.selectFrom('xapi_forwarding').select('secret').executeTakeFirstOrThrow()).secret!;
    expect(isSealed(stored)).toBe(true);
    expect(stored).not.toContain('s3cret-value');
    expect(Buffer.from(stored.slice('sealed:v1:'.length), 'base64url').toString('latin1')).not.toContain('s3cret');
    expect(TEST_SECRET_BOX.open(stored)).toBe('s3cret-value');
  });

  it('queues an event in its transaction, retries after a failure with backoff, and delivers once', async () => {
    const person = world.people.find((p) => p.teamId !== null)!;
    const enrolmentId = await enrol(person.id);
    const statementId = (await database.db.selectFrom('xapi_statements').select('id').where('registration', '=', enrolmentId).executeTakeFirstOrThrow()).id;
    expect((await as(admin)('GET', '/api/xapi/forwarding')).json().outbox).toMatchObject({ pending: 1, delivered: 0 });

    answers.push(503);
    const now = new Date();
    expect(await forwardPending(database.db, fetchSender, TEST_SECRET_BOX, now)).toEqual({ delivered: 0, failed: 1 });
    expect(received.at(-1)).toEqual({ authorization: `Basic ${Buffer.from('assay-key:s3cret-value').toString('base64')}`, version: '1.0.3', ids: [statementId] });
    const outbox = (await as(admin)('GET', '/api/xapi/forwarding')).json().outbox;
    expect(outbox).toMatchObject({ pending: 1, retrying: 1 });
    expect(outbox.lastError).toContain('HTTP 503');
    // Not due again until the backoff has passed.
    expect(await forwardPending(database.db, fetchSender, TEST_SECRET_BOX, new Date(now.getTime() + 10_000))).toEqual({ delivered: 0, failed: 0 });
    expect(await forwardPending(database.db, fetchSender, TEST_SECRET_BOX, new Date(now.getTime() + 60_000))).toEqual({ delivered: 1, failed: 0 });
    expect(await forwardPending(database.db, fetchSender, TEST_SECRET_BOX, new Date(now.getTime() + 3_600_000))).toEqual({ delivered: 0, failed: 0 });
    expect(received.filter((r) => r.ids.includes(statementId))).toHaveLength(2);
    expect((await as(admin)('GET', '/api/xapi/forwarding')).json().outbox).toMatchObject({ pending: 0, delivered: 1 });

    // Re-sending a delivered statement (a lost answer) is safe: the receiver's 409 counts as delivered.
    await database.db.updateTable('xapi_forward_outbox').set({ delivered_at: null }).where('statement_id', '=', statementId).execute();
    expect(await forwardPending(database.db, fetchSender, TEST_SECRET_BOX, new Date(now.getTime() + 7_200_000))).toEqual({ delivered: 1, failed: 0 });
    expect((await database.db.selectFrom('xapi_forward_outbox').select('last_status').where('statement_id', '=', statementId).executeTakeFirstOrThrow()).last_status).toBe(409);
  });

  it('sends nothing when the key changed, and says so on the admin screen; a secret stored in clear is sealed at start', async () => {
    const person = world.people.filter((p) => p.teamId !== null)[2]!;
    await enrol(person.id);
    const before = received.length;
    const later = new Date(Date.now() + 86_400_000);
    expect(await forwardPending(database.db, fetchSender, secretBox(randomBytes(32)), later)).toEqual({ delivered: 0, failed: 1 });
    expect(received).toHaveLength(before);
    expect((await as(admin)('GET', '/api/xapi/forwarding')).json().outbox.lastError).toMatch(/cannot be read with this server's key.*enter the secret again/);
    // An earlier version's clear value: sealed by the start-up step, then used as before.
    await database.db.updateTable('xapi_forwarding').set({ secret: 'clear-from-before' }).execute();
    await sealStoredSecrets(database.db, TEST_SECRET_BOX);
    const sealed = (await database.db.selectFrom('xapi_forwarding').select('secret').executeTakeFirstOrThrow()).secret!;
    expect(isSealed(sealed)).toBe(true);
    await sealStoredSecrets(database.db, TEST_SECRET_BOX);
    expect((await database.db.selectFrom('xapi_forwarding').select('secret').executeTakeFirstOrThrow()).secret).toBe(sealed);
    expect(await forwardPending(database.db, fetchSender, TEST_SECRET_BOX, new Date(later.getTime() + 86_400_000))).toEqual({ delivered: 1, failed: 0 });
    expect(received.at(-1)!.authorization).toBe(`Basic ${Buffer.from('assay-key:clear-from-before').toString('base64')}`);
  });

  it('queues nothing while forwarding is off', async () => {
    expect((await as(admin)('PUT', '/api/xapi/forwarding', { enabled: false, endpoint, username: 'assay-key', version: '1.0.3' })).statusCode).toBe(200);
    const person = world.people.filter((p) => p.teamId !== null)[1]!;
    const enrolmentId = await enrol(person.id);
    const row = await database.db.selectFrom('xapi_statements').select('id').where('registration', '=', enrolmentId).executeTakeFirstOrThrow();
    expect(await database.db.selectFrom('xapi_forward_outbox').select('statement_id').where('statement_id', '=', row.id).executeTakeFirst()).toBeUndefined();
  });
});
