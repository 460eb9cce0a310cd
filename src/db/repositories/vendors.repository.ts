import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import { containsPattern, countRows, totalCount, type Page } from './pagination.ts';

export interface VendorFilter {
  status?: 'active' | 'inactive';
  isInHouse?: boolean;
  q?: string;
}

function vendorsWithCounts(db: Executor) {
  return db
    .selectFrom('vendors as v')
    .selectAll('v')
    .select((eb) => [
      eb.selectFrom('sites as s').whereRef('s.vendor_id', '=', 'v.id').select(sql<number>`count(*)::int`.as('n')).as('site_count'),
      eb.selectFrom('people as p').whereRef('p.vendor_id', '=', 'v.id').select(sql<number>`count(*)::int`.as('n')).as('people_count'),
    ]);
}

export type VendorRecord = Awaited<ReturnType<typeof findVendor>> & object;

export async function findVendor(db: Executor, id: string) {
  return vendorsWithCounts(db).where('v.id', '=', id).executeTakeFirst();
}

export async function listVendors(db: Executor, filter: VendorFilter, page: Page) {
  let query = vendorsWithCounts(db);
  if (filter.status) query = query.where('v.status', '=', filter.status);
  if (filter.isInHouse !== undefined) query = query.where('v.is_in_house', '=', filter.isInHouse);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) => eb.or([eb('v.name', 'ilike', pattern), eb('v.code', 'ilike', pattern)]));
  }
  const rows = await query
    .select(totalCount)
    .orderBy('v.is_in_house', 'desc')
    .orderBy('v.name')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: rows[0]?.total_count ?? (page.offset > 0 ? await countRows(query) : 0) };
}

export async function insertVendor(db: Executor, values: { name: string; code: string; isInHouse: boolean }) {
  return db
    .insertInto('vendors')
    .values({ name: values.name, code: values.code, is_in_house: values.isInHouse })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateVendor(
  db: Executor,
  id: string,
  values: { name?: string; code?: string; isInHouse?: boolean; status?: 'active' | 'inactive' },
) {
  return db
    .updateTable('vendors')
    .set({
      ...(values.name !== undefined && { name: values.name }),
      ...(values.code !== undefined && { code: values.code }),
      ...(values.isInHouse !== undefined && { is_in_house: values.isInHouse }),
      ...(values.status !== undefined && { status: values.status }),
    })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
}
