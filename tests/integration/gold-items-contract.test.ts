import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSystem, withViewer } from '../../src/db/scoped.ts';
import { listGoldItems } from '../../src/db/repositories/gold-items.repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildWorld, type World } from '../support/org-world.ts';

/** The gold_items table and listGoldItems, as the calibration feature reads them. */
let database: TestDatabase;
let world: World;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  const base = { workflow_id: world.workflowId, content_kind: 'text', expert_labels: ['hate'], expert_action: 'remove' };
  await database.db
    .insertInto('gold_items')
    .values([
      { ...base, content_text: 'for everyone', vendor_id: null },
      { ...base, content_text: 'vendor 1 only', vendor_id: world.vendors[1]!.id },
      { ...base, content_text: 'vendor 2 only', vendor_id: world.vendors[2]!.id },
      { ...base, content_text: 'retired', vendor_id: null, status: 'retired' },
    ])
    .execute();
});

afterAll(async () => {
  await database?.drop();
});

const scope = (kind: 'all' | 'vendor', vendorId: string | null = null) => ({
  userId: null,
  scope: { kind, vendorId, siteId: null, teamId: null, personId: null },
});

describe('gold items', () => {
  it('lists by workflow and status, newest first', async () => {
    const all = await asSystem(database.db, (trx) => listGoldItems(trx, { workflowId: world.workflowId }));
    expect(all).toHaveLength(4);
    const active = await asSystem(database.db, (trx) => listGoldItems(trx, { workflowId: world.workflowId, status: 'active', limit: 2 }));
    expect(active).toHaveLength(2);
    expect(active.every((row) => row.status === 'active')).toBe(true);
    expect(all[0]!.expert_labels).toEqual(['hate']);
  });

  it('shows a vendor scope its own and everyone\'s items only', async () => {
    const seen = await withViewer(database.db, scope('vendor', world.vendors[1]!.id), (trx) => listGoldItems(trx, { status: 'active' }));
    expect(seen.map((row) => row.content_text).sort()).toEqual(['for everyone', 'vendor 1 only']);
    const everything = await withViewer(database.db, scope('all'), (trx) => listGoldItems(trx, { workflowId: world.workflowId }));
    expect(everything).toHaveLength(4);
  });
});
