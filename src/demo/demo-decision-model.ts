import { parseDay } from './demo-random.ts';
import type { DemoData, DemoSeverity } from './demo-types.ts';

/**
 * The latent model behind the demo decisions: how much work each workflow
 * produces and what its items truly are, the policies as the generator sees
 * them, the correct actions, and the effects that bend agents' decisions away
 * from the truth. Every constant here is a story a later dashboard should
 * tell; DEMO_DECISION_STORY names them. Agents and sites are in
 * demo-agents.ts, the error process in demo-judgement.ts.
 */

const DAY_MS = 86_400_000;
export const dayNumber = (day: string): number => Math.round(parseDay(day) / DAY_MS);
const dayStrings = new Map<number, string>();
/** 'YYYY-MM-DD' of a day number (memoised: it is on the per-decision path). */
export function dayString(n: number): string {
  let text = dayStrings.get(n);
  if (text === undefined) dayStrings.set(n, (text = new Date(n * DAY_MS).toISOString().slice(0, 10)));
  return text;
}

/** The demo window: the local days from this many days before `today` up to `today` (cut at `until`). */
export const WINDOW_DAYS = 90;
/** New hires spend two weeks in the classroom before their first production decision. */
export const CLASSROOM_DAYS = 14;

export type WorkflowKey = 'video_moderation' | 'comment_moderation' | 'user_support';

export interface WorkflowModel {
  key: WorkflowKey;
  kind: 'moderation' | 'support';
  source: 'modtool' | 'helpdesk';
  /** Prefix of the external id: 'v', 'c', 'HD'. */
  code: string;
  contentKind: 'video' | 'comment' | 'ticket';
  /**
   * Decisions per agent per working day at scale 1. This is the share of an
   * agent's work the upstream tools route to Assay (sampled queues, not every
   * item an agent touches: a video moderator clears 400-600 items a shift).
   */
  perAgentDay: number;
  /** Share of items that truly violate (reported queues, so well above the platform's base rate). */
  positiveRate: number;
  /** Relative weight of each policy among positives (and among what negatives were reported for). */
  policyWeights: Record<string, number>;
  /** Per-label weight overrides for this workflow (default by severity, see labelWeight). */
  labelWeights: Record<string, number>;
  /** Handle time: lognormal median and log-sigma. */
  handleMedianMs: number;
  handleSigma: number;
  /** Share of items carrying a classifier score (moderation only). */
  scoreShare: number;
}

export const WORKFLOW_MODELS: Record<WorkflowKey, WorkflowModel> = {
  video_moderation: {
    key: 'video_moderation',
    kind: 'moderation',
    source: 'modtool',
    code: 'v',
    contentKind: 'video',
    perAgentDay: 26,
    positiveRate: 0.32,
    policyWeights: {
      spam_scams: 14, adult_nudity: 16, violent_graphic: 12, hate_speech: 10, harassment: 9, regulated_goods: 9,
      misinformation: 8, self_harm: 6, child_safety: 6, privacy: 5, violent_extremism: 5,
    },
    labelWeights: {},
    handleMedianMs: 38_000,
    handleSigma: 0.5,
    scoreShare: 0.8,
  },
  comment_moderation: {
    key: 'comment_moderation',
    kind: 'moderation',
    source: 'modtool',
    code: 'c',
    contentKind: 'comment',
    perAgentDay: 35,
    positiveRate: 0.36,
    policyWeights: {
      harassment: 30, hate_speech: 20, spam_scams: 22, adult_nudity: 6, regulated_goods: 5, misinformation: 4,
      self_harm: 4, child_safety: 4, privacy: 3, violent_extremism: 2,
    },
    labelWeights: {
      'adult.explicit_activity': 0.15, 'adult.nudity': 0.15, 'adult.solicitation': 1.6,
      'child_safety.csam': 0.06, 'child_safety.nonsexual_nudity': 0.1, 'child_safety.grooming': 0.5, 'child_safety.sexualisation': 1.2,
      'privacy.covert_recording': 0.1, 'misinfo.manipulated_media': 0.2, 'extremism.attack_footage': 0.05,
      'spam.commercial': 1.6, 'spam.phishing': 1.2,
    },
    handleMedianMs: 11_000,
    handleSigma: 0.6,
    scoreShare: 0.8,
  },
  user_support: {
    key: 'user_support',
    kind: 'support',
    source: 'helpdesk',
    code: 'HD',
    contentKind: 'ticket',
    perAgentDay: 12,
    positiveRate: 0.55,
    policyWeights: { account_integrity: 42, spam_scams: 25, impersonation: 15, privacy: 10, harassment: 8 },
    labelWeights: {
      'spam.scam': 1.5, 'spam.phishing': 1, 'spam.commercial': 0.2, 'spam.fake_engagement': 0.3,
      'privacy.covert_recording': 0.2, 'harassment.credible_threat': 0.15, 'harassment.minor_target': 0.4,
    },
    handleMedianMs: 330_000,
    handleSigma: 0.55,
    scoreShare: 0,
  },
};

/** Default weight of a label among its policy's positives, by severity: critical labels are rare but present. */
const SEVERITY_WEIGHT: Record<DemoSeverity, number> = { low: 1, medium: 1, high: 0.7, critical: 0.08 };
/** Labels added by a new version are common once in force (that is why they were added). */
const NEW_LABEL_WEIGHT = 1.1;

// ---------------------------------------------------------------------------
// The stories, as numbers (logit shifts of the error probability).

export const DEMO_DECISION_STORY = {
  /** Vendor main effects on the error logit: the in-house team is strongest. */
  vendorEffect: { inhouse: -0.55, coralpoint: 0, vayuteq: 0.15, tidewell: 0.08 } as Record<string, number>,
  /** One BPO clearly weaker on one policy (cultural context of insults and bullying). */
  weakVendorPolicy: { vendorKey: 'vayuteq', policyKey: 'harassment', effect: 0.85 },
  /** Tenure: new hires start at +1.4 logits, the gap halving about every 15 production days. */
  tenure: { start: 1.4, decayDays: 22 },
  /**
   * After a policy's new version takes effect, errors on it rise for a week and
   * fade over the next two (in-house, briefed first, dips less). hate_speech's
   * coded-language label is the clearest.
   */
  policyChangeDip: { hate_speech: 1.5, misinformation: 0.9, privacy: 0.85, self_harm: 0.8, regulated_goods: 0.7 } as Record<string, number>,
  dipPlateauDays: 7,
  dipDecayDays: 6,
  dipInHouseFactor: 0.55,
  /** Content in a language the agent does not list. */
  languageMismatch: 0.75,
  /** Night shifts (starting 20:00-02:00 local). */
  nightShift: 0.12,
  /** Agents with clear outlier behaviour (picked per seed, see pickOutliers). */
  outliers: {
    over_enforcer: { vendorKey: 'coralpoint', workflowKey: 'comment_moderation', falsePositive: 2.1 },
    under_enforcer: { vendorKey: 'tidewell', workflowKey: 'video_moderation', missed: 1.7 },
    rusher: { vendorKey: 'vayuteq', workflowKey: 'video_moderation', error: 0.75, handleTime: 0.45 },
  },
  /** Comment spam waves: days before today, extra spam share and volume. */
  spamWaves: [
    { fromDaysAgo: 63, toDaysAgo: 61 },
    { fromDaysAgo: 19, toDaysAgo: 18 },
  ],
  spamWaveExtraPositive: 0.18,
  spamWaveVolume: 1.25,
  /** The vendor whose QA team runs late (QA turnaround SLA story, applied by the loader). */
  lateQaVendorKey: 'tidewell',
} as const;

export type OutlierKind = keyof typeof DEMO_DECISION_STORY.outliers;

// ---------------------------------------------------------------------------
// Policies as the generator sees them.

export interface LabelView {
  key: string;
  policyKey: string;
  severity: DemoSeverity;
  /** Added by this version (not in the previous one). */
  isNew: boolean;
}

export interface VersionView {
  policyKey: string;
  version: number;
  fromMs: number;
  labels: LabelView[];
  labelByKey: Map<string, LabelView>;
  actions: Set<string>;
}

export class PolicyView {
  readonly #versions = new Map<string, VersionView[]>();

  constructor(data: DemoData) {
    for (const policy of data.policies) {
      const views: VersionView[] = [];
      let previous = new Set<string>();
      for (const version of policy.versions) {
        const labels = version.labels.map((l) => ({ key: l.key, policyKey: policy.key, severity: l.severity, isNew: version.version > 1 && !previous.has(l.key) }));
        views.push({
          policyKey: policy.key,
          version: version.version,
          fromMs: Date.parse(version.effectiveFrom),
          labels,
          labelByKey: new Map(labels.map((l) => [l.key, l])),
          actions: new Set(version.allowedActions),
        });
        previous = new Set(version.labels.map((l) => l.key));
      }
      this.#versions.set(policy.key, views);
    }
  }

  /** The version in force at an instant (ms); the first version if none yet. */
  at(policyKey: string, ms: number): VersionView {
    const versions = this.#versions.get(policyKey);
    if (!versions) throw new Error(`Unknown policy ${policyKey}`);
    let found = versions[0]!;
    for (const v of versions) if (v.fromMs <= ms) found = v;
    return found;
  }

  /** Start of the newest version in force at ms, if it is a revision (version > 1). */
  revisionStart(policyKey: string, ms: number): number | null {
    const v = this.at(policyKey, ms);
    return v.version > 1 && v.fromMs <= ms ? v.fromMs : null;
  }

  /** Every revision (version > 1): policy key and effective instant. */
  revisions(): Array<{ policyKey: string; version: number; fromMs: number }> {
    return [...this.#versions.values()].flatMap((vs) => vs.filter((v) => v.version > 1).map((v) => ({ policyKey: v.policyKey, version: v.version, fromMs: v.fromMs })));
  }
}

export function labelWeight(workflow: WorkflowModel, label: LabelView): number {
  return workflow.labelWeights[label.key] ?? (label.isNew ? NEW_LABEL_WEIGHT : SEVERITY_WEIGHT[label.severity]);
}

/** Weights in a form the hot loop can draw from without allocating. */
export interface WeightTable<T> {
  values: T[];
  weights: number[];
  total: number;
}

export function weightTable<T>(values: T[], weightOf: (value: T) => number): WeightTable<T> {
  const weights = values.map(weightOf);
  return { values, weights, total: weights.reduce((a, b) => a + b, 0) };
}

const policyTables = new Map<string, WeightTable<string>>();
/** The workflow's policies weighted by their share of positives. */
export function policyTable(workflow: WorkflowModel): WeightTable<string> {
  let table = policyTables.get(workflow.key);
  if (!table) policyTables.set(workflow.key, (table = weightTable(Object.keys(workflow.policyWeights), (k) => workflow.policyWeights[k]!)));
  return table;
}

const labelTables = new WeakMap<VersionView, Map<string, WeightTable<LabelView>>>();
/** A version's labels weighted for this workflow (labelWeight). */
export function labelTable(workflow: WorkflowModel, version: VersionView): WeightTable<LabelView> {
  let byWorkflow = labelTables.get(version);
  if (!byWorkflow) labelTables.set(version, (byWorkflow = new Map()));
  let table = byWorkflow.get(workflow.key);
  if (!table) byWorkflow.set(workflow.key, (table = weightTable(version.labels, (l) => labelWeight(workflow, l))));
  return table;
}

/**
 * The correct action for one label (moderation): what an expert reviewer
 * expects, before the strike rule (medium/high removals become a suspension
 * on the third strike).
 */
export function defaultModerationAction(label: LabelView, version: VersionView): string {
  switch (label.key) {
    case 'harassment.credible_threat':
    case 'self_harm.imminent_risk':
    case 'extremism.recruitment':
      return 'escalate_law_enforcement';
    case 'child_safety.csam':
    case 'child_safety.grooming':
      return 'escalate_ncmec';
    case 'extremism.attack_footage':
    case 'adult.ncii':
    case 'spam.scam':
    case 'spam.phishing':
      return 'ban_account';
    case 'violent_graphic.real_world_violence':
    case 'adult.suggestive':
    case 'regulated.drug_use':
    case 'regulated.alcohol_tobacco':
      return 'age_restrict';
    case 'violent_graphic.newsworthy':
    case 'misinfo.crisis_unverified':
    case 'misinfo.undisclosed_ai':
      return 'label';
    case 'misinfo.manipulated_media':
      // v2 moved it to high severity: remove instead of label.
      return label.severity === 'high' ? 'remove' : 'label';
    case 'self_harm.ideation':
      return 'send_resources';
    case 'self_harm.recovery_context':
      // v2: healed-scar recovery content goes behind a warning screen.
      return version.actions.has('label') ? 'label' : 'send_resources';
    default:
      return 'remove';
  }
}

/** The correct action for a support ticket with this label. */
export function defaultSupportAction(label: LabelView): string {
  switch (label.key) {
    case 'account.fake_account':
    case 'impersonation.undisclosed_parody':
    case 'privacy.own_information':
      return 'reply_macro';
    default:
      if (label.policyKey === 'spam_scams' || label.policyKey === 'harassment') return label.severity === 'critical' ? 'escalate_tier2' : 'reply_macro';
      return 'escalate_tier2';
  }
}

export function strikeAdjusted(action: string, label: LabelView, priorStrikes: number): string {
  return action === 'remove' && priorStrikes >= 2 && (label.severity === 'high' || label.severity === 'medium') ? 'suspend_account' : action;
}

// ---------------------------------------------------------------------------
// Effects over time.

export function tenureEffect(productionDays: number): number {
  const { start, decayDays } = DEMO_DECISION_STORY.tenure;
  return start * Math.exp(-Math.max(0, productionDays) / decayDays);
}

/** New hires handle fewer items while they ramp up. */
export function rampUp(productionDays: number): number {
  return 0.55 + 0.45 * (1 - Math.exp(-Math.max(0, productionDays) / 20));
}

/** The policy-change dip on the error logit, `ms` after the policy's revision took effect. */
export function policyChangeDip(policyKey: string, sinceMs: number, inHouse: boolean): number {
  const amplitude = DEMO_DECISION_STORY.policyChangeDip[policyKey] ?? 0;
  if (amplitude === 0 || sinceMs < 0) return 0;
  const days = sinceMs / DAY_MS;
  const shape = days < DEMO_DECISION_STORY.dipPlateauDays ? 1 : Math.exp(-(days - DEMO_DECISION_STORY.dipPlateauDays) / DEMO_DECISION_STORY.dipDecayDays);
  return amplitude * shape * (inHouse ? DEMO_DECISION_STORY.dipInHouseFactor : 1);
}
