import type { SamplingPlanDefinition, StratumRule } from '../domain/sampling/plan.types.ts';
import { daysBefore } from './demo-random.ts';
import type { DemoData } from './demo-types.ts';

/**
 * The demo's sampling plan per workflow: what a QA manager of this operation
 * would run. Every critical positive is reviewed; new hires in nesting get a
 * fixed weekly quota each (whatever their volume); comment spam, which comes in
 * waves, is sampled lightly and capped per day; everything else falls into a
 * random baseline stratified by vendor and severity, with more weight on items
 * the classifier was unsure about and on agents still ramping up. Overall this
 * reviews about 3% of decisions.
 */

/** The plans take effect this many days before `today`, before the first demo decision. */
export const PLAN_DAYS_AGO = 100;

export interface DemoSamplingPlan {
  workflowKey: string;
  name: string;
  notes: string;
  definition: SamplingPlanDefinition;
  /** The plan version's sampling seed (text): draws are reproducible from it. */
  seed: string;
  /** ISO datetime (UTC midnight). */
  effectiveFrom: string;
}

/** Baseline rate per workflow: lower where volume is high, so each vendor still gets ~25-60 reviews a week per workflow. */
const BASELINE_RATE: Record<string, number> = { video_moderation: 0.015, comment_moderation: 0.012, user_support: 0.025 };
/** New hires in nesting: reviews per agent per week (4 a working day). */
const NESTING_QUOTA = 20;

const criticalPositives: StratumRule = {
  key: 'critical_positive',
  name: 'Every critical-severity positive',
  when: { positive: true, severities: ['critical'] },
  stratifyBy: [],
  mode: 'all',
};

const nesting: StratumRule = {
  key: 'nesting_quota',
  name: `New hires in nesting: ${NESTING_QUOTA} a week each`,
  when: { tenureBands: ['nesting'] },
  stratifyBy: [],
  mode: 'quota',
  quota: { perAgent: NESTING_QUOTA, period: 'week' },
};

const spamWaves: StratumRule = {
  key: 'commercial_spam',
  name: 'Commercial spam (light, capped: it comes in waves)',
  when: { labels: ['spam.commercial'] },
  stratifyBy: ['vendor'],
  mode: 'rate',
  rate: 0.01,
  dailyCap: 25,
};

function baseline(rate: number): StratumRule {
  return {
    key: 'baseline',
    name: `Random baseline, ${Math.round(rate * 1000) / 10}% by vendor and severity`,
    when: {},
    stratifyBy: ['vendor', 'severity'],
    mode: 'rate',
    rate,
    dailyCap: null,
  };
}

export function demoPlanDefinition(workflowKey: string): SamplingPlanDefinition {
  const rate = BASELINE_RATE[workflowKey] ?? 0.02;
  const moderation = workflowKey !== 'user_support';
  return {
    // Tenure counts from the hire date: two weeks of classroom, then about a month of nesting.
    tenureBands: [
      { key: 'nesting', below: 45 },
      { key: 'ramping', below: 90 },
      { key: 'established', below: null },
    ],
    modelScoreBands: [
      { key: 'low', below: 0.3 },
      { key: 'uncertain', below: 0.7 },
      { key: 'high', below: null },
    ],
    strata: [
      criticalPositives,
      nesting,
      ...(workflowKey === 'comment_moderation' ? [spamWaves] : []),
      baseline(rate),
    ],
    riskWeights: [
      ...(moderation ? [{ when: { modelScoreBands: ['uncertain'] }, weight: 2 }] : []),
      { when: { tenureBands: ['ramping'] }, weight: 1.5 },
    ],
    assumedAccuracy: 0.93,
  };
}

export function demoSamplingPlans(data: DemoData, options: { seed: number; today: string }): DemoSamplingPlan[] {
  const effectiveFrom = `${daysBefore(options.today, PLAN_DAYS_AGO)}T00:00:00Z`;
  return data.workflows.map((workflow) => ({
    workflowKey: workflow.key,
    name: `${workflow.name}: risk-based QA sample`,
    notes:
      'Demo plan. Critical positives: all. Nesting new hires: a weekly quota each. Baseline: random by vendor and severity, ' +
      'weighted towards uncertain classifier scores and ramping agents. Estimates weight each review by 1/pi.',
    definition: demoPlanDefinition(workflow.key),
    seed: `demo-${options.seed}-${workflow.key}`,
    effectiveFrom,
  }));
}
