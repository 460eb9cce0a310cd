import { KEY_PEOPLE } from './demo-people.ts';
import { daysBetween, demoUuid } from './demo-random.ts';
import type { DemoPerson, DemoScopeKind, DemoTeam, DemoUser, DemoUserRole, DemoVendor } from './demo-types.ts';

/**
 * The demo sign-ins, one per role and scope worth showing. The BPO-side
 * accounts all belong to one story: Coralpoint's vendor manager, their QA lead,
 * the Manila trainer, a QA specialist on a Manila team and an agent on that
 * same team. All share one demo password, set by the loader, not here.
 */

export const DEMO_USER_DOMAIN = 'assay.demo';

/** The vendor, site and team the BPO-side demo users are scoped to. */
export const DEMO_STORY = { vendorKey: 'coralpoint', siteKey: 'manila' } as const;

function findPerson(people: DemoPerson[], key: string): DemoPerson {
  const person = people.find((p) => p.key === key);
  if (!person) throw new Error(`Demo person ${key} is missing`);
  return person;
}

export function buildUsers(seed: number, today: string, vendors: DemoVendor[], teams: DemoTeam[], people: DemoPerson[]): DemoUser[] {
  const users: DemoUser[] = [];
  const add = (
    alias: string,
    role: DemoUserRole,
    kind: DemoScopeKind,
    refKey: string | null,
    person: DemoPerson | null,
    displayName?: string,
  ): void => {
    users.push({
      id: demoUuid(seed, `user:${alias}`),
      key: alias,
      email: `${alias}@${DEMO_USER_DOMAIN}`,
      displayName: displayName ?? person?.fullName ?? alias,
      role,
      scope: { kind, refKey },
      personKey: person?.key ?? null,
    });
  };

  add('admin', 'admin', 'all', null, null, 'Demo Administrator');
  add('quality.manager', 'quality_manager', 'all', null, findPerson(people, KEY_PEOPLE.qualityManager));
  add('qa.lead', 'qa_lead', 'all', null, findPerson(people, KEY_PEOPLE.internalQaLead));
  add('policy.sme', 'policy_sme', 'all', null, findPerson(people, KEY_PEOPLE.policySme));
  add('analyst', 'analyst', 'all', null, findPerson(people, KEY_PEOPLE.analyst));

  for (const vendor of vendors.filter((v) => !v.isInHouse)) {
    add(`vm.${vendor.key}`, 'vendor_manager', 'vendor', vendor.key, findPerson(people, `${vendor.key}.manager`));
  }

  const { vendorKey, siteKey } = DEMO_STORY;
  add(`qa.lead.${vendorKey}`, 'qa_lead', 'vendor', vendorKey, findPerson(people, `${vendorKey}.qa_lead`));
  add(`trainer.${siteKey}`, 'trainer', 'site', siteKey, findPerson(people, `${siteKey}.trainer.1`));

  const qa = findPerson(people, `${siteKey}.qa.01`);
  const team = teams.find((t) => t.key === qa.teamKey);
  if (!team) throw new Error(`Demo QA specialist ${qa.key} has no team`);
  // Site scope: a QA specialist reviews the whole site's work, never their own team's (the queue's rule).
  add('qa.specialist', 'qa_specialist', 'site', siteKey, qa);

  // An agent out of nesting, with enough history for reviews and training: the
  // first active one on the QA specialist's team with 4 to 24 months' tenure.
  const teamAgents = people.filter((p) => p.teamKey === team.key && p.jobRole === 'agent' && p.status === 'active');
  const agent =
    teamAgents.find((p) => {
      const tenure = daysBetween(p.hireDate, today);
      return tenure >= 120 && tenure <= 730;
    }) ?? teamAgents[0];
  if (!agent) throw new Error(`No active agent on ${team.key}`);
  add('agent', 'agent', 'self', agent.key, agent);

  return users;
}
