import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/tokens.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import { digest, randomSecret } from './secrets.ts';

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

type Row = Awaited<ReturnType<typeof repo.insertToken>>;

function present(row: Row): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

function requireUser(actor: Actor): string {
  if (!actor.userId) throw new AppError('BAD_REQUEST', 'Tokens belong to a user; name one.');
  return actor.userId;
}

/**
 * Creates a token for the acting user. The secret is returned once and only
 * its SHA-256 digest is kept; `prefix` lets a person recognise it later.
 */
export async function createToken(
  trx: Executor,
  actor: Actor,
  input: { name: string; expiresInDays?: number | null },
): Promise<ApiToken & { token: string }> {
  const userId = requireUser(actor);
  const issues = new Issues();
  const name = input.name.trim();
  issues.check(name.length > 0 && name.length <= 100, '/name', 'Enter a name of at most 100 characters, like "nightly export".');
  if (input.expiresInDays !== undefined && input.expiresInDays !== null) {
    issues.check(Number.isInteger(input.expiresInDays) && input.expiresInDays >= 1 && input.expiresInDays <= 3650, '/expiresInDays', 'Use 1 to 3650 days, or leave empty for no expiry.');
  }
  issues.throwIfAny();
  const token = `assay_${randomSecret(30)}`;
  const row = await repo.insertToken(trx, {
    userId,
    name,
    tokenHash: digest(token),
    prefix: token.slice(0, 12),
    expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
  });
  await audit(trx, actor, { action: 'token.create', entityType: 'api_token', entityId: row.id, details: { name, prefix: row.prefix, expiresAt: row.expires_at?.toISOString() ?? null } });
  return { ...present(row), token };
}

export async function listOwnTokens(trx: Executor, actor: Actor): Promise<ApiToken[]> {
  return (await repo.listTokensOfUser(trx, requireUser(actor))).map(present);
}

export async function revokeToken(trx: Executor, actor: Actor, id: string): Promise<ApiToken> {
  const userId = requireUser(actor);
  const existing = await repo.findToken(trx, id);
  if (!existing || existing.user_id !== userId) throw notFound('Token');
  const revoked = (await repo.revokeToken(trx, id)) ?? existing;
  if (!existing.revoked_at) {
    await audit(trx, actor, { action: 'token.revoke', entityType: 'api_token', entityId: id, details: { name: existing.name, prefix: existing.prefix } });
  }
  return present(revoked);
}
