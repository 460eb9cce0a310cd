import { sql } from 'kysely';
import type { Executor } from '../database.ts';

export async function insertSession(
  db: Executor,
  values: { idHash: string; userId: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: values.idHash,
      user_id: values.userId,
      csrf_token: values.csrfToken,
      expires_at: values.expiresAt,
      ip: values.ip,
      user_agent: values.userAgent,
    })
    .execute();
}

export async function findLiveSession(db: Executor, idHash: string) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, idHash: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id_hash', '=', idHash).execute();
}

export async function endSession(db: Executor, idHash: string): Promise<void> {
  await db.updateTable('sessions').set({ ended_at: new Date() }).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
}

export async function endSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.updateTable('sessions').set({ ended_at: new Date() }).where('user_id', '=', userId).where('ended_at', 'is', null).execute();
}

export async function deleteOldSessions(db: Executor, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', olderThan), eb('ended_at', '<', olderThan)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function recordSignInAttempt(db: Executor, email: string, ip: string | null, succeeded: boolean) {
  await db.insertInto('sign_in_attempts').values({ email: email.toLowerCase(), ip, succeeded }).execute();
}

/**
 * Failures since `since` for this email (after its last success) and for this
 * address. Used to refuse guessing before a password is even checked.
 */
export async function recentFailures(db: Executor, email: string, ip: string | null, since: Date) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('sign_in_attempts as a')
        .select(sql<number>`count(*)::int`.as('n'))
        .where(sql`lower(a.email)`, '=', email.toLowerCase())
        .where('a.succeeded', '=', false)
        .where('a.at', '>=', since)
        .where((inner) =>
          inner.not(
            inner.exists(
              inner
                .selectFrom('sign_in_attempts as s')
                .select('s.id')
                .where(sql`lower(s.email)`, '=', email.toLowerCase())
                .where('s.succeeded', '=', true)
                .whereRef('s.at', '>', 'a.at'),
            ),
          ),
        )
        .as('by_email'),
      eb
        .selectFrom('sign_in_attempts')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('ip', '=', ip ?? '')
        .where('succeeded', '=', false)
        .where('at', '>=', since)
        .as('by_ip'),
      eb
        .selectFrom('sign_in_attempts')
        .select(sql<Date>`min(at)`.as('first'))
        .where(sql`lower(email)`, '=', email.toLowerCase())
        .where('succeeded', '=', false)
        .where('at', '>=', since)
        .as('oldest'),
    ])
    .executeTakeFirstOrThrow();
  return { byEmail: row.by_email ?? 0, byIp: row.by_ip ?? 0, oldest: row.oldest ?? null };
}

export async function deleteOldSignInAttempts(db: Executor, olderThan: Date): Promise<void> {
  await db.deleteFrom('sign_in_attempts').where('at', '<', olderThan).execute();
}
