import type { Executor } from '../../db/database.ts';
import { listAuditingSettings, upsertAuditingSettings, type AuditingSettingsRow } from '../../db/repositories/gold-items.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { Issues, notFound } from '../errors.ts';
import { requireInternal } from './auditing-access.ts';

/** Per workflow: gold injection rate, double-review share, leniency tolerance and the draws' seed. */
export interface AuditingSettings {
  workflowId: string;
  workflowName: string;
  goldRate: number;
  doubleReviewRate: number;
  leniencyTolerance: number;
  seed: string;
  activeGoldItems: number;
  updatedAt: string | null;
}

function present(row: AuditingSettingsRow): AuditingSettings {
  return {
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    goldRate: row.gold_rate,
    doubleReviewRate: row.double_review_rate,
    leniencyTolerance: row.leniency_tolerance,
    seed: row.seed,
    activeGoldItems: row.active_gold_items,
    updatedAt: row.updated_at?.toISOString() ?? null,
  };
}

export async function listSettings(trx: Executor, actor: Actor): Promise<AuditingSettings[]> {
  // The seed would let a vendor work out which of its reviews are re-reviewed: internal QA's only.
  return (await listAuditingSettings(trx)).map((row) => ({ ...present(row), seed: actor.scope.kind === 'all' ? row.seed : '' }));
}

export const SETTING_LIMITS = { goldRate: [0, 0.2], doubleReviewRate: [0, 1], leniencyTolerance: [0, 0.5] } as const;

export async function updateSettings(
  trx: Executor,
  actor: Actor,
  workflowId: string,
  input: { goldRate?: number; doubleReviewRate?: number; leniencyTolerance?: number; seed?: string },
  now = new Date(),
): Promise<AuditingSettings> {
  requireInternal(actor, 'change auditing settings');
  const issues = new Issues();
  for (const key of ['goldRate', 'doubleReviewRate', 'leniencyTolerance'] as const) {
    const value = input[key];
    const [min, max] = SETTING_LIMITS[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= min && value <= max)) issues.add(`/${key}`, `Use a share between ${min} and ${max}.`);
  }
  if (input.seed !== undefined && input.seed.trim().length === 0) issues.add('/seed', 'The seed cannot be empty.');
  issues.throwIfAny();
  const id = workflowId.toLowerCase();
  const [before] = await listAuditingSettings(trx, id);
  if (!before) throw notFound('Workflow');
  await upsertAuditingSettings(
    trx,
    id,
    {
      ...(input.goldRate !== undefined && { gold_rate: input.goldRate }),
      ...(input.doubleReviewRate !== undefined && { double_review_rate: input.doubleReviewRate }),
      ...(input.leniencyTolerance !== undefined && { leniency_tolerance: input.leniencyTolerance }),
      ...(input.seed !== undefined && { seed: input.seed.trim() }),
    },
    actor.userId,
    now,
  );
  const [after] = await listAuditingSettings(trx, id);
  await audit(trx, actor, {
    action: 'auditing.settings',
    entityType: 'workflow',
    entityId: id,
    vendorId: null,
    details: { goldRate: [before.gold_rate, after!.gold_rate], doubleReviewRate: [before.double_review_rate, after!.double_review_rate], leniencyTolerance: [before.leniency_tolerance, after!.leniency_tolerance] },
  });
  return present(after!);
}
