// Starts the embedded PostgreSQL, reports READY, then idles until killed.
// The crash-recovery test SIGKILLs this process to leave an orphaned
// postmaster behind, exactly as a killed Assay would.
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: embedded-postgres-child.ts <dataDir>\n');
  process.exit(2);
}
const handle = await startEmbeddedPostgres({ dataDir });
process.stdout.write(`READY ${handle.port} ${handle.connectionString}\n`);
setInterval(() => undefined, 60_000);
