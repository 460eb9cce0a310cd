import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/wellbeing.repository.ts';
import type { Actor } from '../access/actor.ts';
import { hasPermission } from '../access/roles.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, notFound } from '../errors.ts';

/**
 * Exposure tracking: what each person was shown, by harm type and seconds.
 * A person sees their own; leads see aggregates per vendor and harm type,
 * never a person's figures (the row-level policy also keeps scoped leads to
 * their own vendor's viewers).
 */

export interface ExposureInput {
  decisionId: string;
  event: 'view' | 'reveal';
  seconds: number;
}

export async function recordExposure(trx: Executor, actor: Actor, input: ExposureInput): Promise<{ id: string; harmType: string; severity: string | null }> {
  if (!actor.userId) throw new AppError('FORBIDDEN', 'Exposure is recorded for signed-in users.');
  const harm = await repo.decisionHarm(trx, input.decisionId.toLowerCase());
  if (!harm) throw notFound('Decision');
  const id = await repo.insertExposure(trx, {
    user_id: actor.userId,
    person_id: actor.personId,
    decision_id: harm.id,
    harm_type: harm.harmType,
    severity: harm.harmSeverity,
    event: input.event,
    seconds: Math.round(input.seconds * 10) / 10,
    viewer_vendor_id: actor.scope.vendorId,
  });
  if (input.event === 'reveal') {
    await audit(trx, actor, {
      action: 'decision.content_reveal',
      entityType: 'decision',
      entityId: harm.id,
      vendorId: harm.vendor_id,
      details: { harmType: harm.harmType, severity: harm.harmSeverity },
    });
  }
  return { id, harmType: harm.harmType, severity: harm.harmSeverity };
}

interface HarmFigures {
  harmType: string;
  seconds: number;
  items: number;
  reveals: number;
}

function figures(rows: Array<{ harm_type: string; seconds: number; items: number; reveals: number }>): { totalSeconds: number; totalItems: number; byHarmType: HarmFigures[] } {
  const byHarmType = rows.map((r) => ({ harmType: r.harm_type, seconds: Math.round(Number(r.seconds) * 10) / 10, items: r.items, reveals: r.reveals }));
  return {
    totalSeconds: Math.round(byHarmType.reduce((s, r) => s + r.seconds, 0) * 10) / 10,
    totalItems: byHarmType.reduce((s, r) => s + r.items, 0),
    byHarmType,
  };
}

export async function myExposure(trx: Executor, actor: Actor, now = new Date()) {
  if (!actor.userId) throw new AppError('FORBIDDEN', 'Exposure is recorded for signed-in users.');
  return {
    last7Days: figures(await repo.exposureOfUser(trx, actor.userId, 7, now)),
    last30Days: figures(await repo.exposureOfUser(trx, actor.userId, 30, now)),
  };
}

export async function exposureSummary(trx: Executor, actor: Actor, days: number, now = new Date()) {
  if (!hasPermission(actor.role, 'wellbeing.manage') && !hasPermission(actor.role, 'qa.manage')) {
    throw new AppError('FORBIDDEN', 'Your role does not allow this.');
  }
  const rows = await repo.exposureSummary(trx, days, now);
  return {
    days,
    items: rows.map((r) => ({
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      harmType: r.harm_type,
      people: r.people,
      items: r.items,
      seconds: Math.round(Number(r.seconds) * 10) / 10,
      reveals: r.reveals,
    })),
  };
}
