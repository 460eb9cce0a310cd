import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createHash } from 'node:crypto';
import { connectDatabase, withDatabaseName, type DbHandle } from '../../src/db/database.ts';
import { loadDemo, type LoadDemoOptions } from '../../src/demo/load-demo.ts';

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
  return cloneDatabase(inject('templateDatabase'));
}

/**
 * A fresh database holding the demo organisation loaded with `options`. The
 * demo is loaded once per run and option set into a template (under an advisory
 * lock, since test files run in parallel processes), and each file clones it:
 * several files read the same demo without each paying for its load.
 */
export async function createDemoTestDatabase(options: LoadDemoOptions): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const parent = inject('templateDatabase').replace('assay_template_', '');
  const key = createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 12);
  // Named like the files' databases, so the global teardown drops it with them.
  const template = `assay_test_${parent}_demo_${key}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      const building = await cloneDatabase(inject('templateDatabase'));
      try {
        await loadDemo(building.db, options);
      } finally {
        await building.close();
      }
      await admin.query(`ALTER DATABASE ${building.name} RENAME TO ${template}`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [template]).catch(() => undefined);
    await admin.end();
  }
  return cloneDatabase(template);
}

async function cloneDatabase(template: string): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const parent = inject('templateDatabase').replace('assay_template_', '');
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
