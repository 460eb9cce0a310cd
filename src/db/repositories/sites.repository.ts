import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import { containsPattern, countRows, totalCount, type Page } from './pagination.ts';

type Status = 'active' | 'inactive';

export interface SiteFilter {
  vendorId?: string;
  status?: Status;
  q?: string;
}

/** Sites with their vendor's name and (in-scope) team and people counts. */
function sitesWithCounts(db: Executor) {
  return db
    .selectFrom('sites as s')
    .innerJoin('vendors as v', 'v.id', 's.vendor_id')
    .selectAll('s')
    .select('v.name as vendor_name')
    .select((eb) => [
      eb.selectFrom('teams as t').whereRef('t.site_id', '=', 's.id').select(sql<number>`count(*)::int`.as('n')).as('team_count'),
      eb.selectFrom('people as p').whereRef('p.site_id', '=', 's.id').select(sql<number>`count(*)::int`.as('n')).as('people_count'),
    ]);
}

export type SiteRecord = NonNullable<Awaited<ReturnType<typeof findSite>>>;

export async function findSite(db: Executor, id: string) {
  return sitesWithCounts(db).where('s.id', '=', id).executeTakeFirst();
}

export async function listSites(db: Executor, filter: SiteFilter, page: Page) {
  let query = sitesWithCounts(db);
  if (filter.vendorId) query = query.where('s.vendor_id', '=', filter.vendorId);
  if (filter.status) query = query.where('s.status', '=', filter.status);
  if (filter.q) query = query.where('s.name', 'ilike', containsPattern(filter.q));
  const rows = await query
    .select(totalCount)
    .orderBy('v.name')
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: rows[0]?.total_count ?? (page.offset > 0 ? await countRows(query) : 0) };
}

/** The vendor a new site would belong to, if the viewer can see it. */
export async function findVendorRef(db: Executor, id: string) {
  return db.selectFrom('vendors').select(['id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

export interface SiteValues {
  vendorId: string;
  name: string;
  countryCode: string;
  timeZone: string;
  status?: Status;
}

export async function insertSite(db: Executor, values: SiteValues) {
  return db
    .insertInto('sites')
    .values({
      vendor_id: values.vendorId,
      name: values.name,
      country_code: values.countryCode,
      time_zone: values.timeZone,
      ...(values.status !== undefined && { status: values.status }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateSite(
  db: Executor,
  id: string,
  values: { name?: string; countryCode?: string; timeZone?: string; status?: Status },
) {
  return db
    .updateTable('sites')
    .set({
      ...(values.name !== undefined && { name: values.name }),
      ...(values.countryCode !== undefined && { country_code: values.countryCode }),
      ...(values.timeZone !== undefined && { time_zone: values.timeZone }),
      ...(values.status !== undefined && { status: values.status }),
    })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
}
