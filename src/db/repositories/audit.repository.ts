import type { Executor } from '../database.ts';

export interface AuditInsert {
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  vendorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

export async function insertAuditEntry(db: Executor, entry: AuditInsert): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: entry.actorUserId,
      actor_label: entry.actorLabel,
      action: entry.action,
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      vendor_id: entry.vendorId ?? null,
      ip: entry.ip ?? null,
      user_agent: entry.userAgent ?? null,
      request_id: entry.requestId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditFilter {
  action?: string;
  actionPrefix?: string;
  actorUserId?: string;
  entityType?: string;
  entityId?: string;
  vendorId?: string;
  from?: Date;
  to?: Date;
  q?: string;
  before?: number;
  limit: number;
}

export async function listAuditEntries(db: Executor, filter: AuditFilter) {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actionPrefix) query = query.where('action', 'like', `${filter.actionPrefix.replace(/[%_\\]/g, '\\$&')}%`);
  if (filter.actorUserId) query = query.where('actor_user_id', '=', filter.actorUserId);
  if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.vendorId) query = query.where('vendor_id', '=', filter.vendorId);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (filter.before) query = query.where('id', '<', String(filter.before));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[%_\\]/g, '\\$&')}%`;
    query = query.where((eb) =>
      eb.or([eb('actor_label', 'ilike', pattern), eb('action', 'ilike', pattern), eb('entity_id', 'ilike', pattern)]),
    );
  }
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}
