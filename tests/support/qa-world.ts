import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { asSystem } from '../../src/db/scoped.ts';
import type { JobRole } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/access/actor.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import { createTasksForSamples } from '../../src/domain/qa/qa-tasks.service.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { buildTestServer, tokenClient } from './test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from './org-world.ts';
import { insertSampledDecisions, type SampledDecisionSpec } from './decision-fixtures.ts';

/**
 * The world of the QA queue tests (qa-queue.test.ts, qa-claims.test.ts): a
 * database, a server, the org world and an admin, plus helpers to add
 * reviewers, sampled decisions and tasks. Call useQaWorld() once at the top
 * of a test file; the exported bindings are live once its beforeAll ran.
 */
export let database: TestDatabase;
export let app: FastifyInstance;
export let world: World;
export let admin: WorldUser;
export let asAdmin: ReturnType<typeof tokenClient>;
let seq = 0;

export const HOUR = 3_600_000;
export const IN_HOUSE = 0;
export const V1 = 1;
export const V2 = 2;

export function useQaWorld(): void {
  beforeAll(async () => {
    database = await createTestDatabase();
    world = await buildWorld(database.db);
    admin = await addUser(database.db, world, 'admin', 'all', 'qa-admin');
    app = await buildTestServer(database.db);
    asAdmin = tokenClient(app, admin.token);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });
}

export const vendorId = (index: number) => world.vendors[index]!.id;
/** The agents of a vendor, from buildWorld (two per team). */
export const agentsOf = (index: number) => world.people.filter((p) => p.vendorId === vendorId(index) && p.teamId !== null);

export async function newWorkflow(): Promise<string> {
  seq += 1;
  const row = await database.db
    .insertInto('workflows')
    .values({ key: `qa_${world.tag}_${seq}`, name: `QA flow ${world.tag} ${seq}`, kind: 'moderation' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface PersonSpec {
  vendor: number;
  teamId?: string | null;
  jobRole?: JobRole;
  languages?: string[];
  workflowIds?: string[];
}

/** A person at the vendor's first site (or on the given team), skilled in the given workflows. */
export async function addPerson(spec: PersonSpec): Promise<WorldPerson> {
  seq += 1;
  const team = spec.teamId ? world.teams.find((t) => t.id === spec.teamId)! : null;
  const siteId = team?.siteId ?? world.sites.find((s) => s.vendorId === vendorId(spec.vendor))!.id;
  const fullName = `Reviewer ${seq} ${world.tag}`;
  const row = await database.db
    .insertInto('people')
    .values({
      vendor_id: vendorId(spec.vendor),
      site_id: siteId,
      team_id: team?.id ?? null,
      full_name: fullName,
      job_role: spec.jobRole ?? 'qa_specialist',
      hire_date: '2021-06-01',
      languages: spec.languages ?? ['en'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const workflowId of spec.workflowIds ?? []) {
    await database.db.insertInto('person_workflow_skills').values({ person_id: row.id, workflow_id: workflowId }).execute();
  }
  return { id: row.id, vendorId: vendorId(spec.vendor), siteId, teamId: team?.id ?? null, fullName };
}

/** A user with a role and scope (see addUser), linked to a person: a reviewer who can sign in. */
export async function linkedUser(role: Role, kind: ScopeKind, person: WorldPerson | null): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${kind}-${seq}`);
  if (person) await database.db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
  return user;
}

export function actorOf(user: WorldUser, personId: string): Actor {
  const { kind, vendorId: v, siteId, teamId, personId: scopePerson } = user.scope;
  return {
    userId: user.id,
    label: user.email,
    role: user.role,
    scope: { kind, vendorId: v, siteId, teamId, personId: scopePerson },
    personId,
    ip: null,
    userAgent: null,
    requestId: null,
  };
}

export async function sampled(specs: Array<Omit<SampledDecisionSpec, 'workflowId'>>, workflowId: string): Promise<string[]> {
  return insertSampledDecisions(database.db, specs.map((spec) => ({ ...spec, workflowId })));
}

export async function createTasks(decisionIds: string[], now = new Date()): Promise<number> {
  return asSystem(database.db, (trx) => createTasksForSamples(trx, decisionIds, now));
}

export async function tasksOf(decisionIds: string[]) {
  const rows = await database.db.selectFrom('qa_tasks').selectAll().where('decision_id', 'in', decisionIds).execute();
  return decisionIds.map((id) => rows.find((row) => row.decision_id === id)!);
}

export async function setWorkflowSettings(workflowId: string, values: { turnaround_hours?: number; lease_minutes?: number; internal_reviews_vendor_work?: boolean }) {
  await database.db.insertInto('qa_workflow_settings').values({ workflow_id: workflowId, ...values, updated_at: new Date() }).execute();
}

export async function setCapacity(personId: string, dailyCapacity: number) {
  await database.db.insertInto('qa_reviewer_capacity').values({ person_id: personId, daily_capacity: dailyCapacity, updated_at: new Date() }).execute();
}
