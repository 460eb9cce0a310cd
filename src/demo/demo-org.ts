import { teamPrefixOf } from './demo-catalogue.ts';
import { demoRng, demoUuid, int } from './demo-random.ts';
import type { DemoSite, DemoTeam, DemoVendor } from './demo-types.ts';

/**
 * The organisation: the in-house T&S team and three fictional BPO vendors,
 * their sites and teams. Team sizes vary a little with the seed (±1 agent).
 */

export interface VendorSpec {
  key: string;
  name: string;
  code: string;
  isInHouse: boolean;
  /** People's e-mail domain. */
  domain: string;
}

export const VENDOR_SPECS: readonly VendorSpec[] = [
  { key: 'inhouse', name: 'In-house Trust & Safety', code: 'INH', isInHouse: true, domain: 'inhouse.example' },
  { key: 'coralpoint', name: 'Coralpoint Support Services', code: 'CPS', isInHouse: false, domain: 'coralpoint.example' },
  { key: 'vayuteq', name: 'Vayuteq Global Services', code: 'VYT', isInHouse: false, domain: 'vayuteq.example' },
  { key: 'tidewell', name: 'Tidewell CX Partners', code: 'TDW', isInHouse: false, domain: 'tidewell.example' },
];

export interface TeamPlan {
  workflowKey: string;
  /** Agents on the team before the ±1 jitter. */
  agents: number;
}

export interface SiteSpec {
  key: string;
  vendorKey: string;
  name: string;
  countryCode: string;
  timeZone: string;
  /** The site opened this many days before `today`: nobody there was hired earlier. */
  openedDaysAgo: number;
  teams: TeamPlan[];
  /** Agents recruited in classes start on Mondays (BPOs); in-house hires on any Monday too. */
  newHireClasses: { daysAgo: [number, number]; size: [number, number] }[];
  /** QA specialists per site. */
  qaSpecialists: number;
  trainers: number;
}

const v = (agents: number): TeamPlan => ({ workflowKey: 'video_moderation', agents });
const c = (agents: number): TeamPlan => ({ workflowKey: 'comment_moderation', agents });
const s = (agents: number): TeamPlan => ({ workflowKey: 'user_support', agents });

export const SITE_SPECS: readonly SiteSpec[] = [
  {
    key: 'dublin',
    vendorKey: 'inhouse',
    name: 'Dublin',
    countryCode: 'IE',
    timeZone: 'Europe/Dublin',
    openedDaysAgo: 2900,
    teams: [v(14), c(12), s(12)],
    newHireClasses: [{ daysAgo: [32, 50], size: [2, 3] }],
    qaSpecialists: 4,
    trainers: 2,
  },
  {
    key: 'austin',
    vendorKey: 'inhouse',
    name: 'Austin',
    countryCode: 'US',
    timeZone: 'America/Chicago',
    openedDaysAgo: 1850,
    teams: [v(14), s(12)],
    newHireClasses: [{ daysAgo: [36, 52], size: [1, 2] }],
    qaSpecialists: 2,
    trainers: 1,
  },
  {
    key: 'manila',
    vendorKey: 'coralpoint',
    name: 'Manila (Ortigas)',
    countryCode: 'PH',
    timeZone: 'Asia/Manila',
    openedDaysAgo: 2200,
    teams: [v(18), v(15), c(17), c(14), s(16)],
    newHireClasses: [
      { daysAgo: [30, 45], size: [5, 7] },
      { daysAgo: [8, 18], size: [4, 6] },
    ],
    qaSpecialists: 5,
    trainers: 2,
  },
  {
    key: 'cebu',
    vendorKey: 'coralpoint',
    name: 'Cebu IT Park',
    countryCode: 'PH',
    timeZone: 'Asia/Manila',
    openedDaysAgo: 1280,
    teams: [v(16), c(14), s(17), s(13)],
    newHireClasses: [{ daysAgo: [38, 55], size: [4, 6] }],
    qaSpecialists: 4,
    trainers: 1,
  },
  {
    key: 'hyderabad',
    vendorKey: 'vayuteq',
    name: 'Hyderabad (HITEC City)',
    countryCode: 'IN',
    timeZone: 'Asia/Kolkata',
    openedDaysAgo: 1830,
    teams: [v(18), v(16), v(14), c(16), c(13), s(12)],
    newHireClasses: [
      { daysAgo: [28, 42], size: [5, 7] },
      { daysAgo: [10, 20], size: [4, 6] },
    ],
    qaSpecialists: 5,
    trainers: 2,
  },
  {
    key: 'nairobi',
    vendorKey: 'tidewell',
    name: 'Nairobi (Westlands)',
    countryCode: 'KE',
    timeZone: 'Africa/Nairobi',
    openedDaysAgo: 1460,
    teams: [v(16), v(13), c(15)],
    newHireClasses: [{ daysAgo: [30, 48], size: [4, 6] }],
    qaSpecialists: 3,
    trainers: 1,
  },
  {
    key: 'lisbon',
    vendorKey: 'tidewell',
    name: 'Lisbon (Parque das Nações)',
    countryCode: 'PT',
    timeZone: 'Europe/Lisbon',
    openedDaysAgo: 1200,
    teams: [v(12), c(11), s(12)],
    newHireClasses: [{ daysAgo: [35, 55], size: [3, 4] }],
    qaSpecialists: 2,
    trainers: 1,
  },
  {
    key: 'bogota',
    vendorKey: 'tidewell',
    name: 'Bogotá',
    countryCode: 'CO',
    timeZone: 'America/Bogota',
    openedDaysAgo: 930,
    teams: [v(14), c(12), s(12)],
    newHireClasses: [{ daysAgo: [30, 45], size: [3, 5] }],
    qaSpecialists: 2,
    trainers: 1,
  },
];

const TEAM_NAMES = [
  'Aurora', 'Beacon', 'Cascade', 'Delta', 'Ember', 'Falcon', 'Granite', 'Harbor', 'Indigo', 'Juniper',
  'Kestrel', 'Lumen', 'Meridian', 'Nova', 'Orion', 'Pinnacle', 'Quartz', 'Raven', 'Sierra', 'Tundra',
  'Vega', 'Willow', 'Zephyr', 'Atlas', 'Borealis', 'Comet', 'Echo', 'Flint', 'Glacier', 'Helix',
  'Iris', 'Jade', 'Kodiak', 'Lotus', 'Monsoon', 'Nimbus',
] as const;

const WORKFLOW_SHORT: Record<string, string> = {
  video_moderation: 'video',
  comment_moderation: 'comments',
  user_support: 'support',
};

/** A team with its planned agent headcount (after jitter). */
export interface PlannedTeam {
  team: DemoTeam;
  agentCount: number;
}

export function buildVendors(seed: number): DemoVendor[] {
  return VENDOR_SPECS.map((spec) => ({
    id: demoUuid(seed, `vendor:${spec.key}`),
    key: spec.key,
    name: spec.name,
    code: spec.code,
    isInHouse: spec.isInHouse,
  }));
}

export function buildSites(seed: number): DemoSite[] {
  return SITE_SPECS.map((spec) => ({
    id: demoUuid(seed, `site:${spec.key}`),
    key: spec.key,
    vendorKey: spec.vendorKey,
    name: spec.name,
    countryCode: spec.countryCode,
    timeZone: spec.timeZone,
  }));
}

/** Teams in site order; names are unique across the whole organisation. */
export function planTeams(seed: number): PlannedTeam[] {
  const out: PlannedTeam[] = [];
  let nameIndex = 0;
  for (const site of SITE_SPECS) {
    const rng = demoRng(seed, `teams:${site.key}`);
    for (const plan of site.teams) {
      const teamName = TEAM_NAMES[nameIndex++ % TEAM_NAMES.length]!;
      const key = `${site.key}_${WORKFLOW_SHORT[plan.workflowKey] ?? plan.workflowKey}_${teamName.toLowerCase()}`;
      out.push({
        team: {
          id: demoUuid(seed, `team:${key}`),
          key,
          siteKey: site.key,
          name: `${teamPrefixOf(plan.workflowKey)} – Team ${teamName}`,
          workflowKey: plan.workflowKey,
        },
        agentCount: plan.agents + int(rng, -1, 1),
      });
    }
  }
  return out;
}

export function vendorSpec(key: string): VendorSpec {
  const spec = VENDOR_SPECS.find((vendor) => vendor.key === key);
  if (!spec) throw new Error(`Unknown vendor ${key}`);
  return spec;
}
