import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/**
 * The quality rollups (migration 0006) are written by triggers on reviews;
 * here they are only rebuilt and snapshotted. The rebuild runs the very
 * functions the triggers run, over every review, inside one transaction.
 */

export const ROLLUP_TABLES = ['quality_rollup', 'quality_rollup_agent', 'quality_rollup_team', 'quality_rollup_vendor', 'quality_label_rollup', 'quality_label_rollup_vendor', 'quality_error_rollup', 'quality_error_rollup_vendor', 'quality_design_strata'] as const;
export type RollupTable = (typeof ROLLUP_TABLES)[number];

/** Recomputes every rollup from the reviews; returns how many reviews it read. */
export async function rebuildRollups(db: Executor): Promise<number> {
  const { rows } = await sql<{ reviews: number }>`SELECT assay_rollups_rebuild() AS reviews`.execute(db);
  return rows[0]!.reviews;
}

/** Every row of a rollup table in a stable order (keys come first and are unique), zero rows (fully subtracted) left out. */
export async function rollupRows(db: Executor, table: RollupTable): Promise<Array<Record<string, unknown>>> {
  const nonZero = table === 'quality_label_rollup' || table === 'quality_label_rollup_vendor' ? sql`n_tp + n_fp + n_fn <> 0` : sql`n <> 0`;
  const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} AS t WHERE ${nonZero} ORDER BY t::text`.execute(db);
  return rows;
}
