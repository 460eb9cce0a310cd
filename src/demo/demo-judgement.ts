import {
  DEMO_DECISION_STORY,
  defaultModerationAction,
  defaultSupportAction,
  labelTable,
  labelWeight,
  policyChangeDip,
  policyTable,
  strikeAdjusted,
  tenureEffect,
  type LabelView,
  type PolicyView,
  type VersionView,
  type WeightTable,
  type WorkflowModel,
  weightTable,
} from './demo-decision-model.ts';
import { readsLanguage, type AgentProfile } from './demo-agents.ts';
import { sigmoid, type Draw } from './demo-draw.ts';

/**
 * What an item truly is (the expert answer) and how an agent judges it: the
 * truth distorted by the agent's error process, with the error typed the way
 * QA types it and a planted root cause for later RCA stories.
 */

export type DemoErrorType = 'false_positive' | 'false_negative' | 'wrong_label' | 'wrong_policy' | 'wrong_action';
export type DemoRootCause =
  | 'policy_knowledge_gap'
  | 'missed_context'
  | 'ambiguous_guideline'
  | 'language_context'
  | 'tooling'
  | 'attention_fatigue'
  | 'process_not_followed';

export interface DemoDecisionError {
  type: DemoErrorType;
  cause: DemoRootCause;
}

export type SupportTicketType = 'how_to' | 'billing' | 'appeal_denied' | 'duplicate' | 'report';

export interface ItemTruth {
  positive: boolean;
  /** The policy the item is about: its violation, or what it was reported or flagged for. */
  policyKey: string;
  version: VersionView;
  /** Most severe first. */
  labels: LabelView[];
  action: string;
  /** 0 = clear-cut, 1 = a genuine gray area. */
  ambiguity: number;
  priorStrikes: number;
  ticketType: SupportTicketType;
}

export interface ItemContext {
  workflow: WorkflowModel;
  policies: PolicyView;
  atMs: number;
  spamWave: boolean;
}

const SEVERITY_RANK = { critical: 4, high: 3, medium: 2, low: 1 } as const;

/** Policies agents confuse with each other (wrong-policy errors), in order of likelihood. */
const CONFUSABLE: Record<string, string[]> = {
  hate_speech: ['harassment'],
  harassment: ['hate_speech', 'privacy'],
  child_safety: ['adult_nudity', 'harassment'],
  adult_nudity: ['child_safety', 'spam_scams'],
  violent_graphic: ['violent_extremism', 'self_harm'],
  violent_extremism: ['violent_graphic', 'hate_speech'],
  self_harm: ['violent_graphic', 'harassment'],
  regulated_goods: ['spam_scams'],
  spam_scams: ['regulated_goods', 'impersonation', 'account_integrity'],
  misinformation: ['spam_scams', 'violent_extremism'],
  privacy: ['harassment', 'impersonation'],
  impersonation: ['spam_scams', 'account_integrity'],
  account_integrity: ['impersonation', 'spam_scams'],
};

/** Plausible wrong actions for a correct one, most likely first (filtered by what the version allows). */
const WRONG_ACTIONS: Record<string, string[]> = {
  escalate_ncmec: ['remove', 'ban_account', 'escalate_policy'],
  escalate_law_enforcement: ['remove', 'escalate_policy', 'send_resources'],
  remove: ['warn_user', 'limit_reach', 'age_restrict', 'label', 'suspend_account'],
  suspend_account: ['remove', 'warn_user', 'ban_account'],
  ban_account: ['remove', 'suspend_account'],
  age_restrict: ['remove', 'limit_reach', 'no_action'],
  label: ['send_resources', 'remove', 'limit_reach', 'no_action'], // self-harm recovery content: the v1 habit
  send_resources: ['no_action', 'remove', 'limit_reach'],
  limit_reach: ['remove', 'no_action'],
  reply_macro: ['escalate_tier2', 'close_no_action'],
  escalate_tier2: ['reply_macro', 'close_no_action'],
  close_no_action: ['reply_macro', 'escalate_tier2'],
};
const HARSHER = ['ban_account', 'suspend_account', 'remove'];

function fromTable<T>(draw: Draw, table: WeightTable<T>): T {
  return table.values[draw.weighted(table.weights, table.total)]!;
}

function pickLabel(draw: Draw, workflow: WorkflowModel, labels: LabelView[], weightOf: (l: LabelView) => number = (l) => labelWeight(workflow, l)): LabelView {
  return fromTable(draw, weightTable(labels, weightOf));
}

function pickPolicy(draw: Draw, workflow: WorkflowModel): string {
  return fromTable(draw, policyTable(workflow));
}

export function correctAction(workflow: WorkflowModel, label: LabelView, version: VersionView, priorStrikes: number): string {
  if (workflow.kind === 'support') return defaultSupportAction(label);
  return strikeAdjusted(defaultModerationAction(label, version), label, priorStrikes);
}

const STRIKES = [0.7, 0.18, 0.08, 0.04];
/** Tickets without a policy issue, and how they are closed. */
const TICKET_TYPES = weightTable<[SupportTicketType, number, string]>(
  [
    ['how_to', 0.45, 'reply_macro'],
    ['billing', 0.2, 'reply_macro'],
    ['appeal_denied', 0.25, 'close_no_action'],
    ['duplicate', 0.1, 'close_no_action'],
  ],
  (t) => t[1],
);

export function drawTruth(draw: Draw, ctx: ItemContext): ItemTruth {
  const { workflow, policies, atMs } = ctx;
  const extra = ctx.spamWave ? DEMO_DECISION_STORY.spamWaveExtraPositive : 0;
  const positive = draw.chance(workflow.positiveRate + extra);
  const waveSpam = positive && extra > 0 && draw.chance(extra / (workflow.positiveRate + extra));
  const policyKey = waveSpam ? 'spam_scams' : pickPolicy(draw, workflow);
  const version = policies.at(policyKey, atMs);
  const ambiguity = draw.u() * draw.u();
  const priorStrikes = workflow.kind === 'moderation' ? draw.weighted(STRIKES, 1) : 0;
  if (!positive) {
    if (workflow.kind === 'moderation') return { positive, policyKey, version, labels: [], action: 'no_action', ambiguity, priorStrikes, ticketType: 'report' };
    const [ticketType, , action] = fromTable(draw, TICKET_TYPES);
    return { positive, policyKey, version, labels: [], action, ambiguity, priorStrikes, ticketType };
  }
  const primary = waveSpam ? version.labelByKey.get('spam.commercial')! : fromTable(draw, labelTable(workflow, version));
  const labels = [primary];
  if (workflow.kind === 'moderation' && draw.chance(0.05)) {
    // A second label of the same policy, less severe than the first (the same action covers both).
    const others = version.labels.filter((l) => l.key !== primary.key && SEVERITY_RANK[l.severity] <= SEVERITY_RANK[primary.severity] && l.severity !== 'critical');
    if (others.length > 0) labels.push(pickLabel(draw, workflow, others));
  }
  return {
    positive,
    policyKey,
    version,
    labels,
    action: correctAction(workflow, primary, version, priorStrikes),
    ambiguity,
    priorStrikes,
    ticketType: 'report',
  };
}

export interface Judgement {
  labels: string[];
  action: string;
  error: DemoDecisionError | null;
  /** Content in a language the agent does not read. */
  languageMismatch: boolean;
}

interface JudgeInput {
  agent: AgentProfile;
  truth: ItemTruth;
  ctx: ItemContext;
  productionDays: number;
  language: string;
  modelScore: number | null;
  secondaryWorkflow: boolean;
}

/** Base error logits: most items are clear, critical ones get extra care, support has more process errors. */
const BASE_LOGIT = { negative: -4.3, positive: -2.95, criticalPositive: -3.6, supportNegative: -3.5, supportPositive: -2.65 };

/** The agent's decision on one item. */
export function judge(draw: Draw, input: JudgeInput): Judgement {
  const { agent, truth, ctx, productionDays, language, modelScore } = input;
  const support = ctx.workflow.kind === 'support';
  const story = DEMO_DECISION_STORY;
  const base = truth.positive
    ? support ? BASE_LOGIT.supportPositive : truth.labels[0]!.severity === 'critical' ? BASE_LOGIT.criticalPositive : BASE_LOGIT.positive
    : support ? BASE_LOGIT.supportNegative : BASE_LOGIT.negative;
  // Each effect on the error logit, kept apart so an error can name its likeliest root cause.
  const context = 1.8 * truth.ambiguity;
  const knowledge = agent.skill + (agent.policySkill.get(truth.policyKey) ?? 0) + (story.vendorEffect[agent.vendorKey] ?? 0) + (input.secondaryWorkflow ? 0.25 : 0);
  const weak = story.weakVendorPolicy;
  const culture = agent.vendorKey === weak.vendorKey && truth.policyKey === weak.policyKey ? weak.effect : 0;
  const tenure = tenureEffect(productionDays);
  const revision = ctx.policies.revisionStart(truth.policyKey, ctx.atMs);
  const dip = revision === null ? 0 : policyChangeDip(truth.policyKey, ctx.atMs - revision, agent.site.inHouse);
  const reads = readsLanguage(agent, language);
  const languageEffect = reads === 'no' ? story.languageMismatch : reads === 'variant' ? 0.2 : 0;
  const misleadingScore = modelScore !== null && (truth.positive ? modelScore < 0.25 : modelScore > 0.8) ? 0.5 : 0;
  const fatigue = (agent.nightShift ? story.nightShift : 0) + (agent.outlier === 'rusher' ? story.outliers.rusher.error : 0);
  const process =
    agent.outlier === 'over_enforcer' && !truth.positive ? story.outliers.over_enforcer.falsePositive
      : agent.outlier === 'under_enforcer' && truth.positive ? story.outliers.under_enforcer.missed
        : 0;
  const logit = base + context + knowledge + culture + tenure + dip + languageEffect + misleadingScore + fatigue + process;
  const mismatch = reads === 'no';
  if (!draw.chance(sigmoid(logit))) {
    const labels = truth.labels.length === 1 ? [truth.labels[0]!.key] : truth.labels.map((l) => l.key);
    return { labels, action: truth.action, error: null, languageMismatch: mismatch };
  }

  const causes: Array<[DemoRootCause, number]> = [
    [truth.ambiguity > 0.45 ? 'ambiguous_guideline' : 'missed_context', context],
    ['missed_context', 0.6],
    ['policy_knowledge_gap', Math.max(0, knowledge) + tenure + dip],
    ['language_context', culture + languageEffect],
    ['tooling', 0.08 + misleadingScore],
    ['attention_fatigue', fatigue],
    ['process_not_followed', process],
  ];
  const cause = causes[draw.weighted(causes.map((c) => c[1]))]![0];
  const newLabelDip = dip > 0.2 && truth.labels.some((l) => l.isNew);
  const made = truth.positive ? positiveError(draw, input, newLabelDip, dip > 0.2) : falsePositive(draw, input, dip > 0.2);
  return { labels: made.labels, action: made.action, error: { type: made.type, cause }, languageMismatch: mismatch };
}

function falsePositive(draw: Draw, input: JudgeInput, inDip: boolean): { labels: string[]; action: string; type: DemoErrorType } {
  const { truth, ctx, agent } = input;
  const policyKey = draw.chance(0.7) ? truth.policyKey : pickPolicy(draw, ctx.workflow);
  const version = ctx.policies.at(policyKey, ctx.atMs);
  // Over-enforcement lands on the milder labels; right after a revision, on the new label.
  const label = pickLabel(draw, ctx.workflow, version.labels, (l) => (inDip && l.isNew ? 3 : l.severity === 'critical' ? 0.02 : l.severity === 'high' ? 0.4 : 1));
  let action = correctAction(ctx.workflow, label, version, truth.priorStrikes);
  if (agent.outlier === 'over_enforcer' && draw.chance(0.3)) action = harsher(draw, version, action);
  return { labels: [label.key], action, type: 'false_positive' };
}

function harsher(draw: Draw, version: VersionView, action: string): string {
  const options = HARSHER.filter((a) => a !== action && version.actions.has(a));
  return options.length > 0 ? draw.pick(options) : action;
}

function positiveError(draw: Draw, input: JudgeInput, newLabelDip: boolean, inDip: boolean): { labels: string[]; action: string; type: DemoErrorType } {
  const { truth, ctx, agent } = input;
  const support = ctx.workflow.kind === 'support';
  const primary = truth.labels[0]!;
  const weights: Record<DemoErrorType, number> = support
    ? { false_negative: 0.35, wrong_label: 0.15, wrong_policy: 0.05, wrong_action: 0.45, false_positive: 0 }
    : { false_negative: 0.42, wrong_label: 0.25, wrong_policy: 0.1, wrong_action: 0.23, false_positive: 0 };
  if (primary.severity === 'critical') weights.wrong_action += 0.15;
  if (truth.action === 'suspend_account') weights.wrong_action *= 2; // the strike history was not checked
  if (newLabelDip) (weights.false_negative *= 2), (weights.wrong_label *= 2); // the new label is not yet known
  else if (inDip) weights.wrong_label *= 1.5;
  if (agent.outlier === 'under_enforcer') weights.false_negative *= 4;
  if (agent.outlier === 'over_enforcer') weights.wrong_action *= 2;
  const types = Object.keys(weights) as DemoErrorType[];
  let type = types[draw.weighted(types.map((t) => weights[t]))]!;

  if (type === 'wrong_label') {
    const candidates = truth.version.labels.filter((l) => l.key !== primary.key && (!newLabelDip || !l.isNew));
    if (candidates.length > 0) {
      const label = pickLabel(draw, ctx.workflow, candidates);
      return { labels: [label.key], action: correctAction(ctx.workflow, label, truth.version, truth.priorStrikes), type };
    }
    type = 'false_negative';
  }
  if (type === 'wrong_policy') {
    const options = (CONFUSABLE[truth.policyKey] ?? []).filter((p) => p in ctx.workflow.policyWeights);
    if (options.length > 0) {
      const version = ctx.policies.at(draw.pick(options), ctx.atMs);
      const label = pickLabel(draw, ctx.workflow, version.labels, (l) => (l.severity === 'critical' ? 0.02 : 1));
      return { labels: [label.key], action: correctAction(ctx.workflow, label, version, truth.priorStrikes), type };
    }
    type = 'false_negative';
  }
  if (type === 'wrong_action') {
    let options = (WRONG_ACTIONS[truth.action] ?? []).filter((a) => truth.version.actions.has(a));
    if (agent.outlier === 'over_enforcer') options = [...HARSHER.filter((a) => a !== truth.action && truth.version.actions.has(a)), ...options];
    if (options.length > 0) {
      const action = options[Math.min(options.length - 1, Math.floor(draw.u() * draw.u() * options.length))]!;
      return { labels: truth.labels.map((l) => l.key), action, type };
    }
    type = 'false_negative';
  }
  const missedAction = support ? (draw.chance(0.6) ? 'close_no_action' : 'reply_macro') : 'no_action';
  return { labels: [], action: missedAction, type: 'false_negative' };
}

/** A classifier probability that the item violates, correlated with the truth (AUC about 0.93). */
export function modelScore(draw: Draw, truth: ItemTruth): number {
  const margin = 1.9 - 2.2 * truth.ambiguity - (truth.positive && truth.labels[0]?.severity === 'low' ? 0.5 : 0);
  const z = (truth.positive ? margin : -margin) + 1.2 * draw.normal();
  return Math.round(sigmoid(z) * 10_000) / 10_000;
}

export function handleTimeMs(draw: Draw, input: { agent: AgentProfile; workflow: WorkflowModel; truth: ItemTruth; productionDays: number; judgement: Judgement }): number {
  const { agent, workflow, truth, productionDays, judgement } = input;
  let median = workflow.handleMedianMs * agent.speed;
  if (truth.positive) median *= 1.35;
  median *= 1 + 0.8 * Math.exp(-Math.max(0, productionDays) / 25);
  if (judgement.languageMismatch) median *= 1.25;
  if (judgement.error) median *= 0.88;
  if (agent.outlier === 'rusher') median *= DEMO_DECISION_STORY.outliers.rusher.handleTime;
  return Math.round(Math.min(3_600_000, Math.max(1_500, draw.lognormal(median, workflow.handleSigma))));
}

