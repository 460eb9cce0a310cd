import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { embeddedClusterDir, InstanceLockedError, startEmbeddedPostgres } from './embedded-postgres.ts';
import { withDatabaseName } from './database.ts';

/**
 * Where Assay's data lives: the PostgreSQL named by DATABASE_URL, or else an
 * embedded PostgreSQL that Assay starts from its data directory.
 */
export interface ProvisionedDatabase {
  connectionString: string;
  embedded: boolean;
  /** Stops the embedded server (no-op for DATABASE_URL). Call after every client is closed. */
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE = 'assay';

async function ensureDatabase(adminConnectionString: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/**
 * The connection string of the embedded server that another Assay process is
 * running on this data directory (postmaster.pid line 4 is its port).
 */
async function runningEmbedded(dataDir: string): Promise<string> {
  const pidFile = await readFile(path.join(await embeddedClusterDir(dataDir), 'postmaster.pid'), 'utf8');
  const port = Number(pidFile.split('\n')[3]);
  const { user, password } = JSON.parse(await readFile(path.join(dataDir, 'credentials.json'), 'utf8')) as { user: string; password: string };
  if (!Number.isInteger(port) || port <= 0) throw new Error(`Cannot read the port of the running database in ${dataDir}.`);
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

export async function provisionDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
  onProgress: (message: string) => void;
  /** When another Assay runs on the data directory, use its database instead of refusing (the CLI does). */
  attach?: boolean;
}): Promise<ProvisionedDatabase> {
  if (options.databaseUrl) {
    return { connectionString: options.databaseUrl, embedded: false, stop: async () => undefined };
  }
  let server;
  try {
    server = await startEmbeddedPostgres({ dataDir: options.dataDir, onProgress: options.onProgress });
  } catch (error) {
    if (!(options.attach && error instanceof InstanceLockedError)) throw error;
    options.onProgress(`Using the database of the running Assay (pid ${error.pid}).`);
    return { connectionString: await runningEmbedded(options.dataDir), embedded: true, stop: async () => undefined };
  }
  try {
    await ensureDatabase(server.connectionString, EMBEDDED_DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    connectionString: withDatabaseName(server.connectionString, EMBEDDED_DATABASE),
    embedded: true,
    stop: () => server.stop(),
  };
}
