import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameDelta, productionDelta } from '../../src/domain/decisions/batch-aggregates.ts';
import type { StagedDecision } from '../../src/db/repositories/decision-ingest.repository.ts';

function staged(i: number, labels: string[], handle: number, day: string, agent: string, stratum: string | null, p: number | null, selected: boolean, deferred = false): StagedDecision {
  return {
    lineNo: i, id: `id-${i}`, source: 's', externalId: `e-${i}`, workflowId: 'w', agentId: agent, vendorId: 'v', siteId: 's', teamId: null,
    decidedAt: `${day}T10:00:00.000Z`, decidedDay: day, labels, policyVersionIds: [], severity: null, action: 'remove', handleTimeMs: handle,
    contentKind: 'comment', contentText: 'x', contentUrl: null, contentLanguage: 'en', modelScore: null, metadataJson: '{}', tenureDays: 10,
    payloadHash: 'h', planVersionId: stratum ? 'plan' : null, stratumKey: stratum, samplingP: p, samplingU: 0.5,
    selectedMethod: selected ? 'rate' : null, deferred,
  };
}

describe('batch aggregates', () => {
  it('counts a multi-label decision once per label and once in total, handle time likewise', () => {
    const delta = productionDelta([
      staged(1, ['a', 'b'], 3000, '2026-10-01', 'x', null, null, false),
      staged(2, [], 1000, '2026-10-01', 'x', null, null, false),
      staged(3, ['a'], 2000, '2026-10-01', 'x', null, null, false),
    ]);
    expect(delta.label).toEqual(['', 'a', 'b']);
    expect(delta.decisions).toEqual([1, 2, 1]);
    expect(delta.decisionShare).toEqual([1, 1.5, 0.5]);
    expect(delta.handleTimeMs).toEqual([1000, 5000, 3000]);
    expect(delta.handleTimeShareMs).toEqual([1000, 3500, 1500]);
  });

  it('keeps totals exact for any batch (property)', () => {
    const row = fc.record({
      labels: fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }),
      handle: fc.integer({ min: 0, max: 100_000 }),
      day: fc.constantFrom('2026-10-01', '2026-10-02'),
      agent: fc.constantFrom('x', 'y'),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const batch = rows.map((r, i) => staged(i, r.labels, r.handle, r.day, r.agent, null, null, false));
        const delta = productionDelta(batch);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        expect(sum(delta.decisionShare)).toBeCloseTo(rows.length, 9);
        expect(sum(delta.handleTimeShareMs)).toBeCloseTo(sum(rows.map((r) => r.handle)), 6);
        expect(sum(delta.decisions)).toBe(sum(rows.map((r) => Math.max(1, r.labels.length))));
        const keys = delta.day.map((d, i) => `${d}|${delta.agentId[i]}|${delta.workflowId[i]}|${delta.label[i]}`);
        expect(keys).toEqual([...keys].sort());
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });

  it('adds population, expected size (not for deferred strata) and selections per stratum', () => {
    const delta = frameDelta([
      staged(1, [], 1, '2026-10-01', 'x', 'base', 0.1, true),
      staged(2, [], 1, '2026-10-01', 'x', 'base', 0.1, false),
      staged(3, [], 1, '2026-10-01', 'x', 'quota', null, false, true),
      staged(4, [], 1, '2026-10-01', 'x', null, null, false),
    ]);
    expect(delta.stratumKey).toEqual(['base', 'quota']);
    expect(delta.population).toEqual([2, 1]);
    expect(delta.expected[0]).toBeCloseTo(0.2, 12);
    expect(delta.expected[1]).toBe(0);
    expect(delta.selected).toEqual([1, 0]);
  });
});
