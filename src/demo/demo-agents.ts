import { Draw } from './demo-draw.ts';
import { CLASSROOM_DAYS, DEMO_DECISION_STORY, WINDOW_DAYS, WORKFLOW_MODELS, dayNumber, weightTable, type OutlierKind, type WeightTable, type WorkflowKey } from './demo-decision-model.ts';
import { daysBetween } from './demo-random.ts';
import type { DemoData, DemoPerson } from './demo-types.ts';

const DAY_MS = 86_400_000;

/**
 * The people side of the latent model: sites (shifts, time zones, the
 * languages of the markets they serve) and agent profiles (skill, speed,
 * schedule, leave, outliers). Pure and deterministic: one seeded stream per
 * agent, keyed by the person, so adding people reshuffles no one else.
 */

export interface SiteModel {
  key: string;
  vendorKey: string;
  timeZone: string;
  inHouse: boolean;
  /** Shift starts (minutes after local midnight) that teams rotate through. */
  shiftSlots: number[];
  /** Content language mix of the markets the site serves. */
  languages: WeightTable<string>;
  /** Market (country) of English content. */
  englishMarkets: string[];
}

const h = (hours: number): number => hours * 60;
interface SiteSpec {
  shiftSlots: number[];
  languages: Array<[string, number]>;
  englishMarkets: string[];
}
const SITE_MODELS: Record<string, SiteSpec> = {
  dublin: { shiftSlots: [h(8), h(9)], languages: [['en', 0.88], ['fr', 0.07], ['it', 0.05]], englishMarkets: ['GB', 'IE', 'US'] },
  austin: { shiftSlots: [h(8), h(10)], languages: [['en', 0.84], ['es', 0.16]], englishMarkets: ['US', 'CA'] },
  manila: { shiftSlots: [h(22), h(6), h(14)], languages: [['en', 0.7], ['fil', 0.25], ['ceb', 0.05]], englishMarkets: ['US', 'PH', 'AU'] },
  cebu: { shiftSlots: [h(21), h(7), h(15)], languages: [['en', 0.68], ['fil', 0.17], ['ceb', 0.15]], englishMarkets: ['US', 'PH'] },
  hyderabad: { shiftSlots: [h(6), h(14), h(22)], languages: [['en', 0.64], ['hi', 0.26], ['te', 0.07], ['ur', 0.03]], englishMarkets: ['IN', 'GB', 'US'] },
  nairobi: { shiftSlots: [h(7), h(15)], languages: [['en', 0.84], ['sw', 0.16]], englishMarkets: ['KE', 'NG', 'GB'] },
  lisbon: { shiftSlots: [h(8), h(14)], languages: [['en', 0.36], ['pt-PT', 0.34], ['pt-BR', 0.25], ['es', 0.05]], englishMarkets: ['GB', 'US'] },
  bogota: { shiftSlots: [h(7), h(15)], languages: [['es', 0.74], ['en', 0.2], ['pt-BR', 0.06]], englishMarkets: ['US', 'CO'] },
};

export const MARKET_OF_LANGUAGE: Record<string, string> = {
  fil: 'PH', ceb: 'PH', hi: 'IN', te: 'IN', ur: 'IN', sw: 'KE', 'pt-PT': 'PT', 'pt-BR': 'BR', es: 'CO', fr: 'FR', it: 'IT',
};

export function buildSiteModels(data: DemoData): Map<string, SiteModel> {
  const vendors = new Map(data.vendors.map((v) => [v.key, v]));
  return new Map(
    data.sites.map((site) => {
      const spec: SiteSpec = SITE_MODELS[site.key] ?? { shiftSlots: [h(8)], languages: [['en', 1]], englishMarkets: [site.countryCode] };
      const languages = weightTable(spec.languages, (l) => l[1]);
      return [
        site.key,
        {
          key: site.key,
          vendorKey: site.vendorKey,
          timeZone: site.timeZone,
          inHouse: vendors.get(site.vendorKey)?.isInHouse ?? false,
          shiftSlots: spec.shiftSlots,
          englishMarkets: spec.englishMarkets,
          languages: { ...languages, values: spec.languages.map((l) => l[0]) },
        },
      ];
    }),
  );
}

const offsetCache = new Map<string, number>();
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset in minutes at local noon of a day (tz data, not the clock). */
export function utcOffsetMinutes(timeZone: string, day: number): number {
  const cacheKey = `${timeZone}|${day}`;
  const cached = offsetCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, format);
  }
  const utcNoon = day * DAY_MS + 12 * 3_600_000;
  const parts = Object.fromEntries(format.formatToParts(new Date(utcNoon)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  const offset = Math.round((wall - utcNoon) / 60_000);
  offsetCache.set(cacheKey, offset);
  return offset;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------
// Agents.

export interface AgentProfile {
  person: DemoPerson;
  /** 1-based position among the agents sorted by key: part of external ids. */
  ordinal: number;
  vendorKey: string;
  site: SiteModel;
  primary: WorkflowKey;
  secondary: WorkflowKey | null;
  /** Random effects on the error logit: overall and per policy. */
  skill: number;
  policySkill: Map<string, number>;
  /** Volume and handle-time multipliers. */
  productivity: number;
  speed: number;
  /** Local day numbers. */
  hireDay: number;
  productionStart: number;
  lastWorkDay: number | null;
  leave: { from: number; to: number } | null;
  /** Weekdays off (0 = Sunday). */
  restDays: number[];
  /** Minutes after local midnight. */
  shiftStart: number;
  nightShift: boolean;
  outlier: OutlierKind | null;
  languages: string[];
  /** Memo of readsLanguage. */
  reads: Map<string, 'yes' | 'variant' | 'no'>;
}

function isWorkflowKey(key: string): key is WorkflowKey {
  return key in WORKFLOW_MODELS;
}

/** The agents who will show outlier behaviour: established, active, picked per seed. */
export function pickOutliers(seed: number, data: DemoData, today: string): Map<string, OutlierKind> {
  const draw = new Draw(seed, 'decisions:outliers');
  const vendorOfSite = new Map(data.sites.map((s) => [s.key, s.vendorKey]));
  const out = new Map<string, OutlierKind>();
  for (const [kind, spec] of Object.entries(DEMO_DECISION_STORY.outliers) as Array<[OutlierKind, { vendorKey: string; workflowKey: string }]>) {
    const candidates = data.people
      .filter((p) => p.jobRole === 'agent' && p.status === 'active' && vendorOfSite.get(p.siteKey) === spec.vendorKey)
      .filter((p) => p.workflowKeys[0] === spec.workflowKey && daysBetween(p.hireDate, today) >= 180 && !out.has(p.key))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    if (candidates.length > 0) out.set(draw.pick(candidates).key, kind);
  }
  return out;
}

export function buildAgentProfiles(seed: number, data: DemoData, today: string): AgentProfile[] {
  const sites = buildSiteModels(data);
  const outliers = pickOutliers(seed, data, today);
  const todayNumber = dayNumber(today);
  const policyKeys = data.policies.map((p) => p.key);
  const teamSlot = new Map<string, number>();
  for (const site of data.sites) {
    data.teams.filter((t) => t.siteKey === site.key).forEach((team, index) => teamSlot.set(team.key, index));
  }
  const agents = data.people.filter((p) => p.jobRole === 'agent' && p.teamKey !== null).sort((a, b) => (a.key < b.key ? -1 : 1));
  return agents.map((person, index) => {
    const draw = new Draw(seed, `decisions:profile:${person.key}`);
    const site = sites.get(person.siteKey)!;
    const workflows = person.workflowKeys.filter(isWorkflowKey);
    const hireDay = dayNumber(person.hireDate);
    const productionStart = hireDay + CLASSROOM_DAYS;
    const newHire = todayNumber - hireDay < 75;
    let lastWorkDay: number | null = null;
    if (person.status === 'inactive') {
      lastWorkDay = newHire
        ? Math.min(productionStart + draw.int(4, 28), todayNumber - 2)
        : todayNumber - draw.int(3, WINDOW_DAYS - 5);
    }
    const leaveFrom = todayNumber - draw.int(5, 45);
    const inHouseWeekends = site.inHouse ? 0.85 : 0.55;
    const firstRest = draw.int(0, 6);
    const restDays = draw.chance(inHouseWeekends) ? [6, 0] : [firstRest, (firstRest + 1) % 7];
    const slots = site.shiftSlots;
    const shiftStart = slots[(teamSlot.get(person.teamKey!) ?? 0) % slots.length]! + 15 * draw.int(-2, 2);
    const startHour = ((shiftStart / 60) % 24 + 24) % 24;
    const policySkill = new Map(policyKeys.map((key) => [key, 0.3 * draw.normal()]));
    return {
      person,
      ordinal: index + 1,
      vendorKey: site.vendorKey,
      site,
      primary: workflows[0] ?? 'video_moderation',
      secondary: workflows[1] ?? null,
      skill: 0.35 * draw.normal(),
      policySkill,
      productivity: Math.exp(0.18 * draw.normal()),
      speed: Math.exp(0.2 * draw.normal()),
      hireDay,
      productionStart,
      lastWorkDay,
      leave: person.status === 'on_leave' ? { from: leaveFrom, to: todayNumber } : null,
      restDays,
      shiftStart,
      nightShift: startHour >= 20 || startHour < 2,
      outlier: outliers.get(person.key) ?? null,
      languages: person.languages,
      reads: new Map(),
    };
  });
}

/** Whether the agent is rostered on a local day (before sick days, which the stream draws). */
export function isRostered(agent: AgentProfile, day: number): boolean {
  if (day < agent.productionStart) return false;
  if (agent.lastWorkDay !== null && day > agent.lastWorkDay) return false;
  if (agent.leave && day >= agent.leave.from && day <= agent.leave.to) return false;
  const weekday = (((day + 4) % 7) + 7) % 7; // day 0 (1970-01-01) was a Thursday
  return !agent.restDays.includes(weekday);
}

/**
 * How well the agent reads the content's language: 'yes', 'variant' (another
 * regional variant, pt-PT for pt-BR content) or 'no'.
 */
export function readsLanguage(agent: AgentProfile, language: string): 'yes' | 'variant' | 'no' {
  let known = agent.reads.get(language);
  if (known === undefined) {
    const primary = language.split('-')[0];
    known = agent.languages.includes(language) ? 'yes' : agent.languages.some((l) => l.split('-')[0] === primary) ? 'variant' : 'no';
    agent.reads.set(language, known);
  }
  return known;
}
