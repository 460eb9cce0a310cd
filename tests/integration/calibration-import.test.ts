import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ac1WithError, alphaWithError, percentAgreementWithError, type CoefficientWithError, type Rating } from '../../src/domain/stats/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';
import { auditRowsFor } from '../support/audit-trail.ts';

/**
 * Import of external ratings: the ConvAbuse "is abuse" ratings (8 annotators,
 * 2 to 7 per item) loaded through the API must show exactly the agreement
 * figures src/domain/stats computes on the parsed file; a malformed file is
 * refused with line numbers and field paths, and leaves nothing behind.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SHARED = path.resolve(ROOT, '../shared/data/convabuse/derived_is_abuse_long.csv');
const FILE = fs.existsSync(SHARED) ? SHARED : path.resolve(ROOT, 'tests/reference/convabuse/derived_is_abuse_long.csv');

let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let lead: WorldUser;
let vendorLead: WorldUser;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  lead = await addUser(database.db, world, 'qa_lead', 'all', 'import-lead');
  vendorLead = await addUser(database.db, world, 'qa_lead', 'vendor', 'import-vendor-lead');
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** The file parsed independently of the import code: items x annotators, missing = null. */
function directMatrix(text: string): Rating[][] {
  const lines = text.trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  const items = [...new Set(lines.map((l) => l[0]!))];
  const raters = [...new Set(lines.map((l) => l[2]!))].sort();
  const row = new Map(items.map((item, i) => [item, i]));
  const col = new Map(raters.map((r, j) => [r, j]));
  const matrix: Rating[][] = items.map(() => raters.map(() => null));
  for (const [item, , rater, value] of lines) matrix[row.get(item!)!]![col.get(rater!)!] = Number(value);
  return matrix;
}

function expectSame(figure: { value: number | null; se: number | null; lower: number | null; upper: number | null; n: number; raters: number }, direct: CoefficientWithError) {
  expect(direct.value).not.toBeNull();
  expect(Math.abs(figure.value! - direct.value!)).toBeLessThan(1e-12);
  expect(Math.abs(figure.se! - direct.se!)).toBeLessThan(1e-12);
  expect(Math.abs(figure.lower! - direct.ci![0])).toBeLessThan(1e-12);
  expect(Math.abs(figure.upper! - direct.ci![1])).toBeLessThan(1e-12);
  expect(figure.n).toBe(direct.n);
  expect(figure.raters).toBe(direct.raters);
}

describe('import of external ratings', () => {
  it('loads ConvAbuse with its annotators as participants and shows the statistics module\'s figures to 1e-12', async () => {
    const csv = fs.readFileSync(FILE, 'utf8');
    const response = await tokenClient(app, lead.token)('POST', '/api/calibration/imports', { title: 'ConvAbuse is_abuse', csv });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(201);
    const { session, results } = response.json();
    const matrix = directMatrix(csv);
    expect(session).toMatchObject({ kind: 'imported', status: 'closed', ratingField: 'is_abuse', items: matrix.length, participants: 8, submitted: 8 });
    expectSame(results.label.alpha, alphaWithError(matrix));
    expectSame(results.label.ac1, ac1WithError(matrix));
    expectSame(results.label.percent, percentAgreementWithError(matrix));
    expect(results.label.ratings).toBe(matrix.flat().filter((v) => v !== null).length);
    expect(results.action).toBeNull();
    expect(results.alignment.map((a: { name: string }) => a.name).sort()).toEqual([...new Set(csv.trim().split(/\r?\n/).slice(1).map((l) => l.split(',')[2]!))].sort());
    expect(results.groups.map((g: { group: string }) => g.group)).toEqual(['external']);
    expect(results.divergentItems.length).toBe(10);
    expect((await auditRowsFor(database.db, session.id)).map((a) => a.action)).toEqual(['calibration.import']);

    // The same figures again from the results endpoint (recomputed from the stored ratings).
    const again = (await tokenClient(app, lead.token)('GET', `/api/calibration/sessions/${session.id}/results`)).json();
    expectSame(again.results.label.alpha, alphaWithError(matrix));
    // An organisation-wide import is not a vendor lead's.
    expect((await tokenClient(app, vendorLead.token)('GET', `/api/calibration/sessions/${session.id}/results`)).statusCode).toBe(404);
  });

  it('refuses a malformed file with line numbers and field paths, writing nothing', async () => {
    const count = async () => Number((await database.db.selectFrom('calibration_sessions').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const bad = ['item_id,annotator_id,label', 'a,r1,1', ',r2,0', 'b,,1', 'a,r1,0', 'c,r3,', 'd,r1,1,extra'].join('\n');
    const response = await tokenClient(app, lead.token)('POST', '/api/calibration/imports', { title: 'Broken', csv: bad });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details).toEqual([{ path: '/lines/7', message: 'Has 4 fields; the header has 3.', line: 7 }]);
    const fixedWidth = bad.replace(',extra', '');
    const second = await tokenClient(app, lead.token)('POST', '/api/calibration/imports', { title: 'Broken', csv: fixedWidth });
    expect(second.statusCode).toBe(422);
    expect(second.json().error.details).toEqual([
      { path: '/lines/3/item_id', message: 'Missing item.', line: 3 },
      { path: '/lines/4/annotator_id', message: 'Missing rater.', line: 4 },
      { path: '/lines/5/annotator_id', message: 'Rater "r1" already rated item "a" on line 2.', line: 5 },
      { path: '/lines/6/label', message: 'Missing label.', line: 6 },
    ]);
    const header = await tokenClient(app, lead.token)('POST', '/api/calibration/imports', { title: 'Broken', csv: 'thing,who\n1,2\n' });
    expect(header.statusCode).toBe(422);
    expect(header.json().error.details[0]).toMatchObject({ path: '/csv/header/item', line: 1 });
    expect(await count()).toBe(before);
  });
});
