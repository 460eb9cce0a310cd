import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/load-demo.ts';
import { generateDemoData, type DemoData } from '../../src/demo/demo-data.ts';
import { AppError } from '../../src/domain/errors.ts';
import { resolveScope } from '../../src/domain/auth/auth.service.ts';
import { findUserByEmail } from '../../src/db/repositories/users.repository.ts';
import { withViewer } from '../../src/db/scoped.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { BrowserSession, buildTestServer } from '../support/test-app.ts';

/** The demo organisation loaded into a fresh database, and what its sign-ins see. */
const OPTIONS = { seed: 7, today: '2026-11-25' };
const TABLES = [
  'enforcement_actions', 'workflows', 'policies', 'workflow_policies', 'policy_versions', 'policy_labels',
  'policy_version_actions', 'vendors', 'sites', 'teams', 'people', 'person_workflow_skills', 'users', 'audit_log',
] as const;
type Table = (typeof TABLES)[number];

let database: TestDatabase;
let app: FastifyInstance;
let expected: DemoData;
let returned: DemoData;
let afterLoad: Record<Table, number>;

beforeAll(async () => {
  database = await createTestDatabase();
  expected = generateDemoData(OPTIONS);
  returned = await loadDemo(database.db, OPTIONS);
  afterLoad = await counts();
  app = await buildTestServer(database.db, { maxFailures: 50 });
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function counts(): Promise<Record<Table, number>> {
  const out = {} as Record<Table, number>;
  for (const table of TABLES) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(database.db);
    out[table] = rows[0]!.n;
  }
  return out;
}

const vendorKeyOfSite = () => new Map(expected.sites.map((s) => [s.key, s.vendorKey]));
const ids = (body: { items: Array<{ id: string }> }) => new Set(body.items.map((item) => item.id));

async function signedIn(email: string): Promise<BrowserSession> {
  const browser = new BrowserSession(app);
  const response = await browser.signIn(email, DEMO_PASSWORD);
  expect(response.statusCode, `${email}: ${response.body}`).toBe(200);
  return browser;
}

describe('loading the demo', () => {
  it('returns the generated data and stores exactly its rows', async () => {
    expect(returned).toEqual(expected);
    const versions = expected.policies.flatMap((p) => p.versions);
    expect(afterLoad).toEqual({
      enforcement_actions: expected.actions.length,
      workflows: expected.workflows.length,
      policies: expected.policies.length,
      workflow_policies: expected.workflows.reduce((n, w) => n + w.policyKeys.length, 0),
      policy_versions: versions.length,
      policy_labels: versions.reduce((n, v) => n + v.labels.length, 0),
      policy_version_actions: versions.reduce((n, v) => n + v.allowedActions.length, 0),
      vendors: expected.vendors.length,
      sites: expected.sites.length,
      teams: expected.teams.length,
      people: expected.people.length,
      person_workflow_skills: expected.people.reduce((n, p) => n + p.workflowKeys.length, 0),
      users: expected.users.length,
      audit_log: 1,
    });
    const storedPeople = await database.db.selectFrom('people').select(['id', 'full_name', 'email']).execute();
    expect(new Set(storedPeople.map((p) => p.id))).toEqual(new Set(expected.people.map((p) => p.id)));
  });

  it('audits the load as demo.load with the seed and counts', async () => {
    const entries = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'demo.load').execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_label: 'demo', actor_user_id: null, vendor_id: null });
    expect(entries[0]!.details).toMatchObject({
      seed: 7, vendors: expected.vendors.length, sites: expected.sites.length, people: expected.people.length, policies: expected.policies.length,
    });
  });

  it('refuses a second load with CONFLICT and changes nothing', async () => {
    const before = await counts();
    const second = await loadDemo(database.db, { ...OPTIONS, seed: 8 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(AppError);
    expect((second as AppError).code).toBe('CONFLICT');
    expect(await counts()).toEqual(before);
    await expect(loadDemo(database.db, OPTIONS)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await counts()).toEqual(before);
  });
});

describe('the demo sign-ins', () => {
  it('each sign in with the demo password, with the role and scope of the demo data', async () => {
    for (const user of expected.users) {
      const browser = new BrowserSession(app);
      const response = await browser.signIn(user.email, DEMO_PASSWORD);
      expect(response.statusCode, user.email).toBe(200);
      expect(response.json().user).toMatchObject({ id: user.id, email: user.email, role: user.role, scope: { kind: user.scope.kind } });
      expect((await browser.request('GET', '/api/auth/me')).statusCode).toBe(200);
    }
    expect((await new BrowserSession(app).signIn(expected.users[0]!.email, `${DEMO_PASSWORD}x`)).statusCode).toBe(401);
  });

  it("shows a vendor manager exactly their vendor's sites, teams and people", async () => {
    const vm = expected.users.find((u) => u.role === 'vendor_manager')!;
    const vendor = expected.vendors.find((v) => v.key === vm.scope.refKey)!;
    const siteVendor = vendorKeyOfSite();
    const browser = await signedIn(vm.email);

    const vendors = (await browser.request('GET', '/api/vendors?limit=500')).json();
    expect(ids(vendors)).toEqual(new Set([vendor.id]));
    const sites = (await browser.request('GET', '/api/sites?limit=500')).json();
    expect(ids(sites)).toEqual(new Set(expected.sites.filter((s) => s.vendorKey === vendor.key).map((s) => s.id)));
    const teams = (await browser.request('GET', '/api/teams?limit=500')).json();
    expect(ids(teams)).toEqual(new Set(expected.teams.filter((t) => siteVendor.get(t.siteKey) === vendor.key).map((t) => t.id)));

    const ownPeople = expected.people.filter((p) => siteVendor.get(p.siteKey) === vendor.key);
    expect(ownPeople.length).toBeGreaterThan(0);
    expect(ownPeople.length).toBeLessThan(expected.people.length);
    const people = (await browser.request('GET', '/api/people?limit=500')).json();
    expect(people.total).toBe(ownPeople.length);
    expect(ids(people)).toEqual(new Set(ownPeople.map((p) => p.id)));

    const stranger = expected.people.find((p) => siteVendor.get(p.siteKey) !== vendor.key)!;
    expect((await browser.request('GET', `/api/people/${stranger.id}`)).statusCode).toBe(404);
  });

  it("shows the site-scoped trainer only their site's people", async () => {
    const trainer = expected.users.find((u) => u.scope.kind === 'site')!;
    const site = expected.sites.find((s) => s.key === trainer.scope.refKey)!;
    const people = (await (await signedIn(trainer.email)).request('GET', '/api/people?limit=500')).json();
    expect(ids(people)).toEqual(new Set(expected.people.filter((p) => p.siteKey === site.key).map((p) => p.id)));
  });

  it('limits the agent (scope self) to their own person record', async () => {
    const agent = expected.users.find((u) => u.scope.kind === 'self')!;
    const person = expected.people.find((p) => p.key === agent.personKey)!;
    const browser = await signedIn(agent.email);
    const me = (await browser.request('GET', '/api/auth/me')).json();
    expect(me.user).toMatchObject({ personId: person.id, scope: { kind: 'self', refId: person.id } });
    // Through the API they see one person: themselves.
    const listed = await browser.request('GET', '/api/people?limit=500');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ total: 1, items: [{ id: person.id }] });
    const colleague = expected.people.find((p) => p.teamKey === person.teamKey && p.id !== person.id)!;
    expect((await browser.request('GET', `/api/people/${colleague.id}`)).statusCode).toBe(404);
    // And so does the database under their scope.
    const row = (await findUserByEmail(database.db, agent.email))!;
    const scope = await resolveScope(database.db, row);
    const visible = await withViewer(database.db, { userId: row.id, scope }, (trx) => trx.selectFrom('people').select('id').execute());
    expect(visible.map((p) => p.id)).toEqual([person.id]);
  });
});
