// Exercises the real embedded PostgreSQL lifecycle: no mocks, real initdb,
// real postmasters, real signals. Each test uses its own temp data dir and
// does not rely on the integration project's globalSetup.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  InstanceLockedError,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../../src/db/embedded-postgres.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const childScript = path.join(repoRoot, 'tests/support/embedded-postgres-child.ts');

const tempRoots: string[] = [];
const handles: EmbeddedPostgresHandle[] = [];
const strayPids: number[] = [];

async function freshDataDir(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'assay-embedded-pg-'));
  // mkdtemp creates 0700; run as root, PostgreSQL runs as the 'postgres'
  // user and must be able to traverse it.
  await chmod(root, 0o755);
  tempRoots.push(root);
  return path.join(root, '.assay');
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

function postmasterPid(dataDir: string): number {
  return Number.parseInt(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
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

function waitForReady(child: ChildProcess): Promise<{ port: number; connectionString: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\d+) (\S+)/.exec(stdout);
      if (match) resolve({ port: Number(match[1]), connectionString: match[2]! });
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before READY:\n${stderr}`)));
  });
}

afterAll(async () => {
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
    expect(first.connectionString).toMatch(new RegExp(`@127\\.0\\.0\\.1:${first.port}/postgres$`));
    expect(await query(first.connectionString, 'select 1 as one')).toEqual([{ one: 1 }]);
    expect(await query(first.connectionString, "select current_setting('fsync') as fsync")).toEqual([{ fsync: 'on' }]);
    await query(first.connectionString, "create table kept (note text); insert into kept values ('from run 1')");
    expect(firstProgress[0]).toBe(`Initialising the database cluster in ${path.join(dataDir, 'pg')} …`);
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
