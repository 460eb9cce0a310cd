import type { Executor } from '../database.ts';
import { containsPattern, countRows, totalCount, type Page } from './pagination.ts';

type Status = 'active' | 'inactive';

export interface ActionFilter {
  status?: Status;
  q?: string;
}

export async function findAction(db: Executor, key: string) {
  return db.selectFrom('enforcement_actions').selectAll().where('key', '=', key).executeTakeFirst();
}

export type ActionRecord = NonNullable<Awaited<ReturnType<typeof findAction>>>;

export async function listActions(db: Executor, filter: ActionFilter, page: Page) {
  let query = db.selectFrom('enforcement_actions').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('key', 'ilike', pattern)]));
  }
  const rows = await query.select(totalCount).orderBy('name').orderBy('key').limit(page.limit).offset(page.offset).execute();
  return { rows, total: rows[0]?.total_count ?? (page.offset > 0 ? await countRows(query) : 0) };
}

/** The actions among `keys` that exist, for checking a policy version's allowed actions. */
export async function findActionsByKeys(db: Executor, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return db.selectFrom('enforcement_actions').select(['key', 'name', 'status']).where('key', 'in', [...keys]).execute();
}

export async function insertAction(db: Executor, values: { key: string; name: string; description: string; status?: Status }) {
  return db
    .insertInto('enforcement_actions')
    .values({
      key: values.key,
      name: values.name,
      description: values.description,
      ...(values.status !== undefined && { status: values.status }),
    })
    .returning('key')
    .executeTakeFirstOrThrow();
}

/** The key is the identity: decisions and policy versions refer to it, so it never changes. */
export async function updateAction(db: Executor, key: string, values: { name?: string; description?: string; status?: Status }) {
  const set = {
    ...(values.name !== undefined && { name: values.name }),
    ...(values.description !== undefined && { description: values.description }),
    ...(values.status !== undefined && { status: values.status }),
  };
  if (Object.keys(set).length === 0) return { key };
  return db.updateTable('enforcement_actions').set(set).where('key', '=', key).returning('key').executeTakeFirst();
}
