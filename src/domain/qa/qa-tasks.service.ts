import type { Executor } from '../../db/database.ts';

/**
 * Turns newly sampled decisions into QA tasks (one per decision and kind; a
 * second call for the same decision does nothing) with a due date from the
 * workflow's turnaround target, then assigns them by the workflow's rules.
 * Called by ingestion and by the end-of-day selection, inside their transaction.
 */
export async function createTasksForSamples(_trx: Executor, _decisionIds: string[], _now: Date): Promise<number> {
  throw new Error('not implemented yet');
}
