import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { claimKey, completeKey, findKey, releaseKey } from '../db/repositories/idempotency.repository.ts';
import { AppError } from '../domain/errors.ts';

/**
 * `Idempotency-Key` on any authenticated write: the first answer is kept for a
 * day and replayed to a retry with the same key and the same request, marked
 * `idempotent-replayed: true`. The same key with a different request is a
 * 409; a retry while the first is still running is a 409 to retry later.
 * Server errors are not kept, so a retry after a 5xx runs again.
 */
declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { userId: string; key: string } | null;
  }
}

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const ABANDONED_AFTER_MS = 60_000;

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['idempotency-key'];
    if (!WRITES.has(request.method) || header === undefined || !request.principal) return;
    // Streamed bodies (decision ingestion) are idempotent by content: each decision has its own id.
    if (typeof (request.body as { pipe?: unknown } | null)?.pipe === 'function') return;
    const key = Array.isArray(header) ? header[0]! : header;
    if (key.length === 0 || key.length > 200) {
      throw new AppError('BAD_REQUEST', 'An Idempotency-Key must be 1 to 200 characters.');
    }
    const userId = request.principal.user.id;
    const hash = requestHash(request);
    const claim = { userId, key, method: request.method, path: request.url, requestHash: hash };
    if (await claimKey(db, claim)) {
      request.idempotency = { userId, key };
      return;
    }
    const existing = await findKey(db, userId, key);
    if (existing && existing.status === null && Date.now() - existing.created_at.getTime() > ABANDONED_AFTER_MS) {
      // The first attempt died mid-request (its transaction rolled back): let this one run.
      await releaseKey(db, userId, key);
      if (await claimKey(db, claim)) {
        request.idempotency = { userId, key };
        return;
      }
    }
    const row = existing ?? (await findKey(db, userId, key));
    if (!row) throw new AppError('CONFLICT', 'This Idempotency-Key is being used right now; retry shortly.');
    if (row.request_hash !== hash) {
      throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different request.');
    }
    if (row.status === null) throw new AppError('CONFLICT', 'The first request with this Idempotency-Key is still running; retry shortly.');
    return reply.status(row.status).header('idempotent-replayed', 'true').send(row.body);
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    if (reply.statusCode >= 500) {
      await releaseKey(db, claim.userId, claim.key);
      return payload;
    }
    let body: unknown = null;
    if (typeof payload === 'string' && payload.length > 0) {
      try {
        body = JSON.parse(payload);
      } catch {
        body = payload;
      }
    }
    await completeKey(db, claim.userId, claim.key, reply.statusCode, body);
    return payload;
  });
}
