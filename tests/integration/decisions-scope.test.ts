import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ROLES, hasPermission, type Role } from '../../src/domain/access/roles.ts';
import { SCOPE_KINDS } from '../../src/domain/access/scope.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { ndjsonLines } from '../../src/domain/decisions/decision-streams.ts';
import { ingestDecisions } from '../../src/domain/decisions/ingest.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, visibleIds, type World, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, decision, ndjson, type DecisionWorld } from '../support/decision-world.ts';

/**
 * Decisions belong to the agent's vendor, site and team: every role with
 * decisions.read, in every scope, sees exactly the decisions of the agents it
 * may see (lists, totals, items, production), and a scoped ingester can only
 * add decisions for its own agents.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let dw: DecisionWorld;
let users: WorldUser[];
/** decision id -> agent id */
const agentOf = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  const agents = world.people.filter((p) => p.teamId !== null);
  const records = agents.flatMap((agent, a) => [0, 1].map((k) => decision(dw, agent.id, a * 2 + k, { external_id: `s-${a}-${k}` })));
  const summary = await ingestDecisions(database.db, systemActor('test'), ndjsonLines(Readable.from([ndjson(records)])));
  expect(summary.accepted).toBe(records.length);
  for (const row of await database.db.selectFrom('decisions').select(['id', 'agent_id']).execute()) agentOf.set(row.id, row.agent_id);
  users = [];
  for (const role of ROLES) {
    if (!hasPermission(role, 'decisions.read') && !hasPermission(role, 'decisions.ingest')) continue;
    for (const kind of SCOPE_KINDS) {
      if (role === 'admin' && kind !== 'all') continue;
      users.push(await addUser(database.db, world, role, kind, `${role}-${kind}`));
    }
  }
  app = await buildTestServer(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

function expectedDecisions(user: WorldUser): Set<string> {
  const agents = visibleIds(world, 'person', user.scope);
  return new Set([...agentOf].filter(([, agent]) => agents.has(agent)).map(([id]) => id));
}

describe('decision scope', () => {
  it('lists exactly the decisions of visible agents, with matching totals and production', async () => {
    for (const user of users.filter((u) => hasPermission(u.role as Role, 'decisions.read'))) {
      const label = `${user.role}/${user.scope.kind}`;
      const response = await tokenClient(app, user.token)('GET', '/api/decisions?limit=500');
      expect(response.statusCode, label).toBe(200);
      const body = response.json() as { items: Array<{ id: string }>; total: number };
      const expected = expectedDecisions(user);
      expect(new Set(body.items.map((d) => d.id)), label).toEqual(expected);
      expect(body.total, label).toBe(expected.size);
      const production = (await tokenClient(app, user.token)('GET', '/api/production/daily')).json() as { items: Array<{ decisions: number }> };
      expect(Math.round(production.items.reduce((sum, d) => sum + d.decisions, 0)), `${label} production`).toBe(expected.size);
    }
  });

  it('answers 404 for decisions outside scope and audits every content view', async () => {
    const samples = [...agentOf.keys()].filter((_, i) => i % 4 === 0);
    for (const user of users.filter((u) => hasPermission(u.role as Role, 'decisions.read'))) {
      const visible = expectedDecisions(user);
      for (const id of samples) {
        const response = await tokenClient(app, user.token)('GET', `/api/decisions/${id}`);
        const label = `${user.role}/${user.scope.kind} ${visible.has(id) ? 'in' : 'out of'} scope`;
        expect(response.statusCode, label).toBe(visible.has(id) ? 200 : 404);
        if (visible.has(id)) expect(response.json().content.text, label).toMatch(/comment number/);
      }
    }
    const someone = users.find((u) => u.role === 'qa_specialist' && u.scope.kind === 'vendor')!;
    const id = [...expectedDecisions(someone)][0]!;
    await tokenClient(app, someone.token)('GET', `/api/decisions/${id}`);
    const entry = await database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'vendor_id', 'actor_label'])
      .where('action', '=', 'decision.content_view')
      .where('actor_label', '=', someone.email)
      .where('entity_id', '=', id)
      .executeTakeFirst();
    expect(entry?.vendor_id).toBe(someone.scope.vendorId);
  });

  it('lets a scoped ingester add decisions only for agents in its scope', async () => {
    for (const user of users.filter((u) => hasPermission(u.role as Role, 'decisions.ingest') && u.scope.kind !== 'all')) {
      const visible = visibleIds(world, 'person', user.scope);
      const agents = world.people.filter((p) => p.teamId !== null);
      const inside = agents.find((a) => visible.has(a.id))!;
      const outside = agents.find((a) => !visible.has(a.id))!;
      const tag = `${user.role}-${user.scope.kind}`;
      const body = ndjson([decision(dw, inside.id, 1, { external_id: `in-${tag}` }), decision(dw, outside.id, 2, { external_id: `out-${tag}` })]);
      const response = await app.inject({ method: 'POST', url: '/api/decisions', headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/x-ndjson' }, payload: body });
      expect(response.json(), tag).toMatchObject({ accepted: 1, rejectedCount: 1, rejected: [{ line: 2, field: 'agent' }] });
      const stored = await database.db.selectFrom('decisions').select('external_id').where('external_id', 'in', [`in-${tag}`, `out-${tag}`]).execute();
      expect(stored.map((r) => r.external_id), tag).toEqual([`in-${tag}`]);
    }
  });
});
