import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, withDatabaseName, type DbHandle } from '../../src/db/database.ts';

/**
 * A fresh, migrated database for one test file, cloned from the template that
 * global-setup.ts migrated. Call `drop()` in afterAll.
 */
export interface TestDatabase extends DbHandle {
  name: string;
  connectionString: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('templateDatabase');
  const parent = template.replace('assay_template_', '');
  const name = `assay_test_${parent}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const connectionString = withDatabaseName(adminUrl, name);
  const handle = connectDatabase(connectionString, { max: 5 });
  return {
    ...handle,
    name,
    connectionString,
    async drop() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
