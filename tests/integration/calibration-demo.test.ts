import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { DEMO_REVIEW_STORY } from '../../src/demo/demo-review-model.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { trends } from '../../src/domain/calibration/calibration-results.service.ts';
import { asSystem } from '../../src/db/scoped.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/**
 * The demo's calibration history (src/demo/demo-calibration.ts): monthly
 * revealed sessions and one open session per moderation workflow, whose
 * trends tell the demo's story: the lenient vendor QA team matches the expert
 * less often than internal QA.
 */
let database: TestDatabase;
const TODAY = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  database = await createTestDatabase();
  await loadDemo(database.db, { seed: 2026, today: TODAY, decisionScale: 0.03 });
}, 300_000);

afterAll(async () => {
  await database?.drop();
});

describe('demo calibration', () => {
  it('has closed monthly sessions and an open one per workflow, with ratings only from invited people', async () => {
    const sessions = await database.db.selectFrom('calibration_sessions').select(['id', 'status', 'workflow_id', 'created_at']).orderBy('created_at').execute();
    expect(sessions.filter((s) => s.status === 'closed').length).toBeGreaterThanOrEqual(3);
    expect(sessions.some((s) => s.status === 'open')).toBe(true);
    const orphans = await database.db
      .selectFrom('calibration_ratings as r')
      .leftJoin('calibration_participants as p', (j) => j.onRef('p.id', '=', 'r.participant_id').onRef('p.session_id', '=', 'r.session_id'))
      .select('r.item_id')
      .where('p.id', 'is', null)
      .execute();
    expect(orphans).toEqual([]);
  });

  it('tells the story: the lenient vendor QA team matches the expert less often than internal QA', async () => {
    const result = await asSystem(database.db, (trx) => trends(trx, systemActor('test'), {}));
    expect(result.sessions.length).toBeGreaterThanOrEqual(3);
    const lenient = await database.db.selectFrom('vendors').select('id').where('name', 'ilike', `${DEMO_REVIEW_STORY.lenientQaVendorKey}%`).executeTakeFirstOrThrow();
    const pooled = (key: string, series: typeof result.vendors | typeof result.groups) => {
      const s = series.find((x) => x.key === key)!;
      const x = s.points.reduce((a, p) => a + p.label.x, 0);
      const n = s.points.reduce((a, p) => a + p.label.n, 0);
      return x / n;
    };
    expect(pooled(lenient.id, result.vendors)).toBeLessThan(pooled('internal_qa', result.groups) - 0.1);
    for (const s of result.sessions) expect(s.label.ac1.value).not.toBeNull();
  });
});
