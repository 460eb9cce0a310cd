import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { buildWorld, type World } from '../support/org-world.ts';
import { insertSampledDecisions } from '../support/decision-fixtures.ts';
import { addReviews, addScorecardVersion, scopedUser } from '../support/training-operations-world.ts';

/**
 * GET /api/decisions?reviewed=true: the decisions with a submitted primary
 * review (the known answer a case item needs), for the course builder's
 * picker. Scope still applies: a vendor's trainer finds only their vendor's.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
type Client = ReturnType<typeof tokenClient>;
let manager: Client;
let vendor1Trainer: Client;
const reviewed: Record<1 | 2, string[]> = { 1: [], 2: [] };
const unreviewed: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  const scorecardVersionId = await addScorecardVersion(database.db, world.workflowId);
  const reviewer = world.people.find((p) => p.vendorId === world.vendors[0]!.id)!;
  for (const v of [1, 2] as const) {
    const agent = world.people.find((p) => p.vendorId === world.vendors[v]!.id && p.teamId !== null)!;
    const reviewIds = await addReviews(database.db, {
      agent, reviewerId: reviewer.id, reviewerVendorId: reviewer.vendorId, scorecardVersionId, workflowId: world.workflowId,
      decidedAt: new Date('2026-02-10T10:00:00Z'), correct: v === 1 ? 3 : 2, wrong: 1,
    });
    const rows = await database.db.selectFrom('reviews').select('decision_id').where('id', 'in', reviewIds).execute();
    reviewed[v] = rows.map((r) => r.decision_id);
    // Sampled but not reviewed yet: no known answer.
    unreviewed.push(...(await insertSampledDecisions(database.db, [{ agent, workflowId: world.workflowId, decidedAt: new Date('2026-02-11T10:00:00Z') }])));
  }
  manager = tokenClient(app, (await scopedUser(database.db, world, 'quality_manager', 'all', null)).token);
  vendor1Trainer = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', world.vendors[1]!.id)).token);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const ids = (body: { items: Array<{ id: string }> }) => body.items.map((d) => d.id).sort();

describe('the reviewed filter on the decision list', () => {
  it('lists only decisions with a submitted primary review, with a matching total', async () => {
    const response = await manager('GET', `/api/decisions?workflowId=${world.workflowId}&reviewed=true&limit=500`);
    expect(response.statusCode).toBe(200);
    expect(ids(response.json())).toEqual([...reviewed[1], ...reviewed[2]].sort());
    expect(response.json().total).toBe(7);
    const notReviewed = (await manager('GET', `/api/decisions?workflowId=${world.workflowId}&reviewed=false&limit=500`)).json();
    expect(ids(notReviewed)).toEqual([...unreviewed].sort());
    const all = (await manager('GET', `/api/decisions?workflowId=${world.workflowId}&limit=500`)).json();
    expect(all.total).toBe(9);
  });

  it("keeps a vendor's trainer to their vendor's reviewed decisions", async () => {
    const mine = (await vendor1Trainer('GET', `/api/decisions?workflowId=${world.workflowId}&reviewed=true&sampled=true&limit=500`)).json();
    expect(ids(mine)).toEqual([...reviewed[1]].sort());
    expect(mine.total).toBe(4);
    // Another vendor's reviewed decision is not there, even by its external id.
    const other = (await manager('GET', `/api/decisions?id=${reviewed[2][0]}`)).json().items[0];
    const byId = (await vendor1Trainer('GET', `/api/decisions?reviewed=true&q=${encodeURIComponent(other.externalId)}`)).json();
    expect(byId.items).toEqual([]);
  });

  it('refuses a value that is not a boolean', async () => {
    const response = await manager('GET', '/api/decisions?reviewed=sometimes');
    expect(response.statusCode).toBe(422);
  });
});
