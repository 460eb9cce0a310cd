import { sql } from 'kysely';
import type { Executor } from '../database.ts';

export async function readSetting<T>(db: Executor, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value as T | undefined;
}

export async function writeSetting(db: Executor, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('app_settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }))
    .execute();
}

export async function deleteSetting(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('app_settings').where('key', '=', key).execute();
}

/** Serialises one-off operations (first-admin setup) across processes for the rest of the transaction. */
export async function lockFor(db: Executor, name: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(db);
}
