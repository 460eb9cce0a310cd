// Starts the embedded PostgreSQL, reports its progress and READY, then idles
// until killed. The crash-recovery tests SIGKILL this process to leave an
// orphaned postmaster behind, exactly as a killed Assay would. Imported by
// relative path, so a copy of a checkout runs its own copy of the module.
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: embedded-postgres-child.ts <dataDir>\n');
  process.exit(2);
}
const handle = await startEmbeddedPostgres({
  dataDir,
  onProgress: (message) => process.stdout.write(`PROGRESS ${message}\n`),
});
process.stdout.write(`READY ${handle.port} ${handle.connectionString}\n`);
setInterval(() => undefined, 60_000);
