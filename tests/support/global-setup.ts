import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectDatabase, withDatabaseName } from '../../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/db/embedded-postgres.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/**
 * Starts one real PostgreSQL for the whole run (the embedded server, or the
 * one in DATABASE_URL), migrates a template database once, and lets each test
 * file clone its own database from it (tests/support/test-database.ts), so
 * files run in parallel and assume nothing about each other.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
  }
}

let embedded: EmbeddedPostgresHandle | null = null;

export default async function setup(project: TestProject) {
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const dataDir = path.resolve('.assay-test', `pg-${process.pid}`);
    fs.mkdirSync(dataDir, { recursive: true });
    embedded = await startEmbeddedPostgres({ dataDir });
    adminUrl = embedded.connectionString;
  }

  const templateDatabase = `assay_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase}`);
    await admin.query(`CREATE DATABASE ${templateDatabase}`);
    const template = connectDatabase(withDatabaseName(adminUrl, templateDatabase), { max: 2 });
    try {
      await migrateToLatest(template.db);
    } finally {
      await template.close();
    }
  } catch (error) {
    // A failed migration must fail the run with its own error, not leave an open client or server
    // holding the process (the client is closed before the server, which would otherwise kill it).
    await admin.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
  await admin.end();

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    const leftovers = await cleanup.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2",
      [`assay_test_${process.pid}_%`, templateDatabase],
    );
    for (const row of leftovers.rows) await cleanup.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    await cleanup.end();
    if (embedded) {
      await embedded.stop();
      // As root from a checkout the postgres user cannot enter, the cluster lives elsewhere (decisions/0002).
      if (!embedded.clusterDir.startsWith(`${embedded.dataDir}/`)) fs.rmSync(path.dirname(embedded.clusterDir), { recursive: true, force: true });
      fs.rmSync(embedded.dataDir, { recursive: true, force: true });
    }
  };
}
