import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** A transaction, or the database itself: repositories accept either. */
export type Executor = Kysely<Database> | Transaction<Database>;

const DATE_OID = 1082;

/** Keeps SQL `date` values as 'YYYY-MM-DD' strings: a hire date has no time zone. */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

export interface DbHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** The pool behind each Kysely instance, for work that needs a raw client (COPY). */
const pools = new WeakMap<Db, pg.Pool>();

export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('This database handle was not made by connectDatabase.');
  return pool;
}

export function connectDatabase(connectionString: string, options: { max?: number } = {}): DbHandle {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types: typeParsers as pg.CustomTypesConfig,
    application_name: 'assay',
  });
  // An idle client that loses its server (a restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  let closed = false;
  return {
    db,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** Replaces the database name in a connection string. */
export function withDatabaseName(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}
