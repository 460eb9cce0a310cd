import type { Executor } from '../../db/database.ts';
import * as gold from '../../db/repositories/gold-items.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { Issues } from '../errors.ts';
import { wilson } from '../stats/index.ts';

/**
 * Gold items for agents' queues in the upstream tool (docs/decisions/0009).
 * The tool pulls items to inject (content only, never the expert answer) and
 * sends the agent's decision back through ordinary ingestion with the feed
 * item's opaque id as its external id; the ingest hook scores it.
 */

export interface FeedItem {
  /** Opaque: send the agent's decision on this item with this as its external_id. */
  id: string;
  workflowId: string;
  content: { kind: string; text: string | null; url: string | null; language: string | null };
  severity: string | null;
}

export async function pullGoldFeed(trx: Executor, actor: Actor, input: { workflowId: string; vendorId?: string; limit?: number }, now = new Date()): Promise<{ items: FeedItem[] }> {
  const issues = new Issues();
  const limit = input.limit ?? 10;
  issues.check(Number.isInteger(limit) && limit >= 1 && limit <= 100, '/limit', 'Ask for 1 to 100 items.');
  issues.throwIfAny();
  // A vendor-scoped tool gets its own vendor's items (or everyone's), never another's.
  const vendorId = actor.scope.kind === 'all' ? (input.vendorId?.toLowerCase() ?? null) : actor.scope.vendorId;
  const items = await gold.goldItemsToFeed(trx, input.workflowId.toLowerCase(), vendorId, limit);
  const issued = await gold.insertFeedItems(trx, items.map((i) => ({ goldItemId: i.id, workflowId: i.workflow_id, vendorId })), actor.userId, now);
  const byItem = new Map(items.map((i) => [i.id, i]));
  await audit(trx, actor, { action: 'gold_feed.pull', entityType: 'gold_feed', vendorId, details: { workflowId: input.workflowId, count: issued.length } });
  return {
    items: issued.map((f) => {
      const item = byItem.get(f.gold_item_id)!;
      return {
        id: f.id,
        workflowId: item.workflow_id,
        content: { kind: item.content_kind, text: item.content_text, url: item.content_url, language: item.content_language },
        severity: item.severity,
      };
    }),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The ingest hook. Costs nothing for a batch with no uuid-shaped external id
 * (no statement at all); otherwise one statement. Returns the ids of the
 * decisions that answered gold items.
 */
export async function matchGoldAnswers(trx: Executor, rows: ReadonlyArray<{ id: string; externalId: string }>, now: Date): Promise<Set<string>> {
  const candidates = rows.filter((r) => UUID.test(r.externalId)).map((r) => r.id);
  if (candidates.length === 0) return new Set();
  return new Set(await gold.matchFeedDecisions(trx, candidates, now));
}

/** Agents' accuracy on gold items fed upstream. */
export async function agentGoldResults(trx: Executor, _actor: Actor, filter: gold.GoldResultFilter & { confidence?: number }) {
  const rows = await gold.agentGoldCounts(trx, filter);
  const confidence = filter.confidence ?? 0.95;
  return rows.map((r) => ({
    agentId: r.agent_id,
    agentName: r.agent_name,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
    accuracy: wilson(r.correct, r.n, confidence),
    labelAccuracy: wilson(r.labels_correct, r.n, confidence),
    actionAccuracy: wilson(r.action_correct, r.n, confidence),
  }));
}
