import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/calibration.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { Issues } from '../errors.ts';
import { parseRatingsCsv, type RatingsColumns } from './calibration-csv.rules.ts';
import { sessionResults } from './calibration-results.service.ts';

/**
 * Import of external ratings: a long CSV of (item, rater, label) becomes a
 * closed calibration session whose participants are the named external
 * raters (not users), so its agreement figures are computed by the same code
 * as any session's. The file is checked whole before anything is written, and
 * the whole import is one transaction: a bad file leaves nothing behind.
 */

export const MAX_IMPORT_ITEMS = 20_000;
export const MAX_IMPORT_RATERS = 200;

export interface ImportInput {
  title: string;
  csv: string;
  columns?: RatingsColumns;
  vendorId?: string | null;
}

export async function importRatings(trx: Executor, actor: Actor, input: ImportInput, now = new Date()) {
  const issues = new Issues();
  const title = input.title.trim();
  issues.check(title.length >= 1 && title.length <= 200, '/title', 'A title of 1 to 200 characters.');
  let vendorId: string | null = input.vendorId ?? null;
  if (actor.scope.kind !== 'all') {
    if (vendorId !== null && vendorId !== actor.scope.vendorId) issues.add('/vendorId', 'You can import for your own vendor only.');
    vendorId = actor.scope.vendorId;
  }
  issues.throwIfAny();
  const { field, ratings } = parseRatingsCsv(input.csv, input.columns);
  const itemRefs = [...new Set(ratings.map((r) => r.item))];
  const raters = [...new Set(ratings.map((r) => r.rater))];
  if (itemRefs.length > MAX_IMPORT_ITEMS) issues.add('/csv', `At most ${MAX_IMPORT_ITEMS} items in one import.`);
  if (raters.length > MAX_IMPORT_RATERS) issues.add('/csv', `At most ${MAX_IMPORT_RATERS} raters in one import.`);
  issues.throwIfAny();

  const id = await repo.insertSession(trx, {
    title, kind: 'imported', workflowId: null, scorecardVersionId: null, labelOptions: [], actionOptions: [], ratingField: field, vendorId, dueAt: null,
    createdByUserId: actor.userId, createdByLabel: actor.label,
  });
  const itemIds = await repo.insertItems(trx, id, itemRefs.map((ref, i) => ({ position: i + 1, source: 'imported' as const, externalRef: ref, contentKind: 'reference' })));
  const itemId = new Map(itemRefs.map((ref, i) => [ref, itemIds[i]!]));
  const participants = await repo.insertParticipants(trx, id, raters.map((name) => ({ personId: null, externalName: name, group: 'external' as const, vendorId: null })));
  const participantId = new Map(participants.map((p) => [p.external_name!, p.id]));
  await repo.insertRatings(trx, id, ratings.map((r) => ({ itemId: itemId.get(r.item)!, participantId: participantId.get(r.rater)!, labelCategory: r.value, labels: [], action: null, answers: [] })));
  await repo.closeSession(trx, id, actor.label, now);
  await audit(trx, actor, { action: 'calibration.import', entityType: 'calibration_session', entityId: id, vendorId, details: { title, field, items: itemRefs.length, raters: raters.length, ratings: ratings.length } });
  return sessionResults(trx, actor, id);
}
