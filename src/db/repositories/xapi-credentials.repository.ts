import type { Executor } from '../database.ts';

/** Basic-auth credentials of the xAPI LRS (migration 0013). */

const PUBLIC_COLUMNS = ['c.id', 'c.name', 'c.key', 'c.vendor_id', 'c.can_read', 'c.can_write', 'c.authority', 'c.created_at', 'c.last_used_at', 'c.revoked_at'] as const;

export async function insertCredential(
  db: Executor,
  values: { name: string; key: string; secretHash: string; vendorId: string | null; canRead: boolean; canWrite: boolean; authority: unknown; createdBy: string | null },
) {
  const row = await db
    .insertInto('xapi_credentials')
    .values({
      name: values.name,
      key: values.key,
      secret_hash: values.secretHash,
      vendor_id: values.vendorId,
      can_read: values.canRead,
      can_write: values.canWrite,
      authority: JSON.stringify(values.authority),
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await findCredential(db, row.id))!;
}

function withVendor(db: Executor) {
  return db.selectFrom('xapi_credentials as c').leftJoin('vendors as v', 'v.id', 'c.vendor_id').select(PUBLIC_COLUMNS).select('v.name as vendor_name');
}

export async function listCredentials(db: Executor) {
  return withVendor(db).orderBy('c.revoked_at', (ob) => ob.desc().nullsFirst()).orderBy('c.created_at', 'desc').execute();
}

export async function findCredential(db: Executor, id: string) {
  return withVendor(db).where('c.id', '=', id).executeTakeFirst();
}

/** For authentication: the credential by its public key, secret digest included. Run unscoped. */
export async function findCredentialByKey(db: Executor, key: string) {
  return db.selectFrom('xapi_credentials as c').select(PUBLIC_COLUMNS).select(['c.secret_hash', 'c.last_version']).where('c.key', '=', key).executeTakeFirst();
}

export async function revokeCredential(db: Executor, id: string): Promise<void> {
  await db.updateTable('xapi_credentials').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function markCredentialUsed(db: Executor, id: string, lastVersion: string): Promise<void> {
  await db.updateTable('xapi_credentials').set({ last_used_at: new Date(), last_version: lastVersion }).where('id', '=', id).execute();
}

/** The version a key's client last spoke (for answering a request that names none). Run unscoped. */
export async function lastVersionOfKey(db: Executor, key: string): Promise<string | null> {
  const row = await db.selectFrom('xapi_credentials').select('last_version').where('key', '=', key).executeTakeFirst();
  return row?.last_version ?? null;
}
