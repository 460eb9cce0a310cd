import type { Db, Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/xapi-credentials.repository.ts';
import { findVendor } from '../../db/repositories/vendors.repository.ts';
import { systemActor, type Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { digest, randomSecret, safeEqual } from '../auth/secrets.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import type { XapiCredential, XapiCredentialAccess, XapiCredentialCreated, XapiCredentialInput } from './xapi.types.ts';
import type { XapiVersion } from './xapi-validation.rules.ts';

/**
 * Basic-auth credentials for learning tools that talk to the LRS (docs/decisions/0011).
 * Each is organisation-wide or limited to one vendor, and read-only, write-only or both.
 * The secret is returned once; only its SHA-256 digest is kept (like API tokens).
 */

/** Who a credential is in the LRS: the authority stamped on every statement it stores. */
export const CREDENTIAL_HOME_PAGE = 'urn:assay:xapi:credential';

/** The agent a credential stores statements as: its name, and its key as an account on Assay's LRS. */
export function credentialAuthority(name: string, key: string): Record<string, unknown> {
  return { objectType: 'Agent', name, account: { homePage: CREDENTIAL_HOME_PAGE, name: key } };
}

/** The identity a request from a credential carries through the LRS. */
export interface LrsClient {
  credentialId: string | null;
  vendorId: string | null;
  /** 'all' or the vendor id: documents and attachments are keyed by it. */
  scopeKey: string;
  canRead: boolean;
  canWrite: boolean;
  authority: Record<string, unknown>;
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findCredential>>>;

/** The actor a credential's requests are audited as: "xapi:<its name>", within its vendor or the whole organisation. */
export function credentialActor(client: LrsClient): Actor {
  const name = typeof client.authority.name === 'string' ? client.authority.name : 'credential';
  return { ...systemActor(`xapi:${name}`), scope: { kind: client.vendorId ? 'vendor' : 'all', vendorId: client.vendorId, siteId: null, teamId: null, personId: null } };
}

function accessOf(row: { can_read: boolean; can_write: boolean }): XapiCredentialAccess {
  return row.can_read && row.can_write ? 'read_write' : row.can_write ? 'write' : 'read';
}

function present(row: Row): XapiCredential {
  return {
    id: row.id,
    name: row.name,
    key: row.key,
    vendorId: row.vendor_id,
    vendorName: row.vendor_name ?? null,
    access: accessOf(row),
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export async function createCredential(trx: Executor, actor: Actor, input: XapiCredentialInput): Promise<XapiCredentialCreated> {
  const issues = new Issues();
  const name = input.name.trim();
  issues.check(name.length > 0 && name.length <= 120, '/name', 'Name the integration in at most 120 characters, like "Vendor LMS (Acme)".');
  issues.check(['read', 'write', 'read_write'].includes(input.access), '/access', 'Choose read, write or read_write.');
  if (actor.scope.kind !== 'all' && actor.scope.kind !== 'vendor') {
    throw new AppError('FORBIDDEN', 'A credential covers a whole vendor: it takes a vendor-wide or organisation-wide scope to create one.');
  }
  if (input.vendorId === null && actor.scope.kind !== 'all') issues.add('/vendorId', 'Only someone with organisation-wide scope can create an organisation-wide credential; choose your vendor.');
  if (input.vendorId !== null && actor.scope.kind === 'vendor' && input.vendorId !== actor.scope.vendorId) issues.add('/vendorId', 'This vendor does not exist.');
  if (input.vendorId !== null && !(await findVendor(trx, input.vendorId))) issues.add('/vendorId', 'This vendor does not exist.');
  issues.throwIfAny();
  const key = `xapi_${randomSecret(12)}`;
  const secret = randomSecret(30);
  const authority = credentialAuthority(name, key);
  const row = await repo.insertCredential(trx, {
    name,
    key,
    secretHash: digest(secret),
    vendorId: input.vendorId,
    canRead: input.access !== 'write',
    canWrite: input.access !== 'read',
    authority,
    createdBy: actor.userId,
  });
  await audit(trx, actor, {
    action: 'xapi_credential.create',
    entityType: 'xapi_credential',
    entityId: row.id,
    vendorId: input.vendorId,
    details: { name, key, access: input.access, vendorId: input.vendorId },
  });
  return { ...present(row), secret };
}

export async function listCredentials(trx: Executor): Promise<XapiCredential[]> {
  return (await repo.listCredentials(trx)).map(present);
}

export async function revokeCredential(trx: Executor, actor: Actor, id: string): Promise<XapiCredential> {
  const existing = await repo.findCredential(trx, id);
  if (!existing) throw notFound('Credential');
  if (!existing.revoked_at) {
    await repo.revokeCredential(trx, id);
    await audit(trx, actor, { action: 'xapi_credential.revoke', entityType: 'xapi_credential', entityId: id, vendorId: existing.vendor_id, details: { name: existing.name, key: existing.key } });
  }
  return present((await repo.findCredential(trx, id))!);
}

/** Checks a Basic-auth key and secret; null when unknown, wrong or revoked. Runs unscoped: it decides the scope. */
export async function authenticateCredential(db: Db, key: string, secret: string, version: XapiVersion): Promise<LrsClient | null> {
  const row = await repo.findCredentialByKey(db, key);
  if (!row || row.revoked_at || !safeEqual(row.secret_hash, digest(secret))) return null;
  // last_used_at at most once a minute (it is shown to admins, not an access log), the version when it changes.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000 || row.last_version !== version) await repo.markCredentialUsed(db, row.id, version);
  return {
    credentialId: row.id,
    vendorId: row.vendor_id,
    scopeKey: row.vendor_id ?? 'all',
    canRead: row.can_read,
    canWrite: row.can_write,
    authority: row.authority as Record<string, unknown>,
  };
}

/** The version a credential's client last spoke, to answer in it a request that names none. */
export async function lastSpokenVersion(db: Db, key: string): Promise<XapiVersion | null> {
  const version = await repo.lastVersionOfKey(db, key);
  return version === '1.0.3' || version === '2.0.0' ? version : null;
}

export function requireAccess(client: LrsClient, write: boolean): void {
  if (write ? !client.canWrite : !client.canRead) {
    throw new AppError('FORBIDDEN', write ? 'This credential may only read.' : 'This credential may only write.');
  }
}
