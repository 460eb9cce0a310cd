import type { Executor } from '../../db/database.ts';
import { insertAuditEntry, listAuditEntries, type AuditFilter, type AuditInsert } from '../../db/repositories/audit.repository.ts';
import type { Actor } from '../access/actor.ts';

/**
 * The audit log is append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE for every role) and is written in the caller's transaction, so an
 * action and its entry land or fail together.
 */
export interface AuditEvent {
  action: string;
  entityType?: string;
  entityId?: string;
  vendorId?: string | null;
  details?: Record<string, unknown>;
}

export async function audit(trx: Executor, actor: Actor, event: AuditEvent): Promise<void> {
  await insertAuditEntry(trx, auditEntry(actor, event));
}

/** The row an event becomes, for statements that write it together with the change it records. */
export function auditEntry(actor: Actor, event: AuditEvent): AuditInsert {
  return {
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action: event.action,
    entityType: event.entityType ?? null,
    entityId: event.entityId ?? null,
    // An entry with no vendor of its own is filed under the actor's vendor, so
    // a vendor's own people can later be shown what happened in their scope.
    vendorId: event.vendorId === undefined ? actor.scope.vendorId : event.vendorId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    requestId: actor.requestId,
    details: event.details ?? {},
  };
}

export interface AuditEntry {
  id: number;
  at: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  vendorId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export async function browseAudit(
  trx: Executor,
  filter: AuditFilter,
): Promise<{ items: AuditEntry[]; nextBefore: number | null }> {
  const rows = await listAuditEntries(trx, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const items = page.map((row) => ({
    id: Number(row.id),
    at: row.at.toISOString(),
    actorUserId: row.actor_user_id,
    actorLabel: row.actor_label,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    vendorId: row.vendor_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  }));
  const last = items.at(-1);
  return { items, nextBefore: rows.length > filter.limit && last ? last.id : null };
}
