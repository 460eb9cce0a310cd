import { emailLocalPart, siteNames, type GeneratedName } from './demo-names.ts';
import { SITE_SPECS, vendorSpec, type PlannedTeam, type SiteSpec } from './demo-org.ts';
import { chance, daysBefore, demoRng, demoUuid, exponential, int, mondayOnOrBefore, pick, type Rng } from './demo-random.ts';
import type { DemoJobRole, DemoPerson, DemoPersonStatus } from './demo-types.ts';

/**
 * People: ~410 agents in teams of 10-20, and the quality and training staff
 * around them. Conventions:
 * - agents and QA specialists have a team (a QA specialist's team is the one
 *   whose work they mainly review); trainers, QA leads, managers, policy SMEs
 *   and analysts have none and belong to a site;
 * - BPO agents are hired in classes that start on Mondays; every site has a
 *   class in nesting (30-55 days ago), Manila and Hyderabad also one still in
 *   classroom training (8-20 days ago);
 * - tenure is long-tailed (BPO median ~10 months, in-house ~2 years), bounded
 *   by the site's opening; ~8% of BPO agents (4% in-house) have left and are
 *   inactive, ~2.5% are on leave; employee numbers grow with hire date.
 */

/** Where each vendor's manager and QA lead sit. */
const VENDOR_LEADS: Record<string, { manager: string; qaLead: string }> = {
  inhouse: { manager: 'dublin', qaLead: 'dublin' },
  coralpoint: { manager: 'manila', qaLead: 'manila' },
  vayuteq: { manager: 'hyderabad', qaLead: 'hyderabad' },
  tidewell: { manager: 'lisbon', qaLead: 'nairobi' },
};

/** Well-known people other generators (users, stories) refer to. */
export const KEY_PEOPLE = {
  qualityManager: 'inhouse.quality_manager',
  internalQaLead: 'inhouse.qa_lead',
  policySme: 'inhouse.policy_sme.1',
  analyst: 'inhouse.analyst',
} as const;

interface Draft {
  key: string;
  siteKey: string;
  vendorKey: string;
  teamKey: string | null;
  jobRole: DemoJobRole;
  hireDate: string;
  name: GeneratedName;
  workflowKeys: string[];
  status: DemoPersonStatus;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function siteSpec(key: string): SiteSpec {
  const spec = SITE_SPECS.find((site) => site.key === key);
  if (!spec) throw new Error(`Unknown site ${key}`);
  return spec;
}

/** A hire date `min..max` days ago (never before the site opened), snapped to a Monday. */
function hireBetween(rng: Rng, today: string, site: SiteSpec, min: number, max: number): string {
  const cap = site.openedDaysAgo - 7;
  const hi = Math.max(Math.min(max, cap), Math.min(min, cap));
  return mondayOnOrBefore(daysBefore(today, int(rng, Math.min(min, hi), hi)));
}

/** Tenure of an established agent: long-tailed, at least past nesting. */
function agentHireDate(rng: Rng, today: string, site: SiteSpec, inHouse: boolean): string {
  const floor = inHouse ? 75 : 90;
  const cap = site.openedDaysAgo - 7;
  let days = floor + exponential(rng, inHouse ? 850 : 430);
  if (days > cap) days = int(rng, floor, cap);
  return mondayOnOrBefore(daysBefore(today, days));
}

function agentStatus(rng: Rng, inHouse: boolean, newHire: boolean): DemoPersonStatus {
  if (newHire) return chance(rng, 0.08) ? 'inactive' : 'active';
  const u = rng.number.float({ min: 0, max: 1 });
  if (u < (inHouse ? 0.04 : 0.08)) return 'inactive';
  if (u < (inHouse ? 0.065 : 0.105)) return 'on_leave';
  return 'active';
}

function buildSite(seed: number, today: string, site: SiteSpec, teams: PlannedTeam[]): Draft[] {
  const vendor = vendorSpec(site.vendorKey);
  const rng = demoRng(seed, `people:${site.key}`);
  const names = siteNames(seed, site.key, 'people');
  const siteWorkflows = [...new Set(teams.map((t) => t.team.workflowKey))];
  const drafts: Draft[] = [];
  const staff = (key: string, jobRole: DemoJobRole, teamKey: string | null, minDays: number, maxDays: number, workflowKeys: string[]): void => {
    drafts.push({
      key,
      siteKey: site.key,
      vendorKey: vendor.key,
      teamKey,
      jobRole,
      hireDate: hireBetween(rng, today, site, minDays, maxDays),
      name: names(),
      workflowKeys,
      status: 'active',
    });
  };

  // Leads and managers, at the sites where they sit.
  for (const [vendorKey, at] of Object.entries(VENDOR_LEADS)) {
    if (vendorKey !== vendor.key) continue;
    if (at.manager === site.key) staff(`${vendorKey}.manager`, 'manager', null, 1200, 2600, ['video_moderation', 'comment_moderation', 'user_support']);
    if (at.qaLead === site.key) staff(`${vendorKey}.qa_lead`, 'qa_lead', null, 1110, 2200, ['video_moderation', 'comment_moderation', 'user_support']);
  }
  if (site.key === 'dublin') {
    staff(KEY_PEOPLE.qualityManager, 'manager', null, 1500, 2700, ['video_moderation', 'comment_moderation', 'user_support']);
    staff('inhouse.policy_sme.1', 'policy_sme', null, 900, 2400, ['video_moderation', 'comment_moderation']);
    staff('inhouse.policy_sme.2', 'policy_sme', null, 600, 2000, ['video_moderation', 'comment_moderation', 'user_support']);
    staff(KEY_PEOPLE.analyst, 'analyst', null, 300, 1400, ['video_moderation', 'comment_moderation', 'user_support']);
  }
  if (site.key === 'austin') staff('inhouse.policy_sme.3', 'policy_sme', null, 700, 1700, ['video_moderation', 'user_support']);

  for (let i = 0; i < site.trainers; i++) {
    staff(`${site.key}.trainer.${i + 1}`, 'trainer', null, 500, 2000, [...siteWorkflows]);
  }
  for (let i = 0; i < site.qaSpecialists; i++) {
    const team = teams[i % teams.length]!.team;
    const skills = [team.workflowKey];
    const other = siteWorkflows.filter((w) => w !== team.workflowKey);
    if (other.length > 0 && chance(rng, 0.4)) skills.push(pick(rng, other));
    staff(`${site.key}.qa.${pad(i + 1, 2)}`, 'qa_specialist', team.key, 420, 1800, skills);
  }

  // New-hire classes: each joins one team (nesting); distinct teams per class.
  const classByTeam = new Map<number, { hireDate: string; size: number }>();
  for (const cls of site.newHireClasses) {
    const free = teams.map((_, index) => index).filter((index) => !classByTeam.has(index));
    const teamIndex = pick(rng, free);
    const start = mondayOnOrBefore(daysBefore(today, int(rng, cls.daysAgo[0], cls.daysAgo[1])));
    classByTeam.set(teamIndex, { hireDate: start, size: int(rng, cls.size[0], cls.size[1]) });
  }

  let agentNo = 0;
  teams.forEach(({ team, agentCount }, teamIndex) => {
    const cls = classByTeam.get(teamIndex);
    for (let i = 0; i < agentCount; i++) {
      const newHire = cls !== undefined && i < Math.min(cls.size, agentCount - 4);
      const hireDate = newHire ? cls.hireDate : agentHireDate(rng, today, site, vendor.isInHouse);
      const skills = [team.workflowKey];
      const other = siteWorkflows.filter((w) => w !== team.workflowKey);
      const crossSkill = team.workflowKey === 'user_support' ? 0.06 : 0.15;
      if (!newHire && other.length > 0 && chance(rng, crossSkill)) {
        const moderation = other.filter((w) => w !== 'user_support');
        skills.push(pick(rng, moderation.length > 0 ? moderation : other));
      }
      drafts.push({
        key: `${site.key}.agent.${pad(++agentNo, 3)}`,
        siteKey: site.key,
        vendorKey: vendor.key,
        teamKey: team.key,
        jobRole: 'agent',
        hireDate,
        name: names(),
        workflowKeys: skills,
        status: agentStatus(rng, vendor.isInHouse, newHire),
      });
    }
  });
  return drafts;
}

/** Employee numbers: per vendor, increasing with hire date, e.g. 'CPS-004213'. */
function employeeRefs(seed: number, drafts: Draft[]): Map<string, string> {
  const refs = new Map<string, string>();
  const vendorKeys = [...new Set(drafts.map((d) => d.vendorKey))];
  for (const vendorKey of vendorKeys) {
    const vendor = vendorSpec(vendorKey);
    const rng = demoRng(seed, `employee_refs:${vendorKey}`);
    const ordered = drafts
      .filter((d) => d.vendorKey === vendorKey)
      .sort((a, b) => (a.hireDate === b.hireDate ? (a.key < b.key ? -1 : 1) : a.hireDate < b.hireDate ? -1 : 1));
    let next = int(rng, 1200, 4800);
    for (const draft of ordered) {
      next += int(rng, 1, 29);
      refs.set(draft.key, `${vendor.code}-${pad(next, 6)}`);
    }
  }
  return refs;
}

export function buildPeople(seed: number, today: string, plannedTeams: PlannedTeam[]): DemoPerson[] {
  const drafts: Draft[] = [];
  for (const site of SITE_SPECS) {
    const teams = plannedTeams.filter((t) => t.team.siteKey === site.key);
    drafts.push(...buildSite(seed, today, siteSpec(site.key), teams));
  }
  const refs = employeeRefs(seed, drafts);
  const usedEmails = new Set<string>();
  return drafts.map((draft) => {
    const domain = vendorSpec(draft.vendorKey).domain;
    const local = emailLocalPart(draft.name.given, draft.name.emailFamily);
    let email = `${local}@${domain}`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${domain}`;
    usedEmails.add(email);
    return {
      id: demoUuid(seed, `person:${draft.key}`),
      key: draft.key,
      siteKey: draft.siteKey,
      teamKey: draft.teamKey,
      fullName: draft.name.fullName,
      email,
      employeeRef: refs.get(draft.key)!,
      jobRole: draft.jobRole,
      hireDate: draft.hireDate,
      languages: draft.name.languages,
      workflowKeys: draft.workflowKeys,
      status: draft.status,
    };
  });
}
