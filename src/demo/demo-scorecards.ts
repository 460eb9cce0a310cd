import type { Executor } from '../db/database.ts';
import { systemActor } from '../domain/access/actor.ts';
import { DEFAULT_MODERATION_SCORECARD, DEFAULT_SUPPORT_SCORECARD } from '../domain/reviews/scorecard.rules.ts';
import type { ScorecardDefinition } from '../domain/reviews/scorecard.types.ts';
import { publishDefinition } from '../domain/reviews/scorecards.service.ts';
import type { DemoData } from './demo-types.ts';

/**
 * The demo's published scorecards: one moderation scorecard for video and
 * comment moderation (the label is critical and weighs most), one support
 * scorecard for user support. They go through the same draft, validate and
 * publish path as the editor, so the audit log shows them being published.
 */

const DEMO_SCORECARDS: Record<string, { name: string; definition: ScorecardDefinition }> = {
  video_moderation: { name: 'Moderation QA scorecard', definition: DEFAULT_MODERATION_SCORECARD },
  comment_moderation: { name: 'Moderation QA scorecard', definition: DEFAULT_MODERATION_SCORECARD },
  user_support: { name: 'Support QA scorecard', definition: DEFAULT_SUPPORT_SCORECARD },
};

/** Publishes version 1 of each demo workflow's scorecard; returns the version id per workflow key. */
export async function installDemoScorecards(trx: Executor, data: Pick<DemoData, 'workflows'>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const workflow of data.workflows) {
    const card = DEMO_SCORECARDS[workflow.key];
    if (!card) continue;
    const version = await publishDefinition(trx, systemActor('demo'), workflow.id, card);
    ids.set(workflow.key, version.id);
  }
  return ids;
}
