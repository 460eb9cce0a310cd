import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoUuid, generateDemoData, type DemoData, type DemoPerson } from '../../src/demo/demo-data.ts';

const TODAY = '2025-06-15';
const data: DemoData = generateDemoData({ seed: 42, today: TODAY });

const DAY_MS = 86_400_000;
const daysAgo = (day: string): number => Math.round((Date.parse(`${TODAY}T00:00:00Z`) - Date.parse(day)) / DAY_MS);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const byKey = <T extends { key: string }>(rows: T[]): Map<string, T> => new Map(rows.map((row) => [row.key, row]));
const vendors = byKey(data.vendors);
const sites = byKey(data.sites);
const teams = byKey(data.teams);
const people = byKey(data.people);
const workflows = byKey(data.workflows);
const policies = byKey(data.policies);
const actions = byKey(data.actions);
const vendorOf = (person: DemoPerson): string => sites.get(person.siteKey)!.vendorKey;
const agents = data.people.filter((p) => p.jobRole === 'agent');

function isValidTimeZone(zone: string): boolean {
  if (Intl.supportedValuesOf('timeZone').includes(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone }); // canonical aliases (Asia/Kolkata) are valid too
    return true;
  } catch {
    return false;
  }
}

describe('generateDemoData: determinism and purity', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives deep-equal output for the same seed and date', () => {
    expect(generateDemoData({ seed: 42, today: TODAY })).toEqual(data);
  });

  it('gives different people (and ids) for a different seed, same structure', () => {
    const other = generateDemoData({ seed: 43, today: TODAY });
    expect(other.people.map((p) => p.fullName)).not.toEqual(data.people.map((p) => p.fullName));
    expect(other.vendors[0]!.id).not.toBe(data.vendors[0]!.id);
    expect(other.policies.map((p) => p.key)).toEqual(data.policies.map((p) => p.key));
    expect(other.users.map((u) => u.email)).toEqual(data.users.map((u) => u.email));
  });

  it('moves dates with the reference date', () => {
    const later = generateDemoData({ seed: 42, today: '2026-01-10' });
    expect(later.people.map((p) => p.fullName)).toEqual(data.people.map((p) => p.fullName));
    expect(later.people.every((p) => p.hireDate <= '2026-01-10')).toBe(true);
    expect(later.policies[0]!.versions[0]!.effectiveFrom).not.toBe(data.policies[0]!.versions[0]!.effectiveFrom);
  });

  it('uses neither the clock nor Math.random', () => {
    const random = vi.spyOn(Math, 'random');
    const now = vi.spyOn(Date, 'now');
    generateDemoData({ seed: 7, today: TODAY });
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
  });

  it('rejects a malformed reference date or seed', () => {
    expect(() => generateDemoData({ seed: 1, today: '2025-02-30' })).toThrow(RangeError);
    expect(() => generateDemoData({ seed: 1, today: '15/06/2025' })).toThrow(RangeError);
    expect(() => generateDemoData({ seed: 1.5, today: TODAY })).toThrow(RangeError);
  });

  it('demoUuid is stable, v4-shaped and key-sensitive', () => {
    expect(demoUuid(1, 'a')).toBe(demoUuid(1, 'a'));
    expect(demoUuid(1, 'a')).toMatch(UUID_V4);
    expect(demoUuid(1, 'a')).not.toBe(demoUuid(1, 'b'));
    expect(demoUuid(1, 'a')).not.toBe(demoUuid(2, 'a'));
  });
});

describe('generateDemoData: ids and keys', () => {
  const rowsWithIds = [
    ...data.workflows,
    ...data.policies,
    ...data.policies.flatMap((p) => p.versions),
    ...data.vendors,
    ...data.sites,
    ...data.teams,
    ...data.people,
    ...data.users,
  ];

  it('every id is a unique v4-shaped UUID', () => {
    for (const row of rowsWithIds) expect(row.id).toMatch(UUID_V4);
    expect(new Set(rowsWithIds.map((r) => r.id)).size).toBe(rowsWithIds.length);
  });

  it('keys are unique within each collection and match the database key rule', () => {
    for (const rows of [data.actions, data.workflows, data.policies, data.vendors, data.sites, data.teams, data.people, data.users]) {
      expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    }
    for (const row of [...data.actions, ...data.workflows, ...data.policies]) expect(row.key).toMatch(/^[a-z][a-z0-9_]{1,48}$/);
  });
});

describe('generateDemoData: catalogue', () => {
  it('has 3 workflows: 2 moderation, 1 support, each with resolvable policies', () => {
    expect(data.workflows).toHaveLength(3);
    expect(data.workflows.filter((w) => w.kind === 'moderation')).toHaveLength(2);
    expect(data.workflows.filter((w) => w.kind === 'support')).toHaveLength(1);
    for (const workflow of data.workflows) {
      expect(workflow.policyKeys.length).toBeGreaterThanOrEqual(4);
      for (const key of workflow.policyKeys) expect(policies.has(key), `${workflow.key} -> ${key}`).toBe(true);
    }
    const support = data.workflows.find((w) => w.kind === 'support')!;
    expect(support.policyKeys).toEqual(expect.arrayContaining(['spam_scams', 'impersonation', 'privacy']));
    expect(support.policyKeys).not.toContain('child_safety');
  });

  it('every policy is used by some workflow', () => {
    const used = new Set(data.workflows.flatMap((w) => w.policyKeys));
    for (const policy of data.policies) expect(used.has(policy.key), policy.key).toBe(true);
  });

  it('has a distinct action catalogue covering moderation and support', () => {
    expect(data.actions.length).toBeGreaterThanOrEqual(12);
    expect(new Set(data.actions.map((a) => a.name)).size).toBe(data.actions.length);
    for (const key of ['no_action', 'remove', 'age_restrict', 'limit_reach', 'label', 'warn_user', 'suspend_account', 'ban_account', 'escalate_ncmec', 'escalate_law_enforcement', 'reply_macro', 'refund', 'escalate_tier2', 'close_no_action']) {
      expect(actions.has(key), key).toBe(true);
    }
  });

  it('has about 12 policies with 2-5 labels per version and resolvable allowed actions', () => {
    expect(data.policies.length).toBeGreaterThanOrEqual(11);
    expect(data.policies.length).toBeLessThanOrEqual(14);
    for (const policy of data.policies) {
      policy.versions.forEach((version, index) => {
        expect(version.version).toBe(index + 1);
        expect(version.labels.length).toBeGreaterThanOrEqual(2);
        expect(version.labels.length).toBeLessThanOrEqual(5);
        expect(new Set(version.labels.map((l) => l.key)).size).toBe(version.labels.length);
        expect(version.summary.length).toBeGreaterThan(200);
        expect(version.allowedActions).toContain('no_action');
        for (const key of version.allowedActions) expect(actions.has(key), `${policy.key} v${version.version} -> ${key}`).toBe(true);
      });
    }
  });

  it('label keys are namespaced, valid and owned by exactly one policy', () => {
    const owner = new Map<string, string>();
    for (const policy of data.policies) {
      const prefixes = new Set(policy.versions.flatMap((v) => v.labels.map((l) => l.key.split('.')[0])));
      expect(prefixes.size, policy.key).toBe(1);
      for (const label of policy.versions.flatMap((v) => v.labels)) {
        expect(label.key).toMatch(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/);
        expect(owner.get(label.key) ?? policy.key, label.key).toBe(policy.key);
        owner.set(label.key, policy.key);
      }
    }
    expect(owner.get('child_safety.csam')).toBe('child_safety');
  });

  it('keeps severities sensible: CSAM and credible threats are critical, critical is rare', () => {
    const labels = data.policies.flatMap((p) => p.versions.at(-1)!.labels);
    const severity = new Map(labels.map((l) => [l.key, l.severity]));
    expect(severity.get('child_safety.csam')).toBe('critical');
    expect(severity.get('harassment.credible_threat')).toBe('critical');
    expect(severity.get('self_harm.recovery_context')).toBe('low');
    expect(labels.filter((l) => l.severity === 'critical').length).toBeLessThanOrEqual(labels.length / 4);
    for (const level of ['critical', 'high', 'medium', 'low'] as const) expect(labels.some((l) => l.severity === level)).toBe(true);
  });

  it('versions policies: v1 long ago for all, at least 4 revised within the last 90 days', () => {
    for (const policy of data.policies) {
      const froms = policy.versions.map((v) => v.effectiveFrom);
      for (const from of froms) {
        expect(from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(Date.parse(from)).toBeLessThanOrEqual(Date.parse(`${TODAY}T00:00:00Z`));
      }
      expect(daysAgo(froms[0]!)).toBeGreaterThanOrEqual(365);
      expect([...froms].sort()).toEqual(froms);
    }
    const revised = data.policies.filter((p) => p.versions.length === 2);
    expect(revised.length).toBeGreaterThanOrEqual(4);
    for (const policy of revised) {
      const [v1, v2] = policy.versions as [(typeof policy.versions)[0], (typeof policy.versions)[0]];
      expect(daysAgo(v2.effectiveFrom)).toBeGreaterThan(0);
      expect(daysAgo(v2.effectiveFrom)).toBeLessThanOrEqual(90);
      expect(v2.summary).toMatch(/Changed in v2/);
      const changed =
        v2.labels.length !== v1.labels.length ||
        v2.labels.some((l) => v1.labels.find((o) => o.key === l.key)?.severity !== l.severity) ||
        v2.allowedActions.join() !== v1.allowedActions.join();
      expect(changed, policy.key).toBe(true);
    }
    expect(data.policies.every((p) => p.versions.length <= 2)).toBe(true);
  });
});

describe('generateDemoData: organisation', () => {
  it('has 4 vendors, exactly one in-house, with unique codes', () => {
    expect(data.vendors).toHaveLength(4);
    expect(data.vendors.filter((v) => v.isInHouse)).toHaveLength(1);
    expect(new Set(data.vendors.map((v) => v.code)).size).toBe(4);
    for (const vendor of data.vendors) expect(vendor.code).toMatch(/^[A-Z0-9]{2,12}$/);
  });

  it('has >= 6 sites over >= 4 valid time zones, 1-3 per vendor', () => {
    expect(data.sites.length).toBeGreaterThanOrEqual(6);
    expect(new Set(data.sites.map((s) => s.timeZone)).size).toBeGreaterThanOrEqual(4);
    const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    for (const site of data.sites) {
      expect(isValidTimeZone(site.timeZone), site.timeZone).toBe(true);
      expect(vendors.has(site.vendorKey)).toBe(true);
      expect(site.countryCode).toMatch(/^[A-Z]{2}$/);
      expect(regions.of(site.countryCode)).toBeDefined();
    }
    for (const vendor of data.vendors) {
      const count = data.sites.filter((s) => s.vendorKey === vendor.key).length;
      expect(count, vendor.key).toBeGreaterThanOrEqual(1);
      expect(count, vendor.key).toBeLessThanOrEqual(3);
    }
    expect(new Set(data.sites.map((s) => `${s.vendorKey}/${s.name.toLowerCase()}`)).size).toBe(data.sites.length);
  });

  it('teams resolve to a site and a workflow, have unique names per site and 8-20 agents', () => {
    for (const team of data.teams) {
      expect(sites.has(team.siteKey)).toBe(true);
      expect(workflows.has(team.workflowKey)).toBe(true);
      const size = agents.filter((p) => p.teamKey === team.key).length;
      expect(size, team.key).toBeGreaterThanOrEqual(8);
      expect(size, team.key).toBeLessThanOrEqual(20);
    }
    expect(new Set(data.teams.map((t) => `${t.siteKey}/${t.name.toLowerCase()}`)).size).toBe(data.teams.length);
    for (const site of data.sites) expect(data.teams.some((t) => t.siteKey === site.key), site.key).toBe(true);
  });
});

describe('generateDemoData: people', () => {
  it('has 350-450 agents spread over every vendor', () => {
    expect(agents.length).toBeGreaterThanOrEqual(350);
    expect(agents.length).toBeLessThanOrEqual(450);
    for (const vendor of data.vendors) expect(agents.some((p) => vendorOf(p) === vendor.key), vendor.key).toBe(true);
  });

  it('every vendor has QA specialists (about 1 per 15-20 agents), a QA lead, trainers and a manager', () => {
    for (const vendor of data.vendors) {
      const staff = data.people.filter((p) => vendorOf(p) === vendor.key);
      const count = (role: DemoPerson['jobRole']): number => staff.filter((p) => p.jobRole === role).length;
      const vendorAgents = count('agent');
      expect(count('qa_specialist'), vendor.key).toBeGreaterThanOrEqual(Math.floor(vendorAgents / 20));
      expect(count('qa_lead'), vendor.key).toBe(1);
      expect(count('trainer'), vendor.key).toBeGreaterThanOrEqual(1);
      expect(count('manager'), vendor.key).toBeGreaterThanOrEqual(1);
    }
    const inHouse = data.people.filter((p) => vendors.get(vendorOf(p))!.isInHouse);
    expect(inHouse.filter((p) => p.jobRole === 'policy_sme').length).toBeGreaterThanOrEqual(2);
    expect(inHouse.filter((p) => p.jobRole === 'analyst').length).toBeGreaterThanOrEqual(1);
    expect(data.people.filter((p) => p.jobRole === 'policy_sme' || p.jobRole === 'analyst').every((p) => vendors.get(vendorOf(p))!.isInHouse)).toBe(true);
  });

  it('references resolve and teams are on the person\'s own site', () => {
    for (const person of data.people) {
      expect(sites.has(person.siteKey), person.key).toBe(true);
      if (person.teamKey !== null) {
        const team = teams.get(person.teamKey);
        expect(team, person.key).toBeDefined();
        expect(team!.siteKey, person.key).toBe(person.siteKey);
        expect(person.workflowKeys, person.key).toContain(team!.workflowKey);
      }
      expect(person.workflowKeys.length).toBeGreaterThanOrEqual(1);
      expect(new Set(person.workflowKeys).size).toBe(person.workflowKeys.length);
      for (const key of person.workflowKeys) expect(workflows.has(key), `${person.key} -> ${key}`).toBe(true);
    }
  });

  it('puts agents and QA specialists on teams, everyone else on a site only', () => {
    for (const person of data.people) {
      const onTeam = person.jobRole === 'agent' || person.jobRole === 'qa_specialist';
      expect(person.teamKey !== null, `${person.key} (${person.jobRole})`).toBe(onTeam);
    }
  });

  it('has unique e-mails on the vendor domain and unique employee refs per vendor', () => {
    expect(new Set(data.people.map((p) => p.email.toLowerCase())).size).toBe(data.people.length);
    for (const person of data.people) expect(person.email).toMatch(/^[a-z]+\.[a-z]+\d*@[a-z0-9-]+\.example$/);
    for (const vendor of data.vendors) {
      const staff = data.people.filter((p) => vendorOf(p) === vendor.key);
      expect(new Set(staff.map((p) => p.email.split('@')[1])).size, vendor.key).toBe(1);
      expect(new Set(staff.map((p) => p.employeeRef)).size, vendor.key).toBe(staff.length);
      for (const person of staff) expect(person.employeeRef).toMatch(new RegExp(`^${vendor.code}-\\d{6}$`));
    }
  });

  it('has valid BCP 47 languages that fit the site', () => {
    for (const person of data.people) {
      expect(person.languages.length).toBeGreaterThanOrEqual(1);
      for (const tag of person.languages) expect(Intl.getCanonicalLocales(tag)[0], tag).toBe(tag);
    }
    const speaks = (siteKey: string, tag: string): number => {
      const here = data.people.filter((p) => p.siteKey === siteKey);
      return here.filter((p) => p.languages.includes(tag)).length / here.length;
    };
    expect(speaks('manila', 'fil')).toBe(1); // Intl canonicalises 'tl' to 'fil'
    expect(speaks('cebu', 'ceb')).toBe(1);
    expect(speaks('nairobi', 'sw')).toBe(1);
    expect(speaks('bogota', 'es')).toBe(1);
    expect(speaks('lisbon', 'pt-PT') + speaks('lisbon', 'pt-BR')).toBe(1);
    expect(speaks('hyderabad', 'te')).toBeGreaterThan(0.5);
    expect(speaks('dublin', 'en')).toBe(1);
  });

  it('has hire dates not after today, after the site opened, and a real tenure spread', () => {
    for (const person of data.people) {
      expect(person.hireDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(person.hireDate <= TODAY, person.key).toBe(true);
    }
    const tenure = agents.map((p) => daysAgo(p.hireDate));
    const nesting = tenure.filter((d) => d < 60).length;
    expect(nesting).toBeGreaterThanOrEqual(15);
    expect(nesting / agents.length).toBeLessThan(0.2);
    expect(tenure.filter((d) => d > 3 * 365).length).toBeGreaterThanOrEqual(10);
    expect(tenure.filter((d) => d >= 180 && d <= 730).length).toBeGreaterThan(agents.length / 4);
    // New hires come in classes: several agents per site share a start date.
    for (const site of data.sites.filter((s) => !vendors.get(s.vendorKey)!.isInHouse)) {
      const starts = agents.filter((p) => p.siteKey === site.key && daysAgo(p.hireDate) < 60).map((p) => p.hireDate);
      const largest = Math.max(...[...new Set(starts)].map((d) => starts.filter((s) => s === d).length));
      expect(largest, site.key).toBeGreaterThanOrEqual(3);
    }
    // Leads and managers are veterans.
    for (const person of data.people.filter((p) => p.jobRole === 'qa_lead' || p.jobRole === 'manager')) {
      expect(daysAgo(person.hireDate), person.key).toBeGreaterThan(3 * 365);
    }
  });

  it('has a few people on leave and some attrition, staff all active', () => {
    const onLeave = agents.filter((p) => p.status === 'on_leave').length;
    const inactive = agents.filter((p) => p.status === 'inactive').length;
    expect(onLeave).toBeGreaterThanOrEqual(1);
    expect(onLeave / agents.length).toBeLessThan(0.06);
    expect(inactive).toBeGreaterThanOrEqual(5);
    expect(inactive / agents.length).toBeLessThan(0.15);
    expect(agents.filter((p) => p.status === 'active').length / agents.length).toBeGreaterThan(0.85);
  });

  it('keeps the structure (agent counts, class sizes, statuses) stable across seeds', () => {
    for (const seed of [1, 2, 3, 99, 2024]) {
      const other = generateDemoData({ seed, today: TODAY });
      const count = other.people.filter((p) => p.jobRole === 'agent').length;
      expect(count, `seed ${seed}`).toBeGreaterThanOrEqual(350);
      expect(count, `seed ${seed}`).toBeLessThanOrEqual(450);
      expect(new Set(other.people.map((p) => p.email)).size).toBe(other.people.length);
      expect(other.users).toHaveLength(data.users.length);
    }
  });
});

describe('generateDemoData: users', () => {
  const users = byKey(data.users);

  it('has unique @assay.demo e-mails and one account per role worth showing', () => {
    expect(new Set(data.users.map((u) => u.email.toLowerCase())).size).toBe(data.users.length);
    for (const user of data.users) expect(user.email).toMatch(/^[a-z0-9.]+@assay\.demo$/);
    const roles = new Set(data.users.map((u) => u.role));
    for (const role of ['admin', 'quality_manager', 'qa_lead', 'qa_specialist', 'trainer', 'vendor_manager', 'agent', 'policy_sme', 'analyst']) {
      expect(roles.has(role as never), role).toBe(true);
    }
    expect(users.get('admin')).toMatchObject({ email: 'admin@assay.demo', role: 'admin', scope: { kind: 'all', refKey: null }, personKey: null });
    const bpoVendors = data.vendors.filter((v) => !v.isInHouse).map((v) => v.key);
    const vendorManagers = data.users.filter((u) => u.role === 'vendor_manager');
    expect(vendorManagers.map((u) => u.scope.refKey).sort()).toEqual([...bpoVendors].sort());
  });

  it('every scope kind matches the type of its refKey', () => {
    for (const user of data.users) {
      const { kind, refKey } = user.scope;
      if (kind === 'all') expect(refKey, user.email).toBeNull();
      else expect(refKey, user.email).not.toBeNull();
      if (kind === 'vendor') expect(vendors.has(refKey!), user.email).toBe(true);
      if (kind === 'site') expect(sites.has(refKey!), user.email).toBe(true);
      if (kind === 'team') expect(teams.has(refKey!), user.email).toBe(true);
      if (kind === 'self') {
        expect(people.has(refKey!), user.email).toBe(true);
        expect(user.personKey).toBe(refKey);
      }
      if (user.role === 'admin') expect(kind).toBe('all');
    }
  });

  it('links users to active people whose role and place fit their scope', () => {
    const fits: Record<string, string[]> = {
      quality_manager: ['manager'],
      vendor_manager: ['manager'],
      qa_lead: ['qa_lead'],
      qa_specialist: ['qa_specialist'],
      trainer: ['trainer'],
      agent: ['agent'],
      policy_sme: ['policy_sme'],
      analyst: ['analyst'],
    };
    for (const user of data.users.filter((u) => u.personKey !== null)) {
      const person = people.get(user.personKey!)!;
      expect(person, user.email).toBeDefined();
      expect(person.status, user.email).toBe('active');
      expect(fits[user.role], user.email).toContain(person.jobRole);
      expect(user.displayName).toBe(person.fullName);
      const { kind, refKey } = user.scope;
      if (kind === 'vendor') expect(vendorOf(person), user.email).toBe(refKey);
      if (kind === 'site') expect(person.siteKey, user.email).toBe(refKey);
      if (kind === 'team') expect(person.teamKey, user.email).toBe(refKey);
      if (kind === 'all') expect(vendors.get(vendorOf(person))!.isInHouse, user.email).toBe(true);
    }
    expect(data.users.filter((u) => u.role !== 'admin').every((u) => u.personKey !== null)).toBe(true);
  });

  it('tells one BPO story: the demo agent is on the demo QA specialist\'s team, out of nesting', () => {
    const qa = data.users.find((u) => u.role === 'qa_specialist')!;
    const agent = data.users.find((u) => u.role === 'agent')!;
    const agentPerson = people.get(agent.personKey!)!;
    expect(agentPerson.teamKey).toBe(people.get(qa.personKey!)!.teamKey);
    expect(daysAgo(agentPerson.hireDate)).toBeGreaterThanOrEqual(90);
    const trainer = data.users.find((u) => u.role === 'trainer')!;
    // The QA specialist sees their whole site (reviewing other teams' work), the trainer's site.
    expect(qa.scope).toEqual({ kind: 'site', refKey: trainer.scope.refKey });
    const vendorQaLead = data.users.find((u) => u.role === 'qa_lead' && u.scope.kind === 'vendor')!;
    expect(sites.get(trainer.scope.refKey!)!.vendorKey).toBe(vendorQaLead.scope.refKey);
  });
});
