import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { UsersTable } from '../schema.ts';
import { containsPattern, countRows, totalCount, type Page } from './pagination.ts';

export async function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

export interface UserFilter {
  role?: string;
  status?: 'active' | 'disabled';
  q?: string;
}

export async function listUsers(db: Executor, filter: UserFilter, page: Page) {
  let query = db.selectFrom('users').selectAll();
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) => eb.or([eb('email', 'ilike', pattern), eb('display_name', 'ilike', pattern)]));
  }
  const rows = await query.select(totalCount).orderBy('display_name').limit(page.limit).offset(page.offset).execute();
  return { rows, total: rows[0]?.total_count ?? (page.offset > 0 ? await countRows(query) : 0) };
}

export interface UserValues {
  email: string;
  displayName: string;
  passwordHash: string | null;
  role: string;
  scopeKind: UsersTable['scope_kind'];
  scopeRefId: string | null;
  personId: string | null;
}

export async function insertUser(db: Executor, values: UserValues) {
  return db
    .insertInto('users')
    .values({
      email: values.email,
      display_name: values.displayName,
      password_hash: values.passwordHash,
      role: values.role,
      scope_kind: values.scopeKind,
      scope_ref_id: values.scopeRefId,
      person_id: values.personId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateUser(db: Executor, id: string, values: Partial<UserValues> & { status?: 'active' | 'disabled' }) {
  return db
    .updateTable('users')
    .set({
      ...(values.displayName !== undefined && { display_name: values.displayName }),
      ...(values.passwordHash !== undefined && { password_hash: values.passwordHash }),
      ...(values.role !== undefined && { role: values.role }),
      ...(values.scopeKind !== undefined && { scope_kind: values.scopeKind }),
      ...(values.scopeRefId !== undefined && { scope_ref_id: values.scopeRefId }),
      ...(values.personId !== undefined && { person_id: values.personId }),
      ...(values.status !== undefined && { status: values.status }),
    })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
}

export async function markSignedIn(db: Executor, id: string): Promise<void> {
  await db.updateTable('users').set({ last_sign_in_at: new Date() }).where('id', '=', id).execute();
}

/** The chain above a scope's target, read without scope (the scope is what is being worked out). */
export async function scopeChain(db: Executor, kind: UsersTable['scope_kind'], refId: string | null) {
  switch (kind) {
    case 'all':
      return { vendorId: null, siteId: null, teamId: null, personId: null };
    case 'vendor': {
      const row = await db.selectFrom('vendors').select('id').where('id', '=', refId!).executeTakeFirst();
      return row ? { vendorId: row.id, siteId: null, teamId: null, personId: null } : null;
    }
    case 'site': {
      const row = await db.selectFrom('sites').select(['id', 'vendor_id']).where('id', '=', refId!).executeTakeFirst();
      return row ? { vendorId: row.vendor_id, siteId: row.id, teamId: null, personId: null } : null;
    }
    case 'team': {
      const row = await db.selectFrom('teams').select(['id', 'site_id', 'vendor_id']).where('id', '=', refId!).executeTakeFirst();
      return row ? { vendorId: row.vendor_id, siteId: row.site_id, teamId: row.id, personId: null } : null;
    }
    case 'self': {
      const row = await db
        .selectFrom('people')
        .select(['id', 'team_id', 'site_id', 'vendor_id'])
        .where('id', '=', refId!)
        .executeTakeFirst();
      return row ? { vendorId: row.vendor_id, siteId: row.site_id, teamId: row.team_id, personId: row.id } : null;
    }
  }
}

/** A readable name for a scope's target ('Northstar BPO', 'Manila', ...). */
export async function scopeTargetName(db: Executor, kind: UsersTable['scope_kind'], refId: string | null) {
  if (kind === 'all' || !refId) return null;
  const table = { vendor: 'vendors', site: 'sites', team: 'teams', self: 'people' } as const;
  const column = kind === 'self' ? 'full_name' : 'name';
  const row = await db
    .selectFrom(table[kind])
    .select(sql<string>`${sql.ref(column)}`.as('name'))
    .where('id', '=', refId)
    .executeTakeFirst();
  return row?.name ?? null;
}
