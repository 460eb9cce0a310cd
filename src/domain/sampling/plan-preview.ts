import { expectedQuotaPerDay, placeDecision } from './plan.rules.ts';
import { isDeferredRule } from './plan-timeline.rules.ts';
import type { SamplingPlanDefinition, SamplingSubject, StratumMode } from './plan.types.ts';

/**
 * What a plan would do to recent production, before it is activated. Pure:
 * the service reads the decisions and calls `previewPlan`.
 *
 * Every decision is placed by the same code as ingestion (placeDecision), and
 * gets its inclusion probability pi:
 * - mode all: 1;
 * - mode rate: p (the rate times the matching risk weights, at most 1);
 * - rate with a daily cap: per stratum-day, with S = sum of p, pi = min(1, p * min(1, cap / S))
 *   (the cap is spread in proportion to p, as the day close does when it binds);
 * - mode quota: per stratum x agent x day, with N decisions and k = perAgent / working days of the
 *   period (the expectation of quotaForDay), pi = min(1, k / N).
 * The expected sample is sum(pi). The margin of error of the weighted (Hajek) accuracy estimate with
 * w = 1/pi, assuming accuracy p for every decision, is
 *     MOE = z * sqrt(p (1 - p) * sum_i (1 - pi_i) / pi_i) / N          (z = 1.96, 95 %)
 * over the N decisions of a period (the Poisson-sampling variance of a total, divided by N^2). For
 * simple random sampling of n of N (pi = n/N) it is z * sqrt(p (1 - p) / n * (1 - n / N)).
 * Figures are daily averages over the observed history; a period of D days has D times the daily
 * population and variance terms, so its margin is the daily one over sqrt(D).
 */

export const PREVIEW_Z = 1.96;
export const PERIOD_DAYS = { day: 1, week: 7, month: 30 } as const;
/** The draw u plays no part in expected figures; any seed gives the same preview. */
const PREVIEW_SEED = 'preview';

export interface PreviewDecision {
  id: string;
  labels: string[];
  severity: SamplingSubject['severity'];
  vendorId: string;
  siteId: string;
  tenureDays: number;
  modelScore: number | null;
  agentId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
}

export interface PreviewOptions {
  /** The window, inclusive UTC days, and its length in days. */
  from: string;
  to: string;
  days: number;
  /** Decisions in the window (more than were passed when a subset was read); default: all were passed. */
  totalDecisions?: number;
  /** Each decision passed stands for this many (1 / the subset fraction); default 1. */
  scale?: number;
  /** Severity of a label key, for stratifying by label (the most severe label of a decision). */
  labelSeverity?: (label: string) => string | undefined;
}

export interface PreviewStratum {
  stratumKey: string;
  ruleKey: string;
  name: string;
  mode: StratumMode;
  dailyPopulation: number;
  dailyExpectedSample: number;
  /** Expected sample over population. */
  expectedRate: number;
  marginOfErrorWeek: number;
}

export interface PlanPreview {
  from: string;
  to: string;
  days: number;
  /** Days averaged over: from the first day with decisions to `to` (a young workflow is not diluted). */
  observedDays: number;
  decisions: number;
  /** The share of the window's decisions that were read (1 = all; less on very large queues). */
  sampledFraction: number;
  assumedAccuracy: number;
  strata: PreviewStratum[];
  total: {
    dailyPopulation: number;
    dailyExpectedSample: number;
    marginOfErrorDay: number;
    marginOfErrorWeek: number;
    marginOfErrorMonth: number;
  };
  /** Why the figures are zero (no history), else null. */
  note: string | null;
}

/** z * sqrt(p (1 - p) * sum (1 - pi)/pi) / N; 0 without a population. */
export function marginOfError(p: number, varianceTerms: number, population: number, z = PREVIEW_Z): number {
  if (!(population > 0)) return 0;
  return (z * Math.sqrt(p * (1 - p) * Math.max(0, varianceTerms))) / population;
}

/** The margin over a period of `periodDays`, from daily population and daily variance terms. */
export function marginOverDays(p: number, dailyVarianceTerms: number, dailyPopulation: number, periodDays: number, z = PREVIEW_Z): number {
  return marginOfError(p, dailyVarianceTerms * periodDays, dailyPopulation * periodDays, z);
}

export interface PlacedForPreview {
  decision: PreviewDecision;
  ruleKey: string;
  stratumKey: string;
  mode: StratumMode;
  /** Inclusion probability. */
  pi: number;
}

/** Places every decision and gives its inclusion probability (see the module comment). */
export function inclusionProbabilities(
  definition: SamplingPlanDefinition,
  decisions: readonly PreviewDecision[],
  options: { scale?: number; labelSeverity?: (label: string) => string | undefined } = {},
): PlacedForPreview[] {
  const scale = options.scale ?? 1;
  const rules = new Map(definition.strata.map((rule) => [rule.key, rule]));
  const placed = decisions.map((decision) => {
    const subject: SamplingSubject = {
      decisionId: decision.id,
      labels: decision.labels,
      severity: decision.severity,
      vendorId: decision.vendorId,
      siteId: decision.siteId,
      tenureDays: decision.tenureDays,
      modelScore: decision.modelScore,
    };
    const placement = placeDecision(definition, PREVIEW_SEED, subject, options.labelSeverity);
    return { decision, placement };
  });
  // Group sizes for the deferred strata: sum of p per capped stratum-day, decisions per quota agent-day.
  const groupTotals = new Map<string, number>();
  const groupOf = (ruleKey: string, stratumKey: string, decision: PreviewDecision): string | null => {
    const rule = rules.get(ruleKey)!;
    if (!isDeferredRule(rule)) return null;
    return rule.mode === 'quota' ? `${stratumKey}\u0000${decision.agentId}\u0000${decision.day}` : `${stratumKey}\u0000${decision.day}`;
  };
  for (const { decision, placement } of placed) {
    const group = groupOf(placement.ruleKey, placement.stratumKey, decision);
    if (group === null) continue;
    const add = placement.mode === 'quota' ? scale : scale * (placement.p ?? 0);
    groupTotals.set(group, (groupTotals.get(group) ?? 0) + add);
  }
  return placed.map(({ decision, placement }) => {
    const rule = rules.get(placement.ruleKey)!;
    let pi: number;
    if (placement.mode === 'all') pi = 1;
    else if (placement.mode === 'quota') {
      const n = groupTotals.get(groupOf(rule.key, placement.stratumKey, decision)!)!;
      pi = Math.min(1, expectedQuotaPerDay(rule.quota!) / n);
    } else if (isDeferredRule(rule)) {
      const sum = groupTotals.get(groupOf(rule.key, placement.stratumKey, decision)!)!;
      const p = placement.p ?? 0;
      pi = sum > 0 ? Math.min(1, p * Math.min(1, rule.dailyCap! / sum)) : 0;
    } else pi = placement.p ?? 0;
    return { decision, ruleKey: placement.ruleKey, stratumKey: placement.stratumKey, mode: placement.mode, pi };
  });
}

interface Tally {
  population: number;
  expected: number;
  varianceTerms: number;
}

const emptyTally = (): Tally => ({ population: 0, expected: 0, varianceTerms: 0 });

function addTo(tally: Tally, pi: number, weight: number): void {
  tally.population += weight;
  tally.expected += weight * pi;
  // A decision that cannot be selected (pi = 0) has no finite weight; the rules keep pi > 0.
  if (pi > 0) tally.varianceTerms += (weight * (1 - pi)) / pi;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The preview of `definition` over `decisions` (the window's, or a deterministic subset with `scale`). */
export function previewPlan(definition: SamplingPlanDefinition, decisions: readonly PreviewDecision[], options: PreviewOptions): PlanPreview {
  const scale = options.scale ?? 1;
  const p = definition.assumedAccuracy;
  const placed = inclusionProbabilities(definition, decisions, { scale, labelSeverity: options.labelSeverity });
  const totalDecisions = options.totalDecisions ?? decisions.length;

  let firstDay: string | null = null;
  for (const { decision } of placed) if (firstDay === null || decision.day < firstDay) firstDay = decision.day;
  const observedDays = firstDay === null ? options.days : Math.max(1, Math.min(options.days, daysBetween(firstDay < options.from ? options.from : firstDay, options.to)));

  const byStratum = new Map<string, Tally & { ruleKey: string; mode: StratumMode }>();
  const total = emptyTally();
  for (const item of placed) {
    let tally = byStratum.get(item.stratumKey);
    if (!tally) {
      tally = { ...emptyTally(), ruleKey: item.ruleKey, mode: item.mode };
      byStratum.set(item.stratumKey, tally);
    }
    addTo(tally, item.pi, scale);
    addTo(total, item.pi, scale);
  }

  const ruleOrder = new Map(definition.strata.map((rule, index) => [rule.key, index]));
  const strata: PreviewStratum[] = [...byStratum.entries()]
    .sort(([a, x], [b, y]) => ruleOrder.get(x.ruleKey)! - ruleOrder.get(y.ruleKey)! || (a < b ? -1 : a > b ? 1 : 0))
    .map(([stratumKey, tally]) => ({
      stratumKey,
      ruleKey: tally.ruleKey,
      name: definition.strata[ruleOrder.get(tally.ruleKey)!]!.name,
      mode: tally.mode,
      dailyPopulation: tally.population / observedDays,
      dailyExpectedSample: tally.expected / observedDays,
      expectedRate: tally.population > 0 ? tally.expected / tally.population : 0,
      marginOfErrorWeek: marginOverDays(p, tally.varianceTerms / observedDays, tally.population / observedDays, PERIOD_DAYS.week),
    }));
  // Rules that matched nothing still show, so a manager sees them (stratum key = the rule key).
  const seenRules = new Set(strata.map((s) => s.ruleKey));
  for (const rule of definition.strata) {
    if (seenRules.has(rule.key)) continue;
    strata.push({ stratumKey: rule.key, ruleKey: rule.key, name: rule.name, mode: rule.mode, dailyPopulation: 0, dailyExpectedSample: 0, expectedRate: 0, marginOfErrorWeek: 0 });
  }
  strata.sort((a, b) => ruleOrder.get(a.ruleKey)! - ruleOrder.get(b.ruleKey)!);

  const dailyPopulation = total.population / observedDays;
  const dailyVariance = total.varianceTerms / observedDays;
  return {
    from: options.from,
    to: options.to,
    days: options.days,
    observedDays,
    decisions: totalDecisions,
    sampledFraction: totalDecisions > 0 ? Math.min(1, decisions.length / totalDecisions) : 1,
    assumedAccuracy: p,
    strata,
    total: {
      dailyPopulation,
      dailyExpectedSample: total.expected / observedDays,
      marginOfErrorDay: marginOverDays(p, dailyVariance, dailyPopulation, PERIOD_DAYS.day),
      marginOfErrorWeek: marginOverDays(p, dailyVariance, dailyPopulation, PERIOD_DAYS.week),
      marginOfErrorMonth: marginOverDays(p, dailyVariance, dailyPopulation, PERIOD_DAYS.month),
    },
    note:
      placed.length === 0
        ? `No decisions of this workflow from ${options.from} to ${options.to} that you can see: the preview needs history, so every figure is zero.`
        : null,
  };
}
