import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli, type RunningCli } from '../support/cli-process.ts';

/**
 * `assay start` as a person runs it, on its own data directory with the
 * embedded PostgreSQL: first start, restart, a second instance, signals and a
 * crash. DATABASE_URL is removed so the embedded server is used in every lane.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-lifecycle-'));
fs.chmodSync(dataDir, 0o755);
const env = { ASSAY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: undefined };
const running: RunningCli[] = [];

function start(extra: string[] = []): RunningCli {
  const cli = spawnCli(['start', ...extra], env);
  running.push(cli);
  return cli;
}

async function health(url: string) {
  const response = await fetch(`${url}/api/health`);
  return { status: response.status, body: await response.json() };
}

function postgresPid(): number | null {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!fs.existsSync(file)) return null;
  return Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

afterAll(async () => {
  for (const cli of running) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  const pid = postgresPid();
  if (pid && alive(pid)) process.kill(pid, 'SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 500));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('assay start on an embedded database', () => {
  let url = '';

  it('initialises the cluster on first start, saying so, and serves health', async () => {
    const first = start();
    const [, address] = await first.waitFor(/Assay is ready on (http:\/\/\S+)/, 90_000);
    url = address!;
    expect(first.stderr()).toMatch(/Initialising the database cluster/);
    expect(first.stderr()).toMatch(/Applied migrations: 0001-foundation/);
    expect(first.stderr()).toMatch(/setup code [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/);
    expect(await health(url)).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });
  });

  it('refuses a second Assay on the same data directory with a clear message', async () => {
    const second = start();
    const code = await second.exited;
    expect(code).not.toBe(0);
    expect(second.stderr()).toMatch(/Another Assay \(pid \d+\) is already using the data directory/);
    expect(second.stderr()).not.toMatch(/^\s+at /m);
    expect((await health(url)).status).toBe(200);
  });

  it('shuts everything down on SIGTERM, PostgreSQL included', async () => {
    const first = running[0]!;
    const pid = postgresPid();
    expect(pid && alive(pid)).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toMatch(/Stopped\./);
    expect(alive(pid!)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'assay.lock'))).toBe(false);
  });

  it('reuses the cluster on the next start without initialising again', async () => {
    const again = start();
    const [, address] = await again.waitFor(/Assay is ready on (http:\/\/\S+)/);
    expect(again.stderr()).not.toMatch(/Initialising/);
    expect((await health(address!)).status).toBe(200);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('recovers a PostgreSQL left running by a killed Assay', async () => {
    const doomed = start();
    await doomed.waitFor(/Assay is ready on/);
    const orphan = postgresPid()!;
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(alive(orphan)).toBe(true);

    const recovered = start();
    const [, address] = await recovered.waitFor(/Assay is ready on (http:\/\/\S+)/);
    expect(recovered.stderr()).toMatch(/left running/);
    expect(alive(orphan)).toBe(false);
    expect((await health(address!)).status).toBe(200);
    recovered.child.kill('SIGTERM');
    expect(await recovered.exited).toBe(0);
  });
});
