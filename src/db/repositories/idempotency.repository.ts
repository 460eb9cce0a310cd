import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/** Claims a key; false when a row already exists (a replay, a clash or a request in flight). */
export async function claimKey(
  db: Executor,
  values: { userId: string; key: string; method: string; path: string; requestHash: string },
): Promise<boolean> {
  const result = await db
    .insertInto('idempotency_keys')
    .values({ user_id: values.userId, key: values.key, method: values.method, path: values.path, request_hash: values.requestHash })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findKey(db: Executor, userId: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
}

export async function completeKey(db: Executor, userId: string, key: string, status: number, body: unknown): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status, body: JSON.stringify(body ?? null), completed_at: new Date() })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

export async function releaseKey(db: Executor, userId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('status', 'is', null).execute();
}

/** Forgets remembered answers after a day, and abandoned claims (a crash mid-request) after a minute. */
export async function pruneKeys(db: Executor): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where((eb) =>
      eb.or([eb('created_at', '<', sql<Date>`now() - interval '1 day'`), eb.and([eb('status', 'is', null), eb('created_at', '<', sql<Date>`now() - interval '1 minute'`)])]),
    )
    .execute();
}
