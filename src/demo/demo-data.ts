import { DEMO_ACTIONS, buildWorkflows } from './demo-catalogue.ts';
import { buildSites, buildVendors, planTeams } from './demo-org.ts';
import { buildPeople } from './demo-people.ts';
import { buildPolicies } from './demo-policies.ts';
import { parseDay } from './demo-random.ts';
import type { DemoData, DemoOptions } from './demo-types.ts';
import { buildUsers } from './demo-users.ts';

/**
 * Demo data for Assay: the taxonomy, organisation, people and sign-ins of a
 * believable Trust & Safety operation (a short-video platform with an in-house
 * team in Dublin and Austin and three BPO vendors across Manila, Cebu,
 * Hyderabad, Nairobi, Lisbon and Bogotá).
 *
 * Pure and deterministic: the same seed and reference date give deep-equal
 * output; no clock, no Math.random, no I/O. Ids are UUIDs hashed from
 * (seed, stable key). The demo password is not here: the loader sets it.
 */

export type {
  DemoAction,
  DemoData,
  DemoJobRole,
  DemoOptions,
  DemoPerson,
  DemoPersonStatus,
  DemoPolicy,
  DemoPolicyLabel,
  DemoPolicyVersion,
  DemoScopeKind,
  DemoSeverity,
  DemoSite,
  DemoTeam,
  DemoUser,
  DemoUserRole,
  DemoUserScope,
  DemoVendor,
  DemoWorkflow,
  DemoWorkflowKind,
} from './demo-types.ts';
export { demoUuid } from './demo-random.ts';
export { KEY_PEOPLE } from './demo-people.ts';
export { DEMO_STORY, DEMO_USER_DOMAIN } from './demo-users.ts';
export { V1_DAYS_AGO } from './demo-policies.ts';

export function generateDemoData(options: DemoOptions): DemoData {
  const { seed, today } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`Demo seed must be an integer, got ${seed}.`);
  parseDay(today); // throws on anything but a real 'YYYY-MM-DD'

  const vendors = buildVendors(seed);
  const sites = buildSites(seed);
  const planned = planTeams(seed);
  const teams = planned.map((p) => p.team);
  const people = buildPeople(seed, today, planned);
  return {
    actions: DEMO_ACTIONS.map((action) => ({ ...action })),
    workflows: buildWorkflows(seed),
    policies: buildPolicies(seed, today),
    vendors,
    sites,
    teams,
    people,
    users: buildUsers(seed, today, vendors, teams, people),
  };
}
