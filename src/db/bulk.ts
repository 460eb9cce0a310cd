import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { poolOf, type Db } from './database.ts';
import type { Database } from './schema.ts';

/**
 * One pooled connection held for a bulk job, usable both through Kysely and
 * for COPY ... FROM STDIN (which Kysely cannot express). The caller runs its
 * own BEGIN/COMMIT through `begin`, `commit` and `rollback`.
 */
export interface BulkConnection {
  /** Kysely bound to this one connection: every query runs inside the open transaction. */
  db: Db;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Streams COPY-format text chunks into `copySql` (a COPY ... FROM STDIN statement). */
  copy(copySql: string, chunks: Iterable<string>): Promise<void>;
}

function singleClientPool(client: pg.PoolClient) {
  // Kysely asks its pool for a connection per query; hand it the same client
  // every time, and never release it from here (the bulk job owns it).
  const borrowed = { query: client.query.bind(client), release: () => undefined };
  return { connect: async () => borrowed, end: async () => undefined };
}

export async function withBulkConnection<T>(db: Db, work: (connection: BulkConnection) => Promise<T>): Promise<T> {
  const client = await poolOf(db).connect();
  const bound = new Kysely<Database>({ dialect: new PostgresDialect({ pool: singleClientPool(client) as unknown as pg.Pool }) });
  let broken = false;
  try {
    return await work({
      db: bound,
      begin: async () => void (await client.query('BEGIN')),
      commit: async () => void (await client.query('COMMIT')),
      rollback: async () => void (await client.query('ROLLBACK')),
      copy: async (copySql, chunks) => {
        const stream = client.query(copyFrom(copySql));
        await pipeline(Readable.from(chunks, { objectMode: false }), stream);
      },
    });
  } catch (error) {
    broken = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await bound.destroy().catch(() => undefined);
    client.release(broken ? true : undefined);
  }
}
