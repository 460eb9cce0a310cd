import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { buildWorld, type World } from '../support/org-world.ts';
import { scopedUser } from '../support/training-operations-world.ts';

/**
 * Editing an existing assessment item of a draft course version (the course
 * builder's "Edit item"): validated, audited, refused once the version is
 * published, 404 for another vendor's trainer.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('editing an item of a draft', () => {
  it('changes the item, checks it, audits it and refuses published versions', async () => {
    const t = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', world.vendors[1]!.id)).token);
    const other = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', world.vendors[2]!.id)).token);
    const course = await t('POST', '/api/training/courses', { title: 'Threat basics', workflowId: world.workflowId });
    expect(course.statusCode).toBe(201);
    const versionId = course.json().draftVersion.id as string;
    expect((await t('POST', `/api/training/course-versions/${versionId}/modules`, { title: 'Threats', bodyMd: 'Threats are critical.' })).statusCode).toBe(201);
    const added = await t('POST', `/api/training/course-versions/${versionId}/items`, { kind: 'single', stem: 'A credible threat is…', options: [{ id: 'a', text: 'Low' }, { id: 'b', text: 'Critical' }], correctOptionIds: ['a'] });
    expect(added.statusCode).toBe(201);
    const itemId = added.json().id as string;

    const edited = await t('PATCH', `/api/training/items/${itemId}`, {
      stem: 'The severity of a credible threat is…',
      options: [{ id: 'a', text: 'Low' }, { id: 'b', text: 'Critical' }, { id: 'c', text: 'Medium' }],
      correctOptionIds: ['b'],
      explanation: 'Credible threats are critical.',
      points: 2,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ id: itemId, kind: 'single', stem: 'The severity of a credible threat is…', correctOptionIds: ['b'], explanation: 'Credible threats are critical.', points: 2 });
    expect(edited.json().options).toHaveLength(3);
    const version = await t('GET', `/api/training/course-versions/${versionId}`);
    expect(version.json().assessment.items[0]).toMatchObject({ stem: 'The severity of a credible threat is…', correctOptionIds: ['b'] });
    const audited = await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', itemId).where('action', '=', 'training.item.update').execute();
    expect(audited).toHaveLength(1);

    // A key that is not among the options is refused, with where.
    const bad = await t('PATCH', `/api/training/items/${itemId}`, { stem: 'x', options: [{ id: 'a', text: 'Low' }, { id: 'b', text: 'High' }], correctOptionIds: ['z'] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(bad.json().error.details.length).toBeGreaterThan(0);
    // Another vendor's trainer cannot see it.
    expect((await other('PATCH', `/api/training/items/${itemId}`, { stem: 'Hijack', options: [{ id: 'a', text: 'Low' }, { id: 'b', text: 'High' }], correctOptionIds: ['a'] })).statusCode).toBe(404);

    // Published: frozen.
    expect((await t('POST', `/api/training/course-versions/${versionId}/publish`)).statusCode).toBe(200);
    const late = await t('PATCH', `/api/training/items/${itemId}`, { stem: 'Too late', options: [{ id: 'a', text: 'Low' }, { id: 'b', text: 'Critical' }], correctOptionIds: ['b'] });
    expect(late.statusCode).toBe(409);
  });
});
