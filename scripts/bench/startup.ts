/**
 * npm run bench:startup — how long `assay start` takes to be ready on an
 * existing data directory (the issue asks for under 5 s), against a baseline
 * measured in the same run: a bare Node process with the tsx loader printing
 * one line. Machines here are noisy, so the ratio is the comparable figure.
 * Prints one JSON object on its last line.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const runs = Number(process.env.BENCH_RUNS ?? 5);

function timeUntil(args: string[], pattern: RegExp, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env });
    let err = '';
    const onData = (chunk: Buffer) => {
      err += chunk.toString();
      if (pattern.test(err)) {
        const elapsed = (performance.now() - started) / 1000;
        child.kill('SIGTERM');
        child.on('exit', () => resolve(elapsed));
      }
    };
    child.stderr.on('data', onData);
    child.stdout.on('data', onData);
    child.on('exit', (code) => {
      if (!pattern.test(err)) reject(new Error(`exited ${code} before ready:\n${err}`));
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-'));
fs.chmodSync(dataDir, 0o755);
const env: NodeJS.ProcessEnv = { ...process.env, ASSAY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
const start = ['--import', 'tsx', 'src/cli/main.ts', 'start', '--demo'];
try {
  const first = await timeUntil(start, /Assay is ready on/, env);
  const restarts: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < runs; i++) {
    baselines.push(await timeUntil(['--import', 'tsx', '-e', 'console.error("ready")'], /ready/, env));
    restarts.push(await timeUntil(start, /Assay is ready on/, env));
  }
  const restart = median(restarts);
  const baseline = median(baselines);
  console.log(JSON.stringify({
    first_start_s: Number(first.toFixed(2)),
    restart_s: Number(restart.toFixed(2)),
    restart_runs_s: restarts.map((r) => Number(r.toFixed(2))),
    baseline_node_tsx_s: Number(baseline.toFixed(2)),
    restart_over_baseline: Number((restart / baseline).toFixed(2)),
    restart_under_5s: restart < 5,
  }));
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
