import type { FrameDelta, ProductionDelta, StagedDecision } from '../../db/repositories/decision-ingest.repository.ts';

/**
 * What a batch of new decisions adds to the production aggregates and the
 * sampling frame, summed in memory so the database does one upsert per group
 * instead of one per decision. Keys are sorted so concurrent batches lock
 * aggregate rows in the same order (no deadlocks).
 */

export function productionDelta(rows: StagedDecision[]): ProductionDelta {
  const groups = new Map<string, { row: StagedDecision; label: string; decisions: number; share: number; handle: number; handleShare: number }>();
  for (const row of rows) {
    const labels = row.labels.length === 0 ? [''] : row.labels;
    // A decision with k labels counts once per label and 1/k towards totals over labels.
    const share = 1 / labels.length;
    for (const label of labels) {
      const key = `${row.decidedDay}|${row.agentId}|${row.workflowId}|${label}`;
      const group = groups.get(key);
      if (group) {
        group.decisions += 1;
        group.share += share;
        group.handle += row.handleTimeMs;
        group.handleShare += row.handleTimeMs * share;
      } else {
        groups.set(key, { row, label, decisions: 1, share, handle: row.handleTimeMs, handleShare: row.handleTimeMs * share });
      }
    }
  }
  const delta: ProductionDelta = { day: [], agentId: [], workflowId: [], label: [], vendorId: [], siteId: [], teamId: [], decisions: [], decisionShare: [], handleTimeMs: [], handleTimeShareMs: [] };
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    delta.day.push(g.row.decidedDay);
    delta.agentId.push(g.row.agentId);
    delta.workflowId.push(g.row.workflowId);
    delta.label.push(g.label);
    delta.vendorId.push(g.row.vendorId);
    delta.siteId.push(g.row.siteId);
    delta.teamId.push(g.row.teamId);
    delta.decisions.push(g.decisions);
    delta.decisionShare.push(g.share);
    delta.handleTimeMs.push(g.handle);
    delta.handleTimeShareMs.push(g.handleShare);
  }
  return delta;
}

/** Population, expected sample (design probabilities of strata selected now) and selections per plan version, day and stratum. */
export function frameDelta(rows: StagedDecision[]): FrameDelta {
  const groups = new Map<string, { planVersionId: string; day: string; stratumKey: string; population: number; expected: number; selected: number }>();
  for (const row of rows) {
    if (row.planVersionId === null || row.stratumKey === null) continue;
    const key = `${row.planVersionId}|${row.decidedDay}|${row.stratumKey}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { planVersionId: row.planVersionId, day: row.decidedDay, stratumKey: row.stratumKey, population: 0, expected: 0, selected: 0 }));
    group.population += 1;
    if (!row.deferred) group.expected += row.samplingP ?? 0;
    if (row.selectedMethod !== null) group.selected += 1;
  }
  const delta: FrameDelta = { planVersionId: [], day: [], stratumKey: [], population: [], expected: [], selected: [] };
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    delta.planVersionId.push(g.planVersionId);
    delta.day.push(g.day);
    delta.stratumKey.push(g.stratumKey);
    delta.population.push(g.population);
    delta.expected.push(g.expected);
    delta.selected.push(g.selected);
  }
  return delta;
}
