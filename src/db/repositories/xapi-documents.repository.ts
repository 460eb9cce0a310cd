import type { Executor } from '../database.ts';

/** State, activity profile and agent profile documents of the xAPI LRS (migration 0013). */

export type DocumentKind = 'state' | 'activity_profile' | 'agent_profile';

export interface DocumentKey {
  scopeKey: string;
  kind: DocumentKind;
  activityId: string;
  agentIfi: string;
  registration: string;
}

function base(db: Executor, key: DocumentKey) {
  return db
    .selectFrom('xapi_documents')
    .where('scope_key', '=', key.scopeKey)
    .where('kind', '=', key.kind)
    .where('activity_id', '=', key.activityId)
    .where('agent_ifi', '=', key.agentIfi);
}

export async function findDocument(db: Executor, key: DocumentKey, documentId: string) {
  return base(db, key)
    .select(['content', 'content_type', 'etag', 'updated_at'])
    .where('registration', '=', key.registration)
    .where('document_id', '=', documentId)
    .executeTakeFirst();
}

/** Document ids under a key, optionally only those updated after `since`. State lists are per registration. */
export async function listDocumentIds(db: Executor, key: DocumentKey, since: Date | null): Promise<string[]> {
  let query = base(db, key).select('document_id').where('registration', '=', key.registration);
  if (since) query = query.where('updated_at', '>', since);
  return (await query.orderBy('document_id').execute()).map((r) => r.document_id);
}

export async function saveDocument(
  db: Executor,
  key: DocumentKey & { vendorId: string | null },
  documentId: string,
  doc: { content: Buffer; contentType: string; etag: string },
): Promise<void> {
  const now = new Date();
  await db
    .insertInto('xapi_documents')
    .values({
      vendor_id: key.vendorId,
      scope_key: key.scopeKey,
      kind: key.kind,
      activity_id: key.activityId,
      agent_ifi: key.agentIfi,
      registration: key.registration,
      document_id: documentId,
      content: doc.content,
      content_type: doc.contentType,
      etag: doc.etag,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['scope_key', 'kind', 'activity_id', 'agent_ifi', 'registration', 'document_id'])
        .doUpdateSet({ content: doc.content, content_type: doc.contentType, etag: doc.etag, updated_at: now }),
    )
    .execute();
}

export async function deleteDocument(db: Executor, key: DocumentKey, documentId: string): Promise<void> {
  await db
    .deleteFrom('xapi_documents')
    .where('scope_key', '=', key.scopeKey)
    .where('kind', '=', key.kind)
    .where('activity_id', '=', key.activityId)
    .where('agent_ifi', '=', key.agentIfi)
    .where('registration', '=', key.registration)
    .where('document_id', '=', documentId)
    .execute();
}

/** Deletes every state document of an activity and agent (and registration, when given). */
export async function deleteDocuments(db: Executor, key: DocumentKey): Promise<void> {
  await db
    .deleteFrom('xapi_documents')
    .where('scope_key', '=', key.scopeKey)
    .where('kind', '=', key.kind)
    .where('activity_id', '=', key.activityId)
    .where('agent_ifi', '=', key.agentIfi)
    .where('registration', '=', key.registration)
    .execute();
}
