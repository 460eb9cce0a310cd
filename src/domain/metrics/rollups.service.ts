import type { Executor } from '../../db/database.ts';
import { rebuildRollups, rollupRows, ROLLUP_TABLES, type RollupTable } from '../../db/repositories/rollups.repository.ts';
import { pendingRunningTermDays, refreshRunningTerms, runningTermRows } from '../../db/repositories/metrics-running-terms.repository.ts';

/**
 * The quality rollups are the metrics engine's only input: sums per design
 * stratum and slice (docs/decisions/0007), kept current by triggers as
 * reviews are written and revised. A rebuild recomputes them from the reviews
 * and must leave them exactly as the triggers did; `compareRollups` says where
 * two states differ (sums compared to a relative 1e-9: the order of
 * floating-point additions differs between the two paths).
 */

/**
 * The rollups only: the running variance terms derived from them (migration 0016) lag by design until
 * the next refresh, and a rebuild recomputes them at its end (metrics-running-terms.test.ts checks them
 * against a recomputation from scratch, `runningTermsSnapshot`).
 */
export type RollupSnapshot = Record<RollupTable, Array<Record<string, unknown>>>;

export async function snapshotRollups(trx: Executor): Promise<RollupSnapshot> {
  const snapshot = {} as RollupSnapshot;
  for (const table of ROLLUP_TABLES) snapshot[table] = await rollupRows(trx, table);
  return snapshot;
}

/** The running totals keyed by series (not by series id, which a rebuild renumbers). */
export async function runningTermsSnapshot(trx: Executor): Promise<{ agent: Array<Record<string, unknown>>; vendorLabel: Array<Record<string, unknown>> }> {
  return { agent: await runningTermRows(trx, 'agent'), vendorLabel: await runningTermRows(trx, 'vendor_label') };
}

/**
 * Folds the (workflow, day) pairs whose rollups changed into the running variance terms (the
 * every-minute job, docs/decisions/0014). Queries are exact without it; it keeps them fast. Call as
 * the table owner (asSystem).
 */
export async function refreshRunningVarianceTerms(trx: Executor): Promise<{ consumed: number; pendingDays: number }> {
  const pendingDays = await pendingRunningTermDays(trx);
  return { consumed: pendingDays === 0 ? 0 : await refreshRunningTerms(trx), pendingDays };
}

export interface RollupDifference {
  table: RollupTable;
  row: number;
  column: string;
  before: unknown;
  after: unknown;
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  // bigint sums arrive as strings; counts and keys compare as text.
  return String(a) === String(b);
}

export function compareRollups(before: RollupSnapshot, after: RollupSnapshot, limit = 20): RollupDifference[] {
  const differences: RollupDifference[] = [];
  for (const table of ROLLUP_TABLES) {
    const a = before[table];
    const b = after[table];
    if (a.length !== b.length) differences.push({ table, row: -1, column: '(rows)', before: a.length, after: b.length });
    for (let i = 0; i < Math.min(a.length, b.length) && differences.length < limit; i++) {
      for (const column of Object.keys(a[i]!)) {
        if (!same(a[i]![column], b[i]![column])) differences.push({ table, row: i, column, before: a[i]![column], after: b[i]![column] });
      }
    }
  }
  return differences.slice(0, limit);
}

export interface RebuildResult {
  reviews: number;
  rows: Record<RollupTable, number>;
  /** Where the rebuilt state differs from the state before (empty when the triggers kept it exact). */
  differences: RollupDifference[];
}

/**
 * Rebuilds the rollups as the table owner (call inside asSystem) and reports any drift it corrected.
 * The rebuild ends by recomputing the running variance terms from the rebuilt rollups.
 */
export async function rebuildQualityRollups(trx: Executor): Promise<RebuildResult> {
  const before = await snapshotRollups(trx);
  const reviews = await rebuildRollups(trx);
  const after = await snapshotRollups(trx);
  const rows = Object.fromEntries(ROLLUP_TABLES.map((t) => [t, after[t].length])) as Record<RollupTable, number>;
  return { reviews, rows, differences: compareRollups(before, after) };
}
