/**
 * npm run conformance:xapi — runs the ADL LRS conformance suite (adlnet/lrs-conformance-test-suite,
 * a local copy named by XAPI_SUITE_DIR; never vendored) against a fresh Assay.
 *
 * Starts Assay on a free port with an embedded PostgreSQL in a temporary directory (or DATABASE_URL),
 * creates an organisation-wide xAPI credential, runs the suite for XAPI_VERSION (1.0.3, 2.0.0, or
 * both by default) under a timeout (XAPI_SUITE_TIMEOUT_S, default 1800 s per version), and prints
 * one JSON line per version, {"suite":"xapi","version":...,"passed":...,"failed":...}, then a last
 * line {"suite":"xapi","versions":[...],"passed":...,"failed":...} when several ran. Exits 0 when nothing failed,
 * 1 when something did, 2 when the suite is missing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAssay } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { asSystem } from '../../src/db/scoped.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { createCredential } from '../../src/domain/xapi/xapi-credentials.service.ts';

interface VersionResult {
  suite: 'xapi';
  version: string;
  passed: number;
  failed: number;
  total?: number;
  timedOut?: boolean;
  failures?: string[];
  log?: string;
}

const suiteDir = process.env.XAPI_SUITE_DIR;
if (!suiteDir || !fs.existsSync(path.join(suiteDir, 'bin', 'console_runner.js'))) {
  console.error(
    suiteDir
      ? `XAPI_SUITE_DIR=${suiteDir} does not hold the suite (bin/console_runner.js is missing).`
      : 'Set XAPI_SUITE_DIR to a local copy of adlnet/lrs-conformance-test-suite with its npm dependencies installed.',
  );
  process.exit(2);
}
const versions = (process.env.XAPI_VERSION ?? '1.0.3,2.0.0').split(',').map((v) => v.trim()).filter(Boolean);
const timeoutMs = Number(process.env.XAPI_SUITE_TIMEOUT_S ?? 1800) * 1000;

/** Failed test titles from the suite's run log (a nested tree of suites and tests). */
function failuresIn(logPath: string): string[] {
  try {
    const record = JSON.parse(fs.readFileSync(logPath, 'utf8')) as { log?: unknown };
    const out: string[] = [];
    const walk = (node: unknown, trail: string[]) => {
      if (!node || typeof node !== 'object') return;
      const n = node as { title?: string; status?: string; tests?: unknown[]; error?: unknown };
      const here = n.title ? [...trail, n.title] : trail;
      if (n.status === 'failed' && (!n.tests || n.tests.length === 0)) out.push(`${here.join(' > ')}${n.error ? ` :: ${String(n.error).slice(0, 300)}` : ''}`);
      for (const child of n.tests ?? []) walk(child, here);
    };
    walk(record.log, []);
    return out;
  } catch {
    return [];
  }
}

function runSuite(version: string, endpoint: string, key: string, secret: string): Promise<VersionResult> {
  return new Promise((resolve) => {
    const args = ['bin/console_runner.js', '-e', endpoint, '-a', '-u', key, '-p', secret, '-x', version, '-z'];
    if (process.env.XAPI_SUITE_GREP) args.push('-g', process.env.XAPI_SUITE_GREP);
    const child = spawn(process.execPath, args, { cwd: suiteDir, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', () => {
      clearTimeout(timer);
      // The runner prints its summary as JSON every two seconds and once more at the end.
      let summary: { total?: number; passed?: number; failed?: number } = {};
      for (const line of output.split('\n')) {
        const text = line.trim();
        if (!text.startsWith('{') || !text.includes('"passed"')) continue;
        try {
          summary = JSON.parse(text) as typeof summary;
        } catch {
          /* not the summary */
        }
      }
      const log = /Full run log written to (\S+)/.exec(output)?.[1];
      const failures = log ? failuresIn(log) : [];
      resolve({
        suite: 'xapi',
        version,
        passed: summary.passed ?? 0,
        failed: (summary.failed ?? 0) + (timedOut || summary.passed === undefined ? 1 : 0),
        ...(summary.total !== undefined && { total: summary.total }),
        ...(timedOut && { timedOut }),
        ...(failures.length > 0 && { failures }),
        ...(log && { log }),
      });
    });
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-xapi-conformance-'));
fs.chmodSync(dataDir, 0o755);
const config = { ...loadConfig({ ...process.env, ASSAY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error' }) };
const assay = await startAssay({ config, jobs: false, onProgress: (message) => console.error(message) });
const results: VersionResult[] = [];
try {
  const credential = await asSystem(assay.database.db, (trx) =>
    createCredential(trx, systemActor('conformance'), { name: 'ADL conformance suite', vendorId: null, access: 'read_write' }),
  );
  for (const version of versions) {
    const result = await runSuite(version, `${assay.url}/xapi`, credential.key, credential.secret);
    for (const failure of result.failures ?? []) console.error(`FAILED [${version}] ${failure}`);
    const { failures: _f, log: _l, ...line } = result;
    console.log(JSON.stringify(line));
    results.push(result);
  }
} finally {
  await assay.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
const failed = results.reduce((sum, r) => sum + r.failed, 0);
// With one version its own line is the last; with several, one more line sums them up.
if (results.length > 1) {
  console.log(
    JSON.stringify({
      suite: 'xapi',
      versions: results.map(({ version, passed, failed: f }) => ({ version, passed, failed: f })),
      passed: results.reduce((sum, r) => sum + r.passed, 0),
      failed,
    }),
  );
}
process.exit(failed === 0 ? 0 : 1);
