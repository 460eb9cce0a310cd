/**
 * A sampling plan's definition: what the quality manager edits, versions and
 * activates. Evaluated per decision by plan.rules.ts; the design and how each
 * inclusion probability is fixed are in docs/decisions/0004-sampling-design.md.
 */

export type SeverityValue = 'critical' | 'high' | 'medium' | 'low' | 'none';

/** Dimensions a stratum can be split by (one stratum per value combination). */
export const STRATIFY_DIMENSIONS = ['label', 'severity', 'vendor', 'site', 'tenureBand', 'modelScoreBand'] as const;
export type StratifyDimension = (typeof STRATIFY_DIMENSIONS)[number];

/** A condition on a decision; every given field must match (AND), values within a field are alternatives (OR). */
export interface Conditions {
  /** true: at least one label (a positive); false: no label. */
  positive?: boolean;
  /** Any of these label keys. */
  labels?: string[];
  /** The decision's highest label severity; 'none' for a decision without labels. */
  severities?: SeverityValue[];
  vendorIds?: string[];
  siteIds?: string[];
  tenureBands?: string[];
  /** Band keys of `modelScoreBands`; 'none' matches decisions without a model score. */
  modelScoreBands?: string[];
}

export type StratumMode = 'all' | 'rate' | 'quota';

export interface StratumRule {
  /** Stable key, lower snake case: part of every stratum key this rule produces. */
  key: string;
  name: string;
  when: Conditions;
  /** Split the rule's decisions into one stratum per value of these dimensions. */
  stratifyBy: StratifyDimension[];
  /** all: every decision (pi = 1); rate: each with probability rate x risk weights; quota: n per agent per period. */
  mode: StratumMode;
  /** For mode 'rate': the base probability, 0 < rate <= 1. */
  rate?: number;
  /** For mode 'quota': how many decisions per agent per period, spread evenly over the period's working days. */
  quota?: { perAgent: number; period: 'day' | 'week' | 'month' };
  /** For mode 'rate': at most this many selections per stratum per UTC day (selection then waits for the day to close). */
  dailyCap?: number | null;
}

export interface RiskWeight {
  when: Conditions;
  /** Multiplies the rate of a 'rate' stratum (probability capped at 1). */
  weight: number;
}

export interface Band {
  key: string;
  /** Upper bound, exclusive; null for the last (open) band. Tenure in days, model score in [0, 1]. */
  below: number | null;
}

export interface SamplingPlanDefinition {
  /** Ascending tenure bands (days since hire at decided_at). */
  tenureBands: Band[];
  /** Ascending model-score bands; decisions without a score fall in 'none'. */
  modelScoreBands: Band[];
  /** Ordered: a decision falls in the first rule it matches. The last rule must match everything. */
  strata: StratumRule[];
  riskWeights: RiskWeight[];
  /** The accuracy assumed for margins of error in the preview (0.5 is the most conservative). */
  assumedAccuracy: number;
}

/** What the sampler needs to know about one decision. */
export interface SamplingSubject {
  /** The decision's id (a uuid derived from source and external id). */
  decisionId: string;
  labels: string[];
  /** Highest severity among the labels, null without labels. */
  severity: Exclude<SeverityValue, 'none'> | null;
  vendorId: string;
  siteId: string;
  tenureDays: number;
  modelScore: number | null;
}

/** Where a decision falls in a plan. */
export interface Placement {
  ruleKey: string;
  stratumKey: string;
  mode: StratumMode;
  /** Design probability for 'all' and 'rate'; for 'quota' null (fixed when the day closes). */
  p: number | null;
  /** The seeded uniform draw in [0, 1). */
  u: number;
  /** Selected now, at ingestion (mode 'all', or 'rate' without a daily cap, with u < p). */
  selectedNow: boolean;
  /** Selection waits for the day to close (quotas and capped rates). */
  deferred: boolean;
}

export const DEFAULT_PLAN: SamplingPlanDefinition = {
  tenureBands: [
    { key: 'nesting', below: 30 },
    { key: 'ramping', below: 90 },
    { key: 'established', below: null },
  ],
  modelScoreBands: [
    { key: 'low', below: 0.5 },
    { key: 'uncertain', below: 0.85 },
    { key: 'high', below: null },
  ],
  strata: [
    {
      key: 'critical_positive',
      name: 'Every critical-severity positive',
      when: { positive: true, severities: ['critical'] },
      stratifyBy: [],
      mode: 'all',
    },
    {
      key: 'baseline',
      name: 'Random baseline by vendor and severity',
      when: {},
      stratifyBy: ['vendor', 'severity'],
      mode: 'rate',
      rate: 0.02,
    },
  ],
  riskWeights: [{ when: { tenureBands: ['nesting'] }, weight: 3 }],
  assumedAccuracy: 0.9,
};
