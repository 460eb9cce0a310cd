import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';
import { auditCount, auditRowsFor, writtenInSameTransaction } from '../support/audit-trail.ts';

/**
 * Vendors, sites, teams and people through HTTP: create, edit, deactivate,
 * reactivate; field-level validation with JSON-pointer paths; duplicates;
 * the audit entry of every change; list filters and paging.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let vm: WorldUser;
let asAdmin: ReturnType<typeof tokenClient>;
let asVm: ReturnType<typeof tokenClient>;
let seq = 0;
const unique = (label: string) => `${label} ${world.tag} ${++seq}`;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'org-admin');
  vm = await addUser(database.db, world, 'vendor_manager', 'vendor', 'org-vm');
  app = await buildTestServer(database.db);
  asAdmin = tokenClient(app, admin.token);
  asVm = tokenClient(app, vm.token);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const vmVendor = () => world.vendors[1]!;
const vmSites = () => world.sites.filter((s) => s.vendorId === vmVendor().id);
const otherVendor = () => world.vendors[2]!;

async function countOf(table: 'vendors' | 'sites' | 'teams' | 'people'): Promise<number> {
  const row = await database.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

function paths(body: { error: { details: Array<{ path: string }> } }): string[] {
  return body.error.details.map((d) => d.path);
}

/** Checks the one new audit entry of a change: its action, entity, vendor, actor, and that it shares the change's transaction. */
async function expectAudited(table: string, entityId: string, action: string, vendorId: string, actor: WorldUser) {
  const rows = await auditRowsFor(database.db, entityId);
  const last = rows.at(-1)!;
  expect(last, `audit entry for ${entityId}`).toBeDefined();
  expect(last).toMatchObject({ action, entity_id: entityId, vendor_id: vendorId, actor_user_id: actor.id });
  expect(await writtenInSameTransaction(database.db, table, entityId, last.id)).toBe(true);
  return last;
}

async function newPerson(client: ReturnType<typeof tokenClient>, siteId: string, extra: Record<string, unknown> = {}) {
  return client('POST', '/api/people', { siteId, fullName: unique('Person'), jobRole: 'agent', hireDate: '2024-02-01', languages: ['en'], workflowIds: [], ...extra });
}

describe('vendors', () => {
  it('lets an admin create, edit, deactivate and reactivate a vendor, auditing each change', async () => {
    const name = unique('Northwind');
    const created = await asAdmin('POST', '/api/vendors', { name: `  ${name} `, code: 'nw1' });
    expect(created.statusCode).toBe(201);
    const vendor = created.json();
    expect(vendor).toMatchObject({ name, code: 'NW1', isInHouse: false, status: 'active', siteCount: 0, peopleCount: 0 });
    const createdEntry = await expectAudited('vendors', vendor.id, 'vendor.create', vendor.id, admin);
    expect(createdEntry.details).toMatchObject({ name, code: 'NW1' });

    const renamed = await asAdmin('PATCH', `/api/vendors/${vendor.id}`, { name: `${name} Ltd` });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe(`${name} Ltd`);
    const update = await expectAudited('vendors', vendor.id, 'vendor.update', vendor.id, admin);
    expect(update.details).toEqual({ changes: { name: [name, `${name} Ltd`] } });
    // The check can fail: the creation entry is not the transaction that wrote the row as it is now.
    expect(await writtenInSameTransaction(database.db, 'vendors', vendor.id, createdEntry.id)).toBe(false);

    expect((await asAdmin('PATCH', `/api/vendors/${vendor.id}`, { status: 'inactive' })).json().status).toBe('inactive');
    const deactivation = await expectAudited('vendors', vendor.id, 'vendor.deactivate', vendor.id, admin);
    expect(deactivation.details).toEqual({ changes: { status: ['active', 'inactive'] } });
    const readBack = await asAdmin('GET', `/api/vendors/${vendor.id}`);
    expect(readBack.statusCode).toBe(200);
    expect(readBack.json().status).toBe('inactive');
    const inactive = (await asAdmin('GET', '/api/vendors?status=inactive&limit=500')).json();
    expect(inactive.items.map((v: { id: string }) => v.id)).toContain(vendor.id);

    expect((await asAdmin('PATCH', `/api/vendors/${vendor.id}`, { status: 'active' })).json().status).toBe('active');
    await expectAudited('vendors', vendor.id, 'vendor.reactivate', vendor.id, admin);
    expect((await auditRowsFor(database.db, vendor.id)).map((r) => r.action)).toEqual([
      'vendor.create', 'vendor.update', 'vendor.deactivate', 'vendor.reactivate',
    ]);
  });

  it('refuses a vendor name that differs only in case, with a readable 409 at /name and no audit entry', async () => {
    const name = unique('Blue Harbour');
    expect((await asAdmin('POST', '/api/vendors', { name, code: `BH${seq}` })).statusCode).toBe(201);
    const [vendors, entries] = [await countOf('vendors'), await auditCount(database.db)];
    const duplicate = await asAdmin('POST', '/api/vendors', { name: name.toUpperCase(), code: `BX${seq}` });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toEqual({
      code: 'CONFLICT',
      message: 'A vendor with this name already exists.',
      details: [{ path: '/name', message: 'A vendor with this name already exists.' }],
    });
    expect(await countOf('vendors')).toBe(vendors);
    expect(await auditCount(database.db)).toBe(entries);
  });

  it('validates fields with JSON-pointer paths and writes nothing', async () => {
    const [vendors, entries] = [await countOf('vendors'), await auditCount(database.db)];
    const missing = await asAdmin('POST', '/api/vendors', { code: 'ZZ1', colour: 'blue' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.details).toEqual(
      expect.arrayContaining([
        { path: '/name', message: 'This field is required.' },
        { path: '/colour', message: 'This field is not recognised.' },
      ]),
    );
    const badCode = await asAdmin('POST', '/api/vendors', { name: unique('Bad code'), code: 'a!' });
    expect(badCode.statusCode).toBe(422);
    expect(paths(badCode.json())).toEqual(['/code']);
    expect(await countOf('vendors')).toBe(vendors);
    expect(await auditCount(database.db)).toBe(entries);
  });

  it('lets a vendor manager edit their own vendor but not add vendors or touch another', async () => {
    expect((await asVm('POST', '/api/vendors', { name: unique('Rogue'), code: 'RG1' })).statusCode).toBe(403);
    const edited = await asVm('PATCH', `/api/vendors/${vmVendor().id}`, { name: unique('Renamed by VM') });
    expect(edited.statusCode).toBe(200);
    await expectAudited('vendors', vmVendor().id, 'vendor.update', vmVendor().id, vm);
    expect((await asVm('PATCH', `/api/vendors/${otherVendor().id}`, { name: unique('Hijack') })).statusCode).toBe(404);
  });
});

describe('sites', () => {
  it('lets a vendor manager create, edit, deactivate and reactivate a site at their vendor', async () => {
    const name = unique('Cebu IT Park');
    const created = await asVm('POST', '/api/sites', { vendorId: vmVendor().id, name, countryCode: 'ph', timeZone: 'Asia/Manila' });
    expect(created.statusCode).toBe(201);
    const site = created.json();
    expect(site).toMatchObject({ vendorId: vmVendor().id, name, countryCode: 'PH', timeZone: 'Asia/Manila', status: 'active' });
    const entry = await expectAudited('sites', site.id, 'site.create', vmVendor().id, vm);
    expect(entry.details).toMatchObject({ name, countryCode: 'PH', timeZone: 'Asia/Manila' });

    expect((await asVm('PATCH', `/api/sites/${site.id}`, { timeZone: 'Asia/Singapore', countryCode: 'SG' })).statusCode).toBe(200);
    const update = await expectAudited('sites', site.id, 'site.update', vmVendor().id, vm);
    expect(update.details).toEqual({ changes: { timeZone: ['Asia/Manila', 'Asia/Singapore'], countryCode: ['PH', 'SG'] } });

    expect((await asVm('PATCH', `/api/sites/${site.id}`, { status: 'inactive' })).statusCode).toBe(200);
    await expectAudited('sites', site.id, 'site.deactivate', vmVendor().id, vm);
    expect((await asVm('GET', `/api/sites/${site.id}`)).json().status).toBe('inactive');
    expect((await asVm('PATCH', `/api/sites/${site.id}`, { status: 'active' })).json().status).toBe('active');
    await expectAudited('sites', site.id, 'site.reactivate', vmVendor().id, vm);
  });

  it('reports a bad time zone at /timeZone and a bad country at /countryCode, writing nothing', async () => {
    const [sites, entries] = [await countOf('sites'), await auditCount(database.db)];
    const response = await asVm('POST', '/api/sites', { vendorId: vmVendor().id, name: unique('Nowhere'), countryCode: 'XX', timeZone: 'Mars/Olympus_Mons' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(paths(response.json()).sort()).toEqual(['/countryCode', '/timeZone']);
    const site = vmSites()[0]!;
    const patch = await asVm('PATCH', `/api/sites/${site.id}`, { timeZone: 'Europe/Atlantis' });
    expect(patch.statusCode).toBe(422);
    expect(paths(patch.json())).toEqual(['/timeZone']);
    expect((await asVm('GET', `/api/sites/${site.id}`)).json().timeZone).toBe('Asia/Manila');
    const unknownField = await asVm('POST', '/api/sites', { vendorId: vmVendor().id, countryCode: 'PH', timeZone: 'UTC', floor: 3 });
    expect(unknownField.json().error.details).toEqual(
      expect.arrayContaining([
        { path: '/name', message: 'This field is required.' },
        { path: '/floor', message: 'This field is not recognised.' },
      ]),
    );
    expect(await countOf('sites')).toBe(sites);
    expect(await auditCount(database.db)).toBe(entries);
  });

  it('keeps site names unique within a vendor only, and hides other vendors', async () => {
    const name = unique('Makati');
    expect((await asVm('POST', '/api/sites', { vendorId: vmVendor().id, name, countryCode: 'PH', timeZone: 'Asia/Manila' })).statusCode).toBe(201);
    const duplicate = await asVm('POST', '/api/sites', { vendorId: vmVendor().id, name: name.toLowerCase(), countryCode: 'PH', timeZone: 'Asia/Manila' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.details).toEqual([{ path: '/name', message: 'This vendor already has a site with this name.' }]);
    const elsewhere = await asAdmin('POST', '/api/sites', { vendorId: otherVendor().id, name, countryCode: 'PH', timeZone: 'Asia/Manila' });
    expect(elsewhere.statusCode).toBe(201);
    const outOfScope = await asVm('POST', '/api/sites', { vendorId: otherVendor().id, name: unique('Sneaky'), countryCode: 'PH', timeZone: 'Asia/Manila' });
    expect(outOfScope.statusCode).toBe(422);
    expect(outOfScope.json().error.details).toEqual([{ path: '/vendorId', message: 'No such vendor.' }]);
  });
});

describe('teams', () => {
  it('creates, renames, deactivates and reactivates a team, and refuses a duplicate name at the site', async () => {
    const site = vmSites()[0]!;
    const name = unique('Falcon');
    const created = await asVm('POST', '/api/teams', { siteId: site.id, name, workflowId: world.workflowId });
    expect(created.statusCode).toBe(201);
    const team = created.json();
    expect(team).toMatchObject({ vendorId: vmVendor().id, siteId: site.id, name, workflowId: world.workflowId, status: 'active' });
    await expectAudited('teams', team.id, 'team.create', vmVendor().id, vm);

    expect((await asVm('PATCH', `/api/teams/${team.id}`, { name: `${name} II`, workflowId: null })).statusCode).toBe(200);
    const update = await expectAudited('teams', team.id, 'team.update', vmVendor().id, vm);
    expect(update.details).toEqual({ changes: { name: [name, `${name} II`], workflowId: [world.workflowId, null] } });
    expect((await asVm('PATCH', `/api/teams/${team.id}`, { status: 'inactive' })).json().status).toBe('inactive');
    await expectAudited('teams', team.id, 'team.deactivate', vmVendor().id, vm);
    expect((await asVm('GET', `/api/teams/${team.id}`)).json().status).toBe('inactive');
    expect((await asVm('PATCH', `/api/teams/${team.id}`, { status: 'active' })).json().status).toBe('active');
    await expectAudited('teams', team.id, 'team.reactivate', vmVendor().id, vm);

    const duplicate = await asVm('POST', '/api/teams', { siteId: site.id, name: `${name} ii`.toUpperCase() });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.details).toEqual([{ path: '/name', message: 'This site already has a team with this name.' }]);
  });
});

describe('people', () => {
  it('creates, edits, deactivates and reactivates a person, with canonical languages and an audit trail', async () => {
    const site = vmSites()[0]!;
    const team = world.teams.find((t) => t.siteId === site.id)!;
    const created = await asVm('POST', '/api/people', {
      siteId: site.id, teamId: team.id, fullName: '  Maria   Santos ', email: 'Maria.Santos@Example.COM', employeeRef: `E-${seq}`,
      jobRole: 'agent', hireDate: '2024-03-18', languages: ['en', 'pt-br', 'EN'], workflowIds: [world.workflowId],
    });
    expect(created.statusCode).toBe(201);
    const person = created.json();
    expect(person).toMatchObject({
      vendorId: vmVendor().id, siteId: site.id, teamId: team.id, fullName: 'Maria Santos', email: 'maria.santos@example.com',
      jobRole: 'agent', hireDate: '2024-03-18', languages: ['en', 'pt-BR'], workflowIds: [world.workflowId], status: 'active',
    });
    const entry = await expectAudited('people', person.id, 'person.create', vmVendor().id, vm);
    expect(entry.details).toMatchObject({ fullName: 'Maria Santos', siteId: site.id, teamId: team.id, jobRole: 'agent' });

    expect((await asVm('PATCH', `/api/people/${person.id}`, { jobRole: 'qa_specialist', teamId: null })).statusCode).toBe(200);
    const update = await expectAudited('people', person.id, 'person.update', vmVendor().id, vm);
    expect(update.details).toEqual({ changes: { jobRole: ['agent', 'qa_specialist'], teamId: [team.id, null] } });

    expect((await asVm('PATCH', `/api/people/${person.id}`, { status: 'inactive' })).statusCode).toBe(200);
    await expectAudited('people', person.id, 'person.deactivate', vmVendor().id, vm);
    const readBack = await asVm('GET', `/api/people/${person.id}`);
    expect(readBack.statusCode).toBe(200);
    expect(readBack.json()).toMatchObject({ status: 'inactive', fullName: 'Maria Santos' });
    expect((await asVm('PATCH', `/api/people/${person.id}`, { status: 'active' })).json().status).toBe('active');
    await expectAudited('people', person.id, 'person.reactivate', vmVendor().id, vm);
  });

  it('reports each bad field at its own path and writes no row and no audit entry', async () => {
    const [site, otherSite] = vmSites();
    const foreignTeam = world.teams.find((t) => t.siteId === otherSite!.id)!;
    const [people, entries] = [await countOf('people'), await auditCount(database.db)];
    const response = await newPerson(asVm, site!.id, { teamId: foreignTeam.id, hireDate: '2024-02-30', languages: ['en', 'not a language!'] });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details).toEqual(
      expect.arrayContaining([
        { path: '/teamId', message: 'This team is at another site.' },
        { path: '/hireDate', message: 'Use a date like 2024-03-18.' },
        { path: '/languages/1', message: '"not a language!" is not a language tag like en, tl or pt-BR.' },
      ]),
    );
    expect(paths(response.json())).toHaveLength(3);
    const notADate = await newPerson(asVm, site!.id, { hireDate: 'last tuesday' });
    expect(paths(notADate.json())).toEqual(['/hireDate']);
    const schema = await asVm('POST', '/api/people', { siteId: site!.id, fullName: 'No Role', hireDate: '2024-01-01', languages: [], workflowIds: [], nickname: 'x' });
    expect(schema.statusCode).toBe(422);
    expect(schema.json().error.details).toEqual(
      expect.arrayContaining([
        { path: '/jobRole', message: 'This field is required.' },
        { path: '/nickname', message: 'This field is not recognised.' },
      ]),
    );
    expect(await countOf('people')).toBe(people);
    expect(await auditCount(database.db)).toBe(entries);
  });

  it('keeps email unique within a vendor, case-insensitively, but allows the same email at another vendor', async () => {
    const email = `dup.${world.tag}.${++seq}@example.com`;
    expect((await newPerson(asAdmin, world.sites.find((s) => s.vendorId === otherVendor().id)!.id, { email })).statusCode).toBe(201);
    // The vendor manager cannot learn that the address exists at another vendor.
    const mine = await newPerson(asVm, vmSites()[0]!.id, { email });
    expect(mine.statusCode).toBe(201);
    const [people, entries] = [await countOf('people'), await auditCount(database.db)];
    const duplicate = await newPerson(asVm, vmSites()[1]!.id, { email: email.toUpperCase() });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({
      code: 'CONFLICT',
      message: 'Someone at this vendor already has this email.',
      details: [{ path: '/email', message: 'Someone at this vendor already has this email.' }],
    });
    expect(await countOf('people')).toBe(people);
    expect(await auditCount(database.db)).toBe(entries);
  });
});

describe('lists', () => {
  it('filters people by vendor, site, team, job role, status and text, and pages with a stable total', async () => {
    const vendor = (await asAdmin('POST', '/api/vendors', { name: unique('Listing Co'), code: `LS${seq}` })).json();
    const siteA = (await asAdmin('POST', '/api/sites', { vendorId: vendor.id, name: 'A', countryCode: 'IE', timeZone: 'Europe/Dublin' })).json();
    const siteB = (await asAdmin('POST', '/api/sites', { vendorId: vendor.id, name: 'B', countryCode: 'KE', timeZone: 'Africa/Nairobi' })).json();
    const team = (await asAdmin('POST', '/api/teams', { siteId: siteA.id, name: 'Alpha' })).json();
    const specs = [
      { siteId: siteA.id, teamId: team.id, fullName: 'Aoife Byrne', jobRole: 'agent', email: 'aoife@lists.example' },
      { siteId: siteA.id, teamId: team.id, fullName: 'Brian Kelly', jobRole: 'agent', status: 'inactive' },
      { siteId: siteA.id, teamId: team.id, fullName: 'Ciara Walsh', jobRole: 'qa_specialist', employeeRef: 'REF-777' },
      { siteId: siteA.id, fullName: 'Declan Moore', jobRole: 'trainer' },
      { siteId: siteB.id, fullName: 'Esther Wanjiru', jobRole: 'agent' },
      { siteId: siteB.id, fullName: 'Faith Otieno', jobRole: 'qa_specialist', status: 'on_leave' },
      { siteId: siteB.id, fullName: 'Grace Achieng', jobRole: 'agent' },
    ];
    for (const spec of specs) {
      const response = await asAdmin('POST', '/api/people', { hireDate: '2023-05-05', languages: ['en'], workflowIds: [], ...spec });
      expect(response.statusCode).toBe(201);
    }
    const names = async (query: string) => {
      const body = (await asAdmin('GET', `/api/people?vendorId=${vendor.id}&${query}`)).json();
      return { names: body.items.map((p: { fullName: string }) => p.fullName), total: body.total as number };
    };
    expect(await names('')).toEqual({ names: specs.map((s) => s.fullName), total: 7 });
    expect((await names(`siteId=${siteB.id}`)).names).toEqual(['Esther Wanjiru', 'Faith Otieno', 'Grace Achieng']);
    expect((await names(`teamId=${team.id}`)).names).toEqual(['Aoife Byrne', 'Brian Kelly', 'Ciara Walsh']);
    expect((await names('jobRole=qa_specialist')).names).toEqual(['Ciara Walsh', 'Faith Otieno']);
    expect((await names('status=inactive')).names).toEqual(['Brian Kelly']);
    expect((await names('status=on_leave')).names).toEqual(['Faith Otieno']);
    expect((await names('q=AOIFE@')).names).toEqual(['Aoife Byrne']);
    expect((await names('q=ref-777')).names).toEqual(['Ciara Walsh']);
    expect((await names('q=walsh')).total).toBe(1);
    expect((await names('q=%25')).total).toBe(0);

    const pages = [];
    for (const offset of [0, 3, 6, 9]) pages.push(await names(`limit=3&offset=${offset}`));
    expect(pages.map((p) => p.names.length)).toEqual([3, 3, 1, 0]);
    expect(pages.map((p) => p.total)).toEqual([7, 7, 7, 7]);
    expect(pages.flatMap((p) => p.names)).toEqual(specs.map((s) => s.fullName));
    const badLimit = await asAdmin('GET', '/api/people?limit=0');
    expect(badLimit.statusCode).toBe(422);
    expect(paths(badLimit.json())).toEqual(['?limit']);

    // The same filters for sites and teams; a vendor manager's list never reaches another vendor.
    const sites = (await asAdmin('GET', `/api/sites?vendorId=${vendor.id}&limit=1`)).json();
    expect({ count: sites.items.length, total: sites.total }).toEqual({ count: 1, total: 2 });
    expect((await asAdmin('GET', `/api/sites?vendorId=${vendor.id}&q=b`)).json().items.map((s: { id: string }) => s.id)).toEqual([siteB.id]);
    expect((await asAdmin('GET', `/api/teams?siteId=${siteA.id}`)).json().items.map((t: { id: string }) => t.id)).toEqual([team.id]);
    const vendors = (await asAdmin('GET', `/api/vendors?q=${encodeURIComponent(vendor.name)}`)).json();
    expect(vendors.items.map((v: { id: string }) => v.id)).toEqual([vendor.id]);
    expect((await asVm('GET', `/api/people?vendorId=${vendor.id}`)).json()).toEqual({ items: [], total: 0 });
    expect((await asVm('GET', `/api/sites?vendorId=${vendor.id}`)).json()).toEqual({ items: [], total: 0 });
  });
});

describe('input hygiene', () => {
  it('treats names that differ only in spacing as the same vendor', async () => {
    const first = await asAdmin('POST', '/api/vendors', { name: 'Spacing  Test   BPO', code: 'SPC1' });
    expect(first.statusCode).toBe(201);
    expect(first.json().name).toBe('Spacing Test BPO');
    const again = await asAdmin('POST', '/api/vendors', { name: ' spacing test bpo ', code: 'SPC2' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details).toEqual([{ path: '/name', message: 'A vendor with this name already exists.' }]);
  });

  it('answers a bad choice in a query with one message that lists the choices', async () => {
    const response = await tokenClient(app, admin.token)('GET', '/api/people?status=bogus');
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details).toEqual([{ path: '?status', message: 'Choose one of: active, on_leave, inactive.' }]);
  });
});
