import { loadConfig, type Config } from '../config.ts';
import { connectDatabase, type DbHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { provisionDatabase } from '../db/provision.ts';
import { progress } from './output.ts';

/**
 * A database for one CLI command: DATABASE_URL, or the embedded server — the
 * running Assay's when one is up on the same data directory, else started
 * for the length of the command. Migrations are applied first.
 */
export async function withCliDatabase<T>(work: (database: DbHandle, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const provisioned = await provisionDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, onProgress: progress, attach: true });
  const database = connectDatabase(provisioned.connectionString, { max: 4 });
  try {
    await migrateToLatest(database.db);
    return await work(database, config);
  } finally {
    await database.close();
    await provisioned.stop();
  }
}
