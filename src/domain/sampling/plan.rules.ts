import { hash } from 'node:crypto';
import { Issues } from '../errors.ts';
import {
  STRATIFY_DIMENSIONS,
  type Band,
  type Conditions,
  type Placement,
  type SamplingPlanDefinition,
  type SamplingSubject,
  type StratumRule,
} from './plan.types.ts';

/**
 * Pure sampling rules: validating a plan, placing a decision in its stratum,
 * the seeded draw, and the end-of-day selections for quotas and caps.
 * Everything here is deterministic in (seed, decision id), so a selection can
 * be recomputed and audited at any time (docs/decisions/0004).
 */

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'];
const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const KEY = /^[a-z][a-z0-9_]{0,47}$/;
const WORKING_DAYS = { day: 1, week: 5, month: 21 } as const;
const TWO_POW_53 = 2 ** 53;

/** A uniform draw in [0, 1) from the plan's seed and a key: the same inputs always give the same draw. */
export function seededUniform(seed: string, key: string): number {
  const digest = hash('sha256', `${seed}\u0000${key}`, 'buffer');
  // 53 bits: every double in [0, 1) on a 2^-53 grid is equally likely.
  const high = digest.readUInt32BE(0) >>> 11; // 21 bits
  const low = digest.readUInt32BE(4); // 32 bits
  return (high * 2 ** 32 + low) / TWO_POW_53;
}

export function highestSeverity(severities: Iterable<string>): 'critical' | 'high' | 'medium' | 'low' | null {
  let best: string | null = null;
  for (const s of severities) if (best === null || (SEVERITY_RANK[s] ?? 0) > (SEVERITY_RANK[best] ?? 0)) best = s;
  return best as 'critical' | 'high' | 'medium' | 'low' | null;
}

export function bandOf(bands: Band[], value: number | null): string {
  if (value === null) return 'none';
  for (const band of bands) if (band.below === null || value < band.below) return band.key;
  return bands[bands.length - 1]?.key ?? 'none';
}

/** The label a decision is stratified by when it has several: the most severe (ties: first in key order). */
function primaryLabel(subject: SamplingSubject, labelSeverity: (label: string) => string | undefined): string {
  if (subject.labels.length === 0) return 'none';
  return [...subject.labels].sort((a, b) => (SEVERITY_RANK[labelSeverity(b) ?? ''] ?? 0) - (SEVERITY_RANK[labelSeverity(a) ?? ''] ?? 0) || a.localeCompare(b))[0]!;
}

function matches(definition: SamplingPlanDefinition, when: Conditions, subject: SamplingSubject): boolean {
  if (when.positive !== undefined && when.positive !== subject.labels.length > 0) return false;
  if (when.labels?.length && !subject.labels.some((l) => when.labels!.includes(l))) return false;
  if (when.severities?.length && !when.severities.includes(subject.severity ?? 'none')) return false;
  if (when.vendorIds?.length && !when.vendorIds.includes(subject.vendorId)) return false;
  if (when.siteIds?.length && !when.siteIds.includes(subject.siteId)) return false;
  if (when.tenureBands?.length && !when.tenureBands.includes(bandOf(definition.tenureBands, subject.tenureDays))) return false;
  if (when.modelScoreBands?.length && !when.modelScoreBands.includes(bandOf(definition.modelScoreBands, subject.modelScore))) return false;
  return true;
}

export function ruleFor(definition: SamplingPlanDefinition, subject: SamplingSubject): StratumRule {
  const rule = definition.strata.find((r) => matches(definition, r.when, subject));
  // validatePlanDefinition guarantees a catch-all last rule.
  if (!rule) throw new Error('The sampling plan has no catch-all stratum.');
  return rule;
}

export function stratumKeyOf(
  definition: SamplingPlanDefinition,
  rule: StratumRule,
  subject: SamplingSubject,
  labelSeverity: (label: string) => string | undefined = () => undefined,
): string {
  if (rule.stratifyBy.length === 0) return rule.key;
  const parts = rule.stratifyBy.map((dimension) => {
    switch (dimension) {
      case 'label':
        return `label=${primaryLabel(subject, labelSeverity)}`;
      case 'severity':
        return `severity=${subject.severity ?? 'none'}`;
      case 'vendor':
        return `vendor=${subject.vendorId}`;
      case 'site':
        return `site=${subject.siteId}`;
      case 'tenureBand':
        return `tenure=${bandOf(definition.tenureBands, subject.tenureDays)}`;
      case 'modelScoreBand':
        return `score=${bandOf(definition.modelScoreBands, subject.modelScore)}`;
    }
  });
  return [rule.key, ...parts].join('|');
}

/** The rate of a 'rate' stratum for this decision: base rate times every matching risk weight, at most 1. */
export function weightedRate(definition: SamplingPlanDefinition, rule: StratumRule, subject: SamplingSubject): number {
  let p = rule.rate ?? 0;
  for (const weight of definition.riskWeights) if (matches(definition, weight.when, subject)) p *= weight.weight;
  return Math.min(1, p);
}

export function placeDecision(
  definition: SamplingPlanDefinition,
  seed: string,
  subject: SamplingSubject,
  labelSeverity?: (label: string) => string | undefined,
): Placement {
  const rule = ruleFor(definition, subject);
  const stratumKey = stratumKeyOf(definition, rule, subject, labelSeverity);
  const u = seededUniform(seed, subject.decisionId);
  if (rule.mode === 'all') return { ruleKey: rule.key, stratumKey, mode: 'all', p: 1, u, selectedNow: true, deferred: false };
  if (rule.mode === 'quota') return { ruleKey: rule.key, stratumKey, mode: 'quota', p: null, u, selectedNow: false, deferred: true };
  const p = weightedRate(definition, rule, subject);
  const capped = rule.dailyCap !== undefined && rule.dailyCap !== null;
  return { ruleKey: rule.key, stratumKey, mode: 'rate', p, u, selectedNow: !capped && u < p, deferred: capped };
}

/** The average number of decisions a quota takes per agent-day: the period's quota over its working days. */
export function expectedQuotaPerDay(quota: NonNullable<StratumRule['quota']>): number {
  return quota.perAgent / WORKING_DAYS[quota.period];
}

/**
 * The number of decisions an agent's quota takes on one day: the period's
 * quota spread over its working days, the fraction rounded up or down by a
 * seeded draw so the period total is right on average and reproducible.
 */
export function quotaForDay(seed: string, quota: NonNullable<StratumRule['quota']>, agentId: string, day: string): number {
  const perDay = expectedQuotaPerDay(quota);
  const whole = Math.floor(perDay);
  return whole + (seededUniform(seed, `quota:${agentId}:${day}`) < perDay - whole ? 1 : 0);
}

export interface Candidate {
  id: string;
  u: number;
  /** Design probability (capped rates); ignored for quotas. */
  p: number;
}

export interface Selection {
  id: string;
  inclusionProbability: number;
}

/**
 * A quota for one agent-day: the k decisions with the smallest draws, a
 * simple random sample without replacement, so each of the N decisions had
 * probability k/N. The order of arrival does not matter.
 */
export function selectQuota(candidates: Candidate[], k: number): Selection[] {
  const n = candidates.length;
  if (n === 0 || k <= 0) return [];
  const chosen = [...candidates].sort((a, b) => a.u - b.u || a.id.localeCompare(b.id)).slice(0, k);
  const pi = Math.min(1, k / n);
  return chosen.map((c) => ({ id: c.id, inclusionProbability: pi }));
}

/**
 * A capped rate stratum for one day. Without the cap binding, the selection is
 * the Poisson sample u < p with pi = p. When more than `cap` would be
 * selected, keep the `cap` smallest u/p (sequential Poisson sampling, Ohlsson
 * 1998) and fix pi = min(1, p * cap / sum(p)) over the stratum's day.
 */
export function selectCapped(candidates: Candidate[], cap: number): Selection[] {
  const poisson = candidates.filter((c) => c.u < c.p);
  if (poisson.length <= cap) return poisson.map((c) => ({ id: c.id, inclusionProbability: c.p }));
  if (cap <= 0) return [];
  const total = candidates.reduce((sum, c) => sum + c.p, 0);
  const ranked = candidates.filter((c) => c.p > 0).sort((a, b) => a.u / a.p - b.u / b.p || a.id.localeCompare(b.id));
  return ranked.slice(0, cap).map((c) => ({ id: c.id, inclusionProbability: Math.min(1, (c.p * cap) / total) }));
}

function checkConditions(issues: Issues, path: string, when: unknown, definition: Partial<SamplingPlanDefinition>): void {
  if (typeof when !== 'object' || when === null || Array.isArray(when)) {
    issues.add(path, 'Must be an object of conditions.');
    return;
  }
  const c = when as Record<string, unknown>;
  const known = ['positive', 'labels', 'severities', 'vendorIds', 'siteIds', 'tenureBands', 'modelScoreBands'];
  for (const key of Object.keys(c)) if (!known.includes(key)) issues.add(`${path}/${key}`, `Unknown condition; use one of ${known.join(', ')}.`);
  if (c.positive !== undefined && typeof c.positive !== 'boolean') issues.add(`${path}/positive`, 'Must be true or false.');
  const list = (key: string, allowed?: string[]) => {
    const value = c[key];
    if (value === undefined) return;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return void issues.add(`${path}/${key}`, 'Must be a list of strings.');
    if (allowed) for (const [i, v] of value.entries()) if (!allowed.includes(v as string)) issues.add(`${path}/${key}/${i}`, `Unknown value "${String(v)}"; use one of ${allowed.join(', ')}.`);
  };
  list('labels');
  list('severities', SEVERITIES);
  list('vendorIds');
  list('siteIds');
  list('tenureBands', (definition.tenureBands ?? []).map((b) => b.key));
  list('modelScoreBands', [...(definition.modelScoreBands ?? []).map((b) => b.key), 'none']);
}

function checkBands(issues: Issues, path: string, bands: unknown, max: number | null): void {
  if (!Array.isArray(bands) || bands.length === 0) return void issues.add(path, 'Give at least one band.');
  let previous = -Infinity;
  const keys = new Set<string>();
  bands.forEach((band: unknown, i) => {
    const b = band as Partial<Band>;
    if (typeof b?.key !== 'string' || !KEY.test(b.key)) issues.add(`${path}/${i}/key`, 'Use lower-case letters, digits and _ (starting with a letter).');
    else if (keys.has(b.key)) issues.add(`${path}/${i}/key`, 'Band keys must be unique.');
    else keys.add(b.key);
    const last = i === bands.length - 1;
    if (last && b.below !== null) issues.add(`${path}/${i}/below`, 'The last band is open: below must be null.');
    if (!last) {
      if (typeof b.below !== 'number' || !Number.isFinite(b.below)) issues.add(`${path}/${i}/below`, 'Give the upper bound (exclusive).');
      else if (b.below <= previous) issues.add(`${path}/${i}/below`, 'Bands must ascend.');
      else if (max !== null && b.below > max) issues.add(`${path}/${i}/below`, `At most ${max}.`);
      else previous = b.below;
    }
  });
}

/** Checks a plan definition from a client; every problem is reported with its JSON pointer. */
export function validatePlanDefinition(input: unknown): SamplingPlanDefinition {
  const issues = new Issues();
  if (typeof input !== 'object' || input === null) {
    issues.add('/definition', 'Must be an object.').throwIfAny();
  }
  const d = input as Partial<SamplingPlanDefinition>;
  checkBands(issues, '/definition/tenureBands', d.tenureBands, null);
  checkBands(issues, '/definition/modelScoreBands', d.modelScoreBands, 1);
  if (typeof d.assumedAccuracy !== 'number' || !(d.assumedAccuracy > 0 && d.assumedAccuracy < 1)) {
    issues.add('/definition/assumedAccuracy', 'Give a proportion strictly between 0 and 1, e.g. 0.9.');
  }
  if (!Array.isArray(d.strata) || d.strata.length === 0) {
    issues.add('/definition/strata', 'Give at least one stratum; the last must match every decision.');
  } else {
    const keys = new Set<string>();
    d.strata.forEach((rule, i) => {
      const path = `/definition/strata/${i}`;
      if (typeof rule?.key !== 'string' || !KEY.test(rule.key)) issues.add(`${path}/key`, 'Use lower-case letters, digits and _ (starting with a letter).');
      else if (keys.has(rule.key)) issues.add(`${path}/key`, 'Stratum keys must be unique.');
      else keys.add(rule.key);
      if (typeof rule?.name !== 'string' || rule.name.trim().length === 0 || rule.name.length > 120) issues.add(`${path}/name`, 'Give a name of 1 to 120 characters.');
      checkConditions(issues, `${path}/when`, rule?.when, d);
      if (!Array.isArray(rule?.stratifyBy) || rule.stratifyBy.some((s) => !(STRATIFY_DIMENSIONS as readonly string[]).includes(s))) {
        issues.add(`${path}/stratifyBy`, `A list of: ${STRATIFY_DIMENSIONS.join(', ')}.`);
      } else if (new Set(rule.stratifyBy).size !== rule.stratifyBy.length) {
        issues.add(`${path}/stratifyBy`, 'Name each dimension once.');
      }
      if (rule?.mode === 'rate') {
        if (typeof rule.rate !== 'number' || !(rule.rate > 0 && rule.rate <= 1)) issues.add(`${path}/rate`, 'A rate stratum needs a rate above 0 and at most 1 (0.02 = 2%).');
        if (rule.dailyCap !== undefined && rule.dailyCap !== null && !(Number.isInteger(rule.dailyCap) && rule.dailyCap >= 1)) {
          issues.add(`${path}/dailyCap`, 'A whole number of at least 1, or null for no cap.');
        }
      } else if (rule?.mode === 'quota') {
        const q = rule.quota;
        if (!q || !Number.isInteger(q.perAgent) || q.perAgent < 1 || q.perAgent > 1000) issues.add(`${path}/quota/perAgent`, 'A whole number from 1 to 1000.');
        if (!q || !['day', 'week', 'month'].includes(q.period)) issues.add(`${path}/quota/period`, 'One of day, week, month.');
      } else if (rule?.mode !== 'all') {
        issues.add(`${path}/mode`, 'One of all, rate, quota.');
      }
    });
    const last = d.strata[d.strata.length - 1];
    if (last && typeof last.when === 'object' && last.when !== null && Object.keys(last.when).length > 0) {
      issues.add(`/definition/strata/${d.strata.length - 1}/when`, 'The last stratum must have no conditions, so every decision has a chance to be sampled.');
    }
  }
  if (!Array.isArray(d.riskWeights)) issues.add('/definition/riskWeights', 'A list (may be empty).');
  else {
    d.riskWeights.forEach((w, i) => {
      checkConditions(issues, `/definition/riskWeights/${i}/when`, w?.when, d);
      if (typeof w?.weight !== 'number' || !(w.weight > 0 && w.weight <= 100)) issues.add(`/definition/riskWeights/${i}/weight`, 'A multiplier above 0 and at most 100.');
    });
  }
  issues.throwIfAny('The sampling plan is not valid.');
  return {
    tenureBands: d.tenureBands!.map(({ key, below }) => ({ key, below })),
    modelScoreBands: d.modelScoreBands!.map(({ key, below }) => ({ key, below })),
    strata: d.strata!.map((r) => ({
      key: r.key,
      name: r.name.trim(),
      when: r.when,
      stratifyBy: r.stratifyBy,
      mode: r.mode,
      ...(r.mode === 'rate' ? { rate: r.rate, dailyCap: r.dailyCap ?? null } : {}),
      ...(r.mode === 'quota' ? { quota: { perAgent: r.quota!.perAgent, period: r.quota!.period } } : {}),
    })),
    riskWeights: d.riskWeights!.map(({ when, weight }) => ({ when, weight })),
    assumedAccuracy: d.assumedAccuracy!,
  };
}
