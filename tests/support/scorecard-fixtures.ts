import type { Db } from '../../src/db/database.ts';

/** A published version 1 of a workflow's scorecard with the given definition, written directly (tests of what reads it). */
export async function publishScorecard(db: Db, workflowId: string, definition: unknown, name = 'Moderation'): Promise<{ id: string }> {
  return db
    .insertInto('scorecard_versions')
    .values({ workflow_id: workflowId, version: 1, status: 'published', name, definition: JSON.stringify(definition), published_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
}
