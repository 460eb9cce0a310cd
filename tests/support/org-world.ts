import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/database.ts';
import { digest } from '../../src/domain/auth/secrets.ts';
import { hashPassword } from '../../src/domain/auth/passwords.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';

/**
 * A small organisation for scope tests: vendors V0 (in-house), V1, V2, each
 * with two sites, each site with two teams, each team with two agents, plus
 * one unassigned QA specialist per site. Written directly (as the system), so
 * the code under test does not build its own fixtures.
 */
export interface WorldVendor { id: string; name: string }
export interface WorldSite { id: string; vendorId: string; name: string }
export interface WorldTeam { id: string; vendorId: string; siteId: string; name: string }
export interface WorldPerson { id: string; vendorId: string; siteId: string; teamId: string | null; fullName: string }

export interface World {
  vendors: WorldVendor[];
  sites: WorldSite[];
  teams: WorldTeam[];
  people: WorldPerson[];
  workflowId: string;
  tag: string;
}

export async function buildWorld(db: Db): Promise<World> {
  const tag = randomBytes(3).toString('hex');
  const workflow = await db
    .insertInto('workflows')
    .values({ key: `video_${tag}`, name: `Video ${tag}`, kind: 'moderation' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const world: World = { vendors: [], sites: [], teams: [], people: [], workflowId: workflow.id, tag };
  for (let v = 0; v < 3; v++) {
    const vendor = await db
      .insertInto('vendors')
      .values({ name: `Vendor ${v} ${tag}`, code: `V${v}${tag.toUpperCase()}`.slice(0, 12), is_in_house: v === 0 })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    world.vendors.push(vendor);
    for (let s = 0; s < 2; s++) {
      const site = await db
        .insertInto('sites')
        .values({ vendor_id: vendor.id, name: `Site ${v}.${s}`, country_code: 'PH', time_zone: 'Asia/Manila' })
        .returning(['id', 'vendor_id', 'name'])
        .executeTakeFirstOrThrow();
      world.sites.push({ id: site.id, vendorId: site.vendor_id, name: site.name });
      const qa = await db
        .insertInto('people')
        .values({ vendor_id: vendor.id, site_id: site.id, team_id: null, full_name: `QA ${v}.${s}`, job_role: 'qa_specialist', hire_date: '2022-01-10' })
        .returning('id')
        .executeTakeFirstOrThrow();
      world.people.push({ id: qa.id, vendorId: vendor.id, siteId: site.id, teamId: null, fullName: `QA ${v}.${s}` });
      for (let t = 0; t < 2; t++) {
        const team = await db
          .insertInto('teams')
          .values({ vendor_id: vendor.id, site_id: site.id, name: `Team ${v}.${s}.${t}`, workflow_id: workflow.id })
          .returning(['id', 'name'])
          .executeTakeFirstOrThrow();
        world.teams.push({ id: team.id, vendorId: vendor.id, siteId: site.id, name: team.name });
        for (let p = 0; p < 2; p++) {
          const fullName = `Agent ${v}.${s}.${t}.${p}`;
          const person = await db
            .insertInto('people')
            .values({ vendor_id: vendor.id, site_id: site.id, team_id: team.id, full_name: fullName, job_role: 'agent', hire_date: '2024-05-01', languages: ['en'] })
            .returning('id')
            .executeTakeFirstOrThrow();
          await db.insertInto('person_workflow_skills').values({ person_id: person.id, workflow_id: workflow.id }).execute();
          world.people.push({ id: person.id, vendorId: vendor.id, siteId: site.id, teamId: team.id, fullName });
        }
      }
    }
  }
  return world;
}

/** The ids of one level a viewer may see: an independent statement of the rule the database enforces. */
export function visibleIds(world: World, level: 'vendor' | 'site' | 'team' | 'person', scope: { kind: ScopeKind; vendorId?: string | null; siteId?: string | null; teamId?: string | null; personId?: string | null }): Set<string> {
  const rows: Array<{ id: string; vendorId: string; siteId: string | null; teamId: string | null; personId: string | null }> =
    level === 'vendor'
      ? world.vendors.map((v) => ({ id: v.id, vendorId: v.id, siteId: null, teamId: null, personId: null }))
      : level === 'site'
        ? world.sites.map((s) => ({ id: s.id, vendorId: s.vendorId, siteId: s.id, teamId: null, personId: null }))
        : level === 'team'
          ? world.teams.map((t) => ({ id: t.id, vendorId: t.vendorId, siteId: t.siteId, teamId: t.id, personId: null }))
          : world.people.map((p) => ({ id: p.id, vendorId: p.vendorId, siteId: p.siteId, teamId: p.teamId, personId: p.id }));
  const depth = { vendor: 0, site: 1, team: 2, person: 3 } as const;
  const scopeDepth = { all: -1, vendor: 0, site: 1, team: 2, self: 3 }[scope.kind];
  return new Set(
    rows
      .filter((row) => {
        if (scope.kind === 'all') return true;
        // Compare at the shallower of the row's level and the scope's level.
        const at = Math.min(depth[level], scopeDepth);
        if (at === 0) return row.vendorId === scope.vendorId;
        if (at === 1) return row.siteId === scope.siteId;
        if (at === 2) return row.teamId !== null && row.teamId === scope.teamId;
        return row.personId === scope.personId;
      })
      .map((row) => row.id),
  );
}

export interface WorldUser {
  id: string;
  email: string;
  role: Role;
  scope: { kind: ScopeKind; refId: string | null; vendorId: string | null; siteId: string | null; teamId: string | null; personId: string | null };
  token: string;
}

export const TEST_PASSWORD = 'correct horse battery staple';
/** A QA specialist outside any team at the vendor's first site, skilled on the world's workflow. */
export async function addQaPerson(db: Db, world: World, vendorIndex: number, fullName: string): Promise<WorldPerson> {
  const vendorId = world.vendors[vendorIndex]!.id;
  const siteId = world.sites.find((s) => s.vendorId === vendorId)!.id;
  const row = await db
    .insertInto('people')
    .values({ vendor_id: vendorId, site_id: siteId, team_id: null, full_name: fullName, job_role: 'qa_specialist', hire_date: '2021-06-01', languages: ['en'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('person_workflow_skills').values({ person_id: row.id, workflow_id: world.workflowId }).execute();
  return { id: row.id, vendorId, siteId, teamId: null, fullName };
}

let cachedHash: Promise<string> | null = null;

/** A user with a role and scope, and an API token for them (same scope as their session would have). */
export async function addUser(db: Db, world: World, role: Role, kind: ScopeKind, label: string): Promise<WorldUser> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const vendor = world.vendors[1]!;
  const site = world.sites.find((s) => s.vendorId === vendor.id)!;
  const team = world.teams.find((t) => t.siteId === site.id)!;
  const person = world.people.find((p) => p.teamId === team.id)!;
  const chain = {
    all: { refId: null, vendorId: null, siteId: null, teamId: null, personId: null },
    vendor: { refId: vendor.id, vendorId: vendor.id, siteId: null, teamId: null, personId: null },
    site: { refId: site.id, vendorId: vendor.id, siteId: site.id, teamId: null, personId: null },
    team: { refId: team.id, vendorId: vendor.id, siteId: site.id, teamId: team.id, personId: null },
    self: { refId: person.id, vendorId: vendor.id, siteId: site.id, teamId: team.id, personId: person.id },
  }[kind];
  const email = `${label}.${world.tag}@test.example`;
  const user = await db
    .insertInto('users')
    .values({
      email,
      display_name: label,
      password_hash: await cachedHash,
      role,
      scope_kind: kind,
      scope_ref_id: chain.refId,
      person_id: kind === 'self' ? person.id : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = `assay_${randomBytes(24).toString('base64url')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: user.id, name: 'test', token_hash: digest(token), prefix: token.slice(0, 12) })
    .execute();
  return { id: user.id, email, role, scope: { kind, ...chain }, token };
}
