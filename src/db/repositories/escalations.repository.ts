import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { Page } from './pagination.ts';

/** Gray-area escalations ("policy unclear"), scoped like the decision they are about. */

export interface NewEscalation {
  decision_id: string;
  task_id: string | null;
  labels: string[];
  note: string;
  raised_by_user_id: string | null;
  raised_by_label: string;
  workflow_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
}

export async function insertEscalation(db: Executor, values: NewEscalation): Promise<string> {
  const row = await db.insertInto('escalations').values({ ...values, kind: 'policy_unclear' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export type EscalationStatus = 'open' | 'answered' | 'closed';

function base(db: Executor) {
  return db
    .selectFrom('escalations as e')
    .innerJoin('workflows as w', 'w.id', 'e.workflow_id')
    .select([
      'e.id', 'e.kind', 'e.decision_id', 'e.task_id', 'e.labels', 'e.note', 'e.status', 'e.answer', 'e.raised_by_label', 'e.answered_at',
      'e.created_at', 'e.workflow_id', 'w.name as workflow_name', 'e.vendor_id',
    ])
    .select(sql<string | null>`(SELECT u.email FROM users u WHERE u.id = e.answered_by_user_id)`.as('answered_by_label'));
}
export type EscalationRow = NonNullable<Awaited<ReturnType<typeof findEscalation>>>;

export async function listEscalations(db: Executor, filter: { status?: EscalationStatus; workflowId?: string }, page: Page) {
  let query = base(db);
  if (filter.status) query = query.where('e.status', '=', filter.status);
  if (filter.workflowId) query = query.where('e.workflow_id', '=', filter.workflowId);
  return query.orderBy('e.created_at', 'desc').orderBy('e.id').limit(page.limit).offset(page.offset).execute();
}

export async function countEscalations(db: Executor, filter: { status?: EscalationStatus; workflowId?: string }): Promise<number> {
  let query = db.selectFrom('escalations as e').select(sql<number>`count(*)::int`.as('n'));
  if (filter.status) query = query.where('e.status', '=', filter.status);
  if (filter.workflowId) query = query.where('e.workflow_id', '=', filter.workflowId);
  return (await query.executeTakeFirstOrThrow()).n;
}

export async function findEscalation(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  const query = base(db).where('e.id', '=', id);
  return (options.forUpdate ? query.forUpdate('e') : query).executeTakeFirst();
}

export async function answerEscalation(db: Executor, id: string, answer: string, userId: string | null, now: Date): Promise<void> {
  await db.updateTable('escalations').set({ status: 'answered', answer, answered_by_user_id: userId, answered_at: now }).where('id', '=', id).execute();
}
