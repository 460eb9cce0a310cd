import { demoUuid } from './demo-random.ts';
import type { DemoAction, DemoWorkflow, DemoWorkflowKind } from './demo-types.ts';

/** Enforcement and support actions a decision can take. */
export const DEMO_ACTIONS: readonly DemoAction[] = [
  { key: 'no_action', name: 'No action', description: 'The item does not violate policy; leave it up unchanged.' },
  {
    key: 'remove',
    name: 'Remove content',
    description: 'Take the video or comment down for everyone. The creator is notified and can appeal.',
  },
  {
    key: 'age_restrict',
    name: 'Age-restrict (18+)',
    description: 'Keep the content up but hide it from signed-out viewers and accounts registered as under 18.',
  },
  {
    key: 'limit_reach',
    name: 'Reduce distribution',
    description: 'Keep the content up but exclude it from the For You feed, recommendations and search suggestions.',
  },
  {
    key: 'label',
    name: 'Warning screen / label',
    description:
      'Keep the content up behind an interstitial warning screen, or with an information label (graphic content, unverified claim, AI-generated).',
  },
  {
    key: 'send_resources',
    name: 'Send support resources',
    description:
      'Show the poster helpline and wellbeing resources (suicide, self-harm, eating disorders). Can accompany another action.',
  },
  {
    key: 'warn_user',
    name: 'Warn user (strike)',
    description: 'Send a policy warning and record a strike on the account. Strikes expire after 90 days; three lead to suspension.',
  },
  {
    key: 'suspend_account',
    name: 'Suspend account (temporary)',
    description: 'Lock the account for a fixed period, from 24 hours to 30 days, after repeated or serious violations.',
  },
  {
    key: 'ban_account',
    name: 'Ban account (permanent)',
    description: 'Permanently disable the account and block re-registration signals (device, phone number, payment method).',
  },
  {
    key: 'escalate_ncmec',
    name: 'Child-safety report (NCMEC)',
    description:
      'Hand off to the child-safety team: evidence is preserved and a CyberTipline report filed with NCMEC. Never download, screenshot or forward the media.',
  },
  {
    key: 'escalate_law_enforcement',
    name: 'Emergency escalation',
    description:
      'Imminent risk to life or a credible threat of violence: hand off to the emergency response team for a law-enforcement referral, within 15 minutes.',
  },
  {
    key: 'escalate_policy',
    name: 'Escalate to policy SME',
    description: 'Gray area or policy question: send to a policy SME for an expert decision. The item stays queued meanwhile.',
  },
  {
    key: 'reply_macro',
    name: 'Reply with macro',
    description: 'Answer the ticket with an approved response template, personalised where the template allows.',
  },
  {
    key: 'refund',
    name: 'Issue refund',
    description: 'Refund an in-app purchase (coins, gifts, subscriptions) within the refund policy limits.',
  },
  {
    key: 'restore_content',
    name: 'Restore content (appeal granted)',
    description: 'Reinstate content that was removed in error and reverse the strike that came with it.',
  },
  {
    key: 'reinstate_account',
    name: 'Reinstate account (appeal granted)',
    description: 'Lift a suspension or ban found to be wrong on appeal and reverse the strikes behind it.',
  },
  {
    key: 'escalate_tier2',
    name: 'Escalate to Tier 2',
    description: 'Hand the ticket to Tier 2 support: account recovery, payments, legal and law-enforcement requests.',
  },
  {
    key: 'close_no_action',
    name: 'Close without action',
    description:
      'Close the ticket with no change to content or account: appeal denied, duplicate, out of scope, or no violation found.',
  },
];

interface WorkflowSpec {
  key: string;
  name: string;
  kind: DemoWorkflowKind;
  /** How teams on this workflow are named: 'Video Mod – Team Aurora'. */
  teamPrefix: string;
  description: string;
  policyKeys: string[];
}

export const WORKFLOW_SPECS: readonly WorkflowSpec[] = [
  {
    key: 'video_moderation',
    name: 'Short-video moderation',
    kind: 'moderation',
    teamPrefix: 'Video Mod',
    description:
      'Uploaded short videos flagged by classifiers or user reports, reviewed in full with audio, caption and on-screen text. Target handle time 45 s; high-severity queues (child safety, extremism) are prioritised.',
    policyKeys: [
      'hate_speech',
      'harassment',
      'child_safety',
      'violent_graphic',
      'violent_extremism',
      'self_harm',
      'adult_nudity',
      'regulated_goods',
      'spam_scams',
      'misinformation',
      'privacy',
    ],
  },
  {
    key: 'comment_moderation',
    name: 'Comments moderation',
    kind: 'moderation',
    teamPrefix: 'Comments Mod',
    description:
      'Comments and replies under videos, reviewed with the parent video and the thread for context. Target handle time 15 s; bulk actions on spam waves.',
    policyKeys: [
      'hate_speech',
      'harassment',
      'child_safety',
      'violent_extremism',
      'self_harm',
      'adult_nudity',
      'regulated_goods',
      'spam_scams',
      'misinformation',
      'privacy',
    ],
  },
  {
    key: 'user_support',
    name: 'User support & appeals',
    kind: 'support',
    teamPrefix: 'Support',
    description:
      'Tickets from users: appeals of enforcement decisions, hacked and locked accounts, impersonation and privacy reports, scams and payment issues. First response target 24 h.',
    policyKeys: ['account_integrity', 'spam_scams', 'impersonation', 'privacy', 'harassment'],
  },
];

export function buildWorkflows(seed: number): DemoWorkflow[] {
  return WORKFLOW_SPECS.map((spec) => ({
    id: demoUuid(seed, `workflow:${spec.key}`),
    key: spec.key,
    name: spec.name,
    kind: spec.kind,
    description: spec.description,
    policyKeys: [...spec.policyKeys],
  }));
}

export function teamPrefixOf(workflowKey: string): string {
  const spec = WORKFLOW_SPECS.find((w) => w.key === workflowKey);
  if (!spec) throw new Error(`Unknown workflow ${workflowKey}`);
  return spec.teamPrefix;
}
