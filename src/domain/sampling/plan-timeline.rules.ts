import type { SamplingPlanDefinition, StratumRule } from './plan.types.ts';

/**
 * Which sampling plan version places a decision: the one in force at its
 * decided_at. Pure. A workflow's activated versions form an append-only
 * timeline (each takes effect strictly after the previous one), so the version
 * in force is the last one whose effectiveFrom is not after the instant.
 */
export interface PlanTimelineEntry {
  id: string;
  workflowId: string;
  version: number;
  status: 'active' | 'superseded';
  effectiveFrom: Date;
  definition: SamplingPlanDefinition;
  seed: string;
}

/** One workflow's activated versions, ascending by effectiveFrom. */
export type PlanTimeline = readonly PlanTimelineEntry[];

/** The version in force at `decidedAt`, or null before the workflow's first plan takes effect. Binary search. */
export function planInForce(timeline: PlanTimeline, decidedAt: Date): PlanTimelineEntry | null {
  const at = decidedAt.getTime();
  if (Number.isNaN(at)) return null;
  let lo = 0;
  let hi = timeline.length - 1;
  let found: PlanTimelineEntry | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const entry = timeline[mid]!;
    if (entry.effectiveFrom.getTime() <= at) {
      found = entry;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Whether a rule's selection waits for the day to close: quotas, and rates with a daily cap. */
export function isDeferredRule(rule: StratumRule): boolean {
  return rule.mode === 'quota' || (rule.mode === 'rate' && rule.dailyCap !== undefined && rule.dailyCap !== null);
}

/** The rule keys of a definition whose strata are selected when the day closes. */
export function deferredRuleKeys(definition: SamplingPlanDefinition): string[] {
  return definition.strata.filter(isDeferredRule).map((rule) => rule.key);
}

/** The rule a stratum key belongs to: the part before the first '|' (rule keys never contain one). */
export function ruleKeyOf(stratumKey: string): string {
  const bar = stratumKey.indexOf('|');
  return bar === -1 ? stratumKey : stratumKey.slice(0, bar);
}

/** The UTC day ('YYYY-MM-DD') of an instant. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `day` plus `n` days (negative: minus). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The instant a UTC day ends (midnight at the start of the next day). */
export function dayEnd(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD, or null. */
export function parseDay(value: string): string | null {
  const match = DAY.exec(value.trim());
  if (!match) return null;
  const at = new Date(`${match[0]}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === match[0] ? match[0] : null;
}
