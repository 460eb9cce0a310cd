import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/** A reviewer's autosaved work in progress on a task (one row per task). */

export async function findDraft(db: Executor, taskId: string) {
  return db.selectFrom('review_drafts').selectAll().where('task_id', '=', taskId).executeTakeFirst();
}
export type DraftRow = NonNullable<Awaited<ReturnType<typeof findDraft>>>;

export interface NewDraft {
  task_id: string;
  reviewer_id: string;
  scorecard_version_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
}

/** Creates the draft, or hands it to a new reviewer who took the task over (their own start, nothing of the last one's). */
export async function upsertDraft(db: Executor, draft: NewDraft): Promise<DraftRow> {
  await db.deleteFrom('review_drafts').where('task_id', '=', draft.task_id).execute();
  return db.insertInto('review_drafts').values(draft).returningAll().executeTakeFirstOrThrow();
}

export async function saveAnswers(db: Executor, taskId: string, answers: unknown | undefined, activeMsDelta: number): Promise<DraftRow> {
  return db
    .updateTable('review_drafts')
    .set(() => ({
      ...(answers !== undefined && { answers: JSON.stringify(answers) }),
      active_ms: sql<string>`active_ms + ${activeMsDelta}::bigint`,
      updated_at: new Date(),
    }))
    .where('task_id', '=', taskId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function saveVerdict(db: Executor, taskId: string, verdict: unknown, revealAt: Date | null): Promise<DraftRow> {
  return db
    .updateTable('review_drafts')
    .set((eb) => ({
      verdict: JSON.stringify(verdict),
      decision_revealed_at: eb.fn.coalesce('decision_revealed_at', eb.val(revealAt)),
      updated_at: new Date(),
    }))
    .where('task_id', '=', taskId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteDraft(db: Executor, taskId: string): Promise<void> {
  await db.deleteFrom('review_drafts').where('task_id', '=', taskId).execute();
}
