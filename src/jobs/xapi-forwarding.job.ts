import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { forwardPending, type ForwardSender } from '../domain/xapi/xapi-forwarding.service.ts';
import type { JobQueue } from './job-queue.ts';
import type { SecretBox } from '../domain/auth/secret-box.ts';

export const XAPI_FORWARD_JOB = 'xapi.forward';

/** POSTs with a 15-second limit: a slow LRS fails the batch, which is retried with backoff. */
export const fetchSender: ForwardSender = async (request) => {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(15_000) });
  return { status: response.status, body: await response.text().catch(() => '') };
};

/**
 * Every minute: forwards Assay's own training statements queued in the outbox to the external
 * LRS configured under /api/xapi/forwarding (domain/xapi/xapi-forwarding.service.ts). Nothing is
 * queued while forwarding is off, so the job is then a single settings read.
 */
export async function registerXapiForwarding(jobs: JobQueue, db: Db, box: SecretBox, logger: Logger): Promise<void> {
  await jobs.handle(XAPI_FORWARD_JOB, async () => {
    const result = await forwardPending(db, fetchSender, box);
    if (result.delivered > 0 || result.failed > 0) logger.info(result, 'xapi statements forwarded');
  });
  await jobs.schedule(XAPI_FORWARD_JOB, '* * * * *');
}
