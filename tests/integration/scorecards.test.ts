import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { asSystem } from '../../src/db/scoped.ts';
import { DEFAULT_MODERATION_SCORECARD, DEFAULT_SUPPORT_SCORECARD } from '../../src/domain/reviews/scorecard.rules.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { currentScorecard, getScorecardVersion } from '../../src/domain/reviews/scorecards.service.ts';
import { installDemoScorecards } from '../../src/demo/demo-scorecards.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World } from '../support/org-world.ts';
import { auditRowsFor, writtenInSameTransaction } from '../support/audit-trail.ts';

/**
 * Scorecard versions on a real PostgreSQL: drafting, editing, validation
 * paths, publishing (the old version retired in the same transaction), the
 * immutability of published versions (API and trigger), one draft per
 * workflow, audit entries, and who may write.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let asAdmin: ReturnType<typeof tokenClient>;
let asQaLead: ReturnType<typeof tokenClient>;
let asVendorQaLead: ReturnType<typeof tokenClient>;
let asAgent: ReturnType<typeof tokenClient>;
let seq = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  asAdmin = tokenClient(app, (await addUser(database.db, world, 'admin', 'all', 'sc-admin')).token);
  asQaLead = tokenClient(app, (await addUser(database.db, world, 'qa_lead', 'all', 'sc-lead')).token);
  asVendorQaLead = tokenClient(app, (await addUser(database.db, world, 'qa_lead', 'vendor', 'sc-vendor-lead')).token);
  asAgent = tokenClient(app, (await addUser(database.db, world, 'agent', 'self', 'sc-agent')).token);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function newWorkflow(kind: 'moderation' | 'support' = 'moderation'): Promise<string> {
  seq += 1;
  const row = await database.db
    .insertInto('workflows')
    .values({ key: `sc_${world.tag}_${seq}`, name: `Scorecard flow ${world.tag} ${seq}`, kind })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const edited = (passMark: number): ScorecardDefinition => ({ ...structuredClone(DEFAULT_MODERATION_SCORECARD), passMark });

describe('scorecard versions', () => {
  it('drafts from the default, edits, publishes, then versions a change and retires the old version', async () => {
    const workflowId = await newWorkflow();
    const first = await asQaLead('POST', `/api/scorecards/${workflowId}/versions`, { name: 'Video QA' });
    expect(first.statusCode).toBe(201);
    const v1 = first.json();
    expect(v1).toMatchObject({ workflowId, version: 1, status: 'draft', name: 'Video QA', publishedAt: null, questionCount: 4 });
    expect(v1.definition).toEqual(DEFAULT_MODERATION_SCORECARD);

    const put = await asQaLead('PUT', `/api/scorecard-versions/${v1.id}`, { name: 'Video QA v1', definition: edited(85) });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ name: 'Video QA v1', status: 'draft', definition: { passMark: 85 } });

    const published = await asQaLead('POST', `/api/scorecard-versions/${v1.id}/publish`);
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', version: 1 });
    expect(published.json().publishedAt).not.toBeNull();

    // Editing a published version is refused: a change is a new version.
    const refused = await asQaLead('PUT', `/api/scorecard-versions/${v1.id}`, { name: 'Sneaky', definition: edited(10) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/new version/);
    expect((await asQaLead('DELETE', `/api/scorecard-versions/${v1.id}`)).statusCode).toBe(409);
    expect((await asQaLead('POST', `/api/scorecard-versions/${v1.id}/publish`)).statusCode).toBe(409);

    const second = await asQaLead('POST', `/api/scorecards/${workflowId}/versions`);
    expect(second.statusCode).toBe(201);
    const v2 = second.json();
    expect(v2).toMatchObject({ version: 2, status: 'draft', name: 'Video QA v1' });
    expect(v2.definition.passMark).toBe(85);
    await asQaLead('PUT', `/api/scorecard-versions/${v2.id}`, { name: 'Video QA v2', definition: edited(90) });

    // Reviews in progress keep using version 1 until version 2 is published.
    expect(await asSystem(database.db, (trx) => currentScorecard(trx, workflowId))).toMatchObject({ id: v1.id, version: 1, definition: { passMark: 85 } });
    expect((await asQaLead('POST', `/api/scorecard-versions/${v2.id}/publish`)).statusCode).toBe(200);
    expect(await asSystem(database.db, (trx) => currentScorecard(trx, workflowId))).toMatchObject({ id: v2.id, version: 2, definition: { passMark: 90 } });

    const old = await asQaLead('GET', `/api/scorecard-versions/${v1.id}`);
    expect(old.json()).toMatchObject({ status: 'retired', name: 'Video QA v1', definition: { passMark: 85 } });
    const retired = await asSystem(database.db, (trx) => getScorecardVersion(trx, v1.id));
    expect(retired?.status).toBe('retired');

    const list = await asQaLead('GET', `/api/scorecards/${workflowId}/versions`);
    expect(list.json().items.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'published'], [1, 'retired']]);

    const summary = (await asAgent('GET', '/api/scorecards')).json().items.find((w: { workflowId: string }) => w.workflowId === workflowId);
    expect(summary).toMatchObject({ versions: 2, published: { id: v2.id, version: 2, name: 'Video QA v2' }, draft: null, workflowKind: 'moderation' });

    // Publish is audited, with the version it retired, in the same transaction as the change.
    const entries = await auditRowsFor(database.db, v2.id);
    expect(entries.map((e) => e.action)).toEqual(['scorecard.draft', 'scorecard.update', 'scorecard.publish']);
    const publish = entries.at(-1)!;
    expect(publish).toMatchObject({ entity_type: 'scorecard_version', vendor_id: null, details: { workflowId, version: 2, retired: v1.id } });
    expect(entries[0]!.details).toMatchObject({ from: 'published', basedOn: v1.id });
    expect(await writtenInSameTransaction(database.db, 'scorecard_versions', v2.id, publish.id)).toBe(true);
    // The retirement of version 1 landed in that same transaction too.
    expect(await writtenInSameTransaction(database.db, 'scorecard_versions', v1.id, publish.id)).toBe(true);
  });

  it('starts a support workflow from the support default, and refuses to copy a missing published version', async () => {
    const workflowId = await newWorkflow('support');
    expect((await asQaLead('POST', `/api/scorecards/${workflowId}/versions`, { from: 'published' })).statusCode).toBe(409);
    const draft = await asQaLead('POST', `/api/scorecards/${workflowId}/versions`, { from: 'default' });
    expect(draft.statusCode).toBe(201);
    expect(draft.json().definition).toEqual(DEFAULT_SUPPORT_SCORECARD);
    expect(draft.json().name).toMatch(/Scorecard flow .* scorecard/);
  });

  it('keeps one draft per workflow, and a discarded draft frees the slot', async () => {
    const workflowId = await newWorkflow();
    const draft = (await asQaLead('POST', `/api/scorecards/${workflowId}/versions`)).json();
    const again = await asQaLead('POST', `/api/scorecards/${workflowId}/versions`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already a draft/);

    // Two drafts at the same moment: exactly one is created.
    expect((await asQaLead('DELETE', `/api/scorecard-versions/${draft.id}`)).statusCode).toBe(204);
    expect((await asQaLead('GET', `/api/scorecard-versions/${draft.id}`)).statusCode).toBe(404);
    const race = await Promise.all([1, 2, 3].map(() => asQaLead('POST', `/api/scorecards/${workflowId}/versions`)));
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const summary = (await asQaLead('GET', '/api/scorecards')).json().items.find((w: { workflowId: string }) => w.workflowId === workflowId);
    expect(summary.draft).toMatchObject({ id: race.find((r) => r.statusCode === 201)!.json().id });
    expect((await auditRowsFor(database.db, draft.id)).map((e) => e.action)).toEqual(['scorecard.draft', 'scorecard.discard']);
  });

  it('the database refuses to change a published version, whoever asks', async () => {
    const workflowId = await newWorkflow();
    const draft = (await asQaLead('POST', `/api/scorecards/${workflowId}/versions`)).json();
    await asQaLead('POST', `/api/scorecard-versions/${draft.id}/publish`);
    await expect(
      database.db.updateTable('scorecard_versions').set({ definition: JSON.stringify(edited(1)) }).where('id', '=', draft.id).execute(),
    ).rejects.toThrow(/cannot change/);
    await expect(database.db.updateTable('scorecard_versions').set({ name: 'Renamed' }).where('id', '=', draft.id).execute()).rejects.toThrow(/cannot change/);
    const row = await database.db.selectFrom('scorecard_versions').select(['name', 'definition']).where('id', '=', draft.id).executeTakeFirstOrThrow();
    expect((row.definition as ScorecardDefinition).passMark).toBe(DEFAULT_MODERATION_SCORECARD.passMark);
    // A second published version for the workflow is refused too.
    await expect(
      sql`INSERT INTO scorecard_versions (workflow_id, version, status, name, definition) VALUES (${workflowId}, 9, 'published', 'x', '{}')`.execute(database.db),
    ).rejects.toThrow(/scorecard_versions_one_published/);
  });

  it('reports every problem of a definition at its /definition path, and keeps the draft unchanged', async () => {
    const workflowId = await newWorkflow();
    const draft = (await asQaLead('POST', `/api/scorecards/${workflowId}/versions`)).json();
    const bad = structuredClone(DEFAULT_MODERATION_SCORECARD) as unknown as Record<string, any>;
    bad.passMark = 120;
    bad.sections[1].key = 'decision';
    bad.sections[1].questions[0].errorType = 'oops';
    bad.sections[1].questions[1].options[1].credit = 2;
    bad.rootCauses.push({ key: 'tooling', label: 'Tooling again' });
    const response = await asQaLead('PUT', `/api/scorecard-versions/${draft.id}`, { name: ' ', definition: bad });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      [
        '/name',
        '/definition/passMark',
        '/definition/rootCauses/7/key',
        '/definition/sections/1/key',
        '/definition/sections/1/questions/0/errorType',
        '/definition/sections/1/questions/1/options/1/credit',
      ].sort(),
    );
    expect((await asQaLead('GET', `/api/scorecard-versions/${draft.id}`)).json().definition).toEqual(DEFAULT_MODERATION_SCORECARD);
    const notObject = await asQaLead('PUT', `/api/scorecard-versions/${draft.id}`, { name: 'Ok', definition: 'text' });
    expect(notObject.statusCode).toBe(422);
    expect(notObject.json().error.details).toEqual([expect.objectContaining({ path: '/definition' })]);
  });

  it('writes need scorecards.write and scope all: a vendor-scoped QA lead gets 403, an agent 403, both can read', async () => {
    const workflowId = await newWorkflow();
    const vendorDraft = await asVendorQaLead('POST', `/api/scorecards/${workflowId}/versions`);
    expect(vendorDraft.statusCode).toBe(403);
    expect(vendorDraft.json().error.message).toMatch(/every vendor/);
    expect((await asAgent('POST', `/api/scorecards/${workflowId}/versions`)).statusCode).toBe(403);

    const draft = (await asAdmin('POST', `/api/scorecards/${workflowId}/versions`)).json();
    expect((await asVendorQaLead('PUT', `/api/scorecard-versions/${draft.id}`, { name: 'X', definition: DEFAULT_MODERATION_SCORECARD })).statusCode).toBe(403);
    expect((await asVendorQaLead('POST', `/api/scorecard-versions/${draft.id}/publish`)).statusCode).toBe(403);
    expect((await asVendorQaLead('DELETE', `/api/scorecard-versions/${draft.id}`)).statusCode).toBe(403);
    expect((await asAgent('PUT', `/api/scorecard-versions/${draft.id}`, { name: 'X', definition: DEFAULT_MODERATION_SCORECARD })).statusCode).toBe(403);
    expect((await auditRowsFor(database.db, draft.id)).map((e) => e.action)).toEqual(['scorecard.draft']);

    expect((await asVendorQaLead('GET', `/api/scorecard-versions/${draft.id}`)).statusCode).toBe(200);
    expect((await asAgent('GET', `/api/scorecards/${workflowId}/versions`)).statusCode).toBe(200);
  });

  it('answers 404 for unknown workflows and versions', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await asQaLead('GET', `/api/scorecards/${unknown}/versions`)).statusCode).toBe(404);
    expect((await asQaLead('POST', `/api/scorecards/${unknown}/versions`)).statusCode).toBe(404);
    expect((await asQaLead('GET', `/api/scorecard-versions/${unknown}`)).statusCode).toBe(404);
    expect((await asQaLead('POST', `/api/scorecard-versions/${unknown}/publish`)).statusCode).toBe(404);
  });

  it('installs the demo scorecards through the publish path', async () => {
    const video = await newWorkflow();
    const support = await newWorkflow('support');
    const ids = await asSystem(database.db, (trx) =>
      installDemoScorecards(trx, {
        workflows: [
          { id: video, key: 'video_moderation', name: 'Video', kind: 'moderation', description: '', policyKeys: [] },
          { id: support, key: 'user_support', name: 'Support', kind: 'support', description: '', policyKeys: [] },
        ],
      }),
    );
    expect([...ids.keys()]).toEqual(['video_moderation', 'user_support']);
    const videoCard = (await asQaLead('GET', `/api/scorecard-versions/${ids.get('video_moderation')}`)).json();
    expect(videoCard).toMatchObject({ status: 'published', version: 1, name: 'Moderation QA scorecard' });
    expect(videoCard.definition.rootCauses).toHaveLength(7);
    const supportCard = await asSystem(database.db, (trx) => currentScorecard(trx, support));
    expect(supportCard?.definition.sections.flatMap((s) => s.questions.map((q) => q.kind))).toEqual(['correct_action', 'yes_no', 'yes_no', 'scale', 'yes_no']);
  });
});
