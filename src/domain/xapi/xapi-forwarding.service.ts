import type { Db, Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/xapi-forwarding.repository.ts';
import { asSystem } from '../../db/scoped.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { Issues } from '../errors.ts';
import { isSealed, type SecretBox } from '../auth/secret-box.ts';
import type { XapiForwarding, XapiForwardingInput } from './xapi.types.ts';

/**
 * Forwarding Assay's own training statements to an external LRS (docs/decisions/0011,
 * "Forwarding"). Statements are queued in the transaction that stores them; the xapi.forward
 * job POSTs due batches. Statement ids are stable, so a batch re-sent after a lost answer is
 * harmless: a conformant LRS accepts a statement it already holds (200/204) or answers 409.
 */

export async function getForwarding(trx: Executor): Promise<XapiForwarding> {
  const s = await repo.forwardingSettings(trx);
  const o = await repo.outboxSummary(trx);
  return {
    enabled: s.enabled,
    endpoint: s.endpoint,
    username: s.username,
    hasSecret: s.has_secret,
    version: s.version,
    updatedAt: new Date(s.updated_at).toISOString(),
    outbox: { pending: o.pending, retrying: o.retrying, delivered: o.delivered, lastDeliveredAt: o.last_delivered_at ? new Date(o.last_delivered_at).toISOString() : null, lastError: o.last_error },
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export async function updateForwarding(trx: Executor, actor: Actor, input: XapiForwardingInput, box: SecretBox): Promise<XapiForwarding> {
  const current = await repo.forwardingSettings(trx);
  const issues = new Issues();
  const endpoint = input.endpoint?.trim() ? input.endpoint.trim().replace(/\/+$/, '') : null;
  if (endpoint !== null) issues.check(isHttpUrl(endpoint), '/endpoint', 'The LRS endpoint, an http(s) address such as https://lrs.example.com/xapi (no credentials in it).');
  const username = input.username?.trim() || null;
  const willHaveSecret = input.secret === undefined ? current.has_secret : Boolean(input.secret);
  if (input.enabled) {
    issues.check(endpoint !== null, '/endpoint', 'Give the endpoint to forward to.');
    issues.check(username !== null, '/username', 'Give the key (Basic user name) the external LRS issued.');
    issues.check(willHaveSecret, '/secret', 'Give the secret the external LRS issued.');
  }
  issues.throwIfAny();
  // Sealed before it reaches the database (docs/decisions/0011): a dump or replica holds nothing usable.
  const secret = input.secret === undefined ? undefined : input.secret ? box.seal(input.secret) : null;
  await repo.updateForwarding(trx, { enabled: input.enabled, endpoint, username, secret, version: input.version }, actor.userId);
  await audit(trx, actor, {
    action: 'xapi.forwarding.update',
    entityType: 'xapi_forwarding',
    entityId: 'xapi',
    details: { enabled: input.enabled, endpoint, username, version: input.version, secretChanged: input.secret !== undefined },
  });
  return getForwarding(trx);
}

/** Waits before the next try: 30 s doubling per failed attempt, at most 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts), 6 * 3_600_000);
}

export interface ForwardRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}
/** Sends one request; resolves with the HTTP status, rejects on a network error or timeout. */
export type ForwardSender = (request: ForwardRequest) => Promise<{ status: number; body: string }>;

/** Seals a forwarding secret stored in clear by a version before sealing (at start, as the owner); a no-op otherwise. */
export async function sealStoredSecrets(db: Db, box: SecretBox): Promise<void> {
  await asSystem(db, async (trx) => {
    const { secret } = await repo.forwardingCredentials(trx);
    if (secret && !isSealed(secret)) await repo.replaceSecret(trx, secret, box.seal(secret));
  });
}

/** Sends every due batch (BATCH statements each) once; returns what happened. */
export async function forwardPending(db: Db, send: ForwardSender, box: SecretBox, now = new Date(), batchSize = 50): Promise<{ delivered: number; failed: number }> {
  let delivered = 0;
  let failed = 0;
  for (let round = 0; round < 100; round += 1) {
    const outcome = await asSystem(db, async (trx) => {
      const settings = await repo.forwardingCredentials(trx);
      if (!settings.enabled || !settings.endpoint || !settings.username || !settings.secret) return null;
      const batch = await repo.claimDue(trx, now, batchSize);
      if (batch.length === 0) return null;
      const ids = batch.map((b) => b.statement_id);
      const attempts = Math.max(...batch.map((b) => b.attempts));
      let secret: string;
      try {
        secret = box.open(settings.secret);
      } catch (error) {
        // The key changed: nothing can be sent until an administrator enters the secret again (the admin screen shows why).
        await repo.markFailed(trx, ids, null, error instanceof Error ? error.message : String(error), new Date(now.getTime() + retryDelayMs(attempts)));
        return { delivered: 0, failed: ids.length };
      }
      // `stored` is the receiving LRS's to set; the rest (id, timestamp, authority) travels unchanged.
      const statements = batch.map((b) => {
        const { stored: _stored, ...rest } = b.statement as Record<string, unknown>;
        return rest;
      });
      try {
        const response = await send({
          url: `${settings.endpoint}/statements`,
          headers: {
            authorization: `Basic ${Buffer.from(`${settings.username}:${secret}`).toString('base64')}`,
            'x-experience-api-version': settings.version,
            'content-type': 'application/json',
          },
          body: JSON.stringify(statements),
        });
        if ((response.status >= 200 && response.status < 300) || response.status === 409) {
          await repo.markDelivered(trx, ids, response.status, new Date());
          return { delivered: ids.length, failed: 0 };
        }
        await repo.markFailed(trx, ids, response.status, `HTTP ${response.status}: ${response.body.slice(0, 300)}`, new Date(now.getTime() + retryDelayMs(attempts)));
      } catch (error) {
        await repo.markFailed(trx, ids, null, error instanceof Error ? error.message : String(error), new Date(now.getTime() + retryDelayMs(attempts)));
      }
      return { delivered: 0, failed: ids.length };
    });
    if (!outcome) break;
    delivered += outcome.delivered;
    failed += outcome.failed;
    if (outcome.failed > 0) break; // the endpoint is unhappy: wait for the backoff rather than hammer it
  }
  return { delivered, failed };
}
