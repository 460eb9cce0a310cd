import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/escalations.repository.ts';
import type { Actor } from '../access/actor.ts';
import { hasPermission } from '../access/roles.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, invalid, notFound } from '../errors.ts';

/**
 * Gray-area escalations: a reviewer flags "policy unclear" on submission; a
 * policy SME answers. Full triage (routing, SLAs) comes later.
 */

function present(row: repo.EscalationRow) {
  return {
    id: row.id,
    kind: row.kind,
    decisionId: row.decision_id,
    taskId: row.task_id,
    labels: row.labels,
    note: row.note,
    status: row.status,
    answer: row.answer,
    raisedByLabel: row.raised_by_label,
    answeredByLabel: row.answered_by_label,
    answeredAt: row.answered_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    vendorId: row.vendor_id,
  };
}
export type Escalation = ReturnType<typeof present>;

/** Policy SMEs answer escalations; QA managers watch them. */
function requireTriage(actor: Actor): void {
  if (!hasPermission(actor.role, 'escalations.answer') && !hasPermission(actor.role, 'qa.manage')) {
    throw new AppError('FORBIDDEN', 'Your role does not allow this.');
  }
}

export async function listEscalations(trx: Executor, actor: Actor, filter: { status?: repo.EscalationStatus; workflowId?: string }, page: Page) {
  requireTriage(actor);
  const rows = await repo.listEscalations(trx, filter, page);
  const total = rows.length < page.limit && (rows.length > 0 || page.offset === 0) ? page.offset + rows.length : await repo.countEscalations(trx, filter);
  return { items: rows.map(present), total };
}

export async function answerEscalation(trx: Executor, actor: Actor, id: string, answer: string, now = new Date()): Promise<Escalation> {
  const text = answer.trim();
  if (text.length === 0) throw invalid([{ path: '/answer', message: 'Write the answer.' }]);
  const row = await repo.findEscalation(trx, id, { forUpdate: true });
  if (!row) throw notFound('Escalation');
  if (row.status !== 'open') throw conflict('This escalation was already answered.');
  await repo.answerEscalation(trx, row.id, text, actor.userId, now);
  await audit(trx, actor, { action: 'escalation.answer', entityType: 'escalation', entityId: row.id, vendorId: row.vendor_id, details: { decisionId: row.decision_id } });
  return present((await repo.findEscalation(trx, row.id))!);
}
