import { quotaForDay, selectCapped, selectQuota, type Candidate } from './plan.rules.ts';
import { isDeferredRule, ruleKeyOf } from './plan-timeline.rules.ts';
import type { SamplingPlanDefinition, StratumRule } from './plan.types.ts';

/**
 * The end-of-day selection of one plan version's deferred strata on one UTC
 * day. Pure and deterministic in (seed, day, the day's decisions), so the day
 * close and its verification run the same code:
 * - quota strata: per agent, k = quotaForDay(seed, quota, agent, day), the k smallest draws
 *   (selectQuota, pi = min(1, k / N_agent));
 * - capped rate strata: selectCapped over the stratum's day (pi = p without the cap binding,
 *   else min(1, p * cap / sum p)).
 */
export interface DayCandidate {
  id: string;
  agentId: string;
  stratumKey: string;
  /** The design probability (capped rates); null for quotas. */
  p: number | null;
  u: number;
}

export interface DaySelection {
  id: string;
  stratumKey: string;
  inclusionProbability: number;
  method: 'quota' | 'capped_rate';
}

export interface StratumDayTally {
  stratumKey: string;
  /** Decisions the selection chose from. */
  population: number;
  /** Sum of the final inclusion probabilities over those decisions. */
  expected: number;
  selected: number;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function selectQuotaStratum(rule: StratumRule, seed: string, day: string, stratumKey: string, candidates: DayCandidate[]) {
  const selections: DaySelection[] = [];
  let expected = 0;
  for (const [agentId, own] of [...groupBy(candidates, (c) => c.agentId)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const k = quotaForDay(seed, rule.quota!, agentId, day);
    const chosen = selectQuota(own.map((c): Candidate => ({ id: c.id, u: c.u, p: 0 })), k);
    expected += k > 0 ? own.length * Math.min(1, k / own.length) : 0;
    for (const s of chosen) selections.push({ id: s.id, stratumKey, inclusionProbability: s.inclusionProbability, method: 'quota' });
  }
  return { selections, expected };
}

function selectCappedStratum(rule: StratumRule, stratumKey: string, candidates: DayCandidate[]) {
  const cap = rule.dailyCap!;
  const pool = candidates.map((c): Candidate => ({ id: c.id, u: c.u, p: c.p ?? 0 }));
  const chosen = selectCapped(pool, cap);
  const binding = pool.filter((c) => c.u < c.p).length > cap;
  const sum = pool.reduce((total, c) => total + c.p, 0);
  const expected = binding ? pool.reduce((total, c) => total + Math.min(1, (c.p * cap) / sum), 0) : sum;
  return {
    selections: chosen.map((s): DaySelection => ({ id: s.id, stratumKey, inclusionProbability: s.inclusionProbability, method: 'capped_rate' })),
    expected,
  };
}

/** Selects every deferred stratum of the day; candidates of other strata are ignored. */
export function selectDeferredDay(
  definition: SamplingPlanDefinition,
  seed: string,
  day: string,
  candidates: readonly DayCandidate[],
): { selections: DaySelection[]; strata: StratumDayTally[] } {
  const rules = new Map(definition.strata.map((rule) => [rule.key, rule]));
  const selections: DaySelection[] = [];
  const strata: StratumDayTally[] = [];
  const byStratum = [...groupBy(candidates, (c) => c.stratumKey)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [stratumKey, members] of byStratum) {
    const rule = rules.get(ruleKeyOf(stratumKey));
    if (!rule || !isDeferredRule(rule)) continue;
    const result = rule.mode === 'quota' ? selectQuotaStratum(rule, seed, day, stratumKey, members) : selectCappedStratum(rule, stratumKey, members);
    selections.push(...result.selections);
    strata.push({ stratumKey, population: members.length, expected: result.expected, selected: result.selections.length });
  }
  return { selections, strata };
}
