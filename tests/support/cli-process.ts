import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

/** The real `assay` CLI in a child process, as a person would run it. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  stdout: () => string;
  /** Resolves with the text once `pattern` appears on stderr; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): RunningCli {
  const fullEnv: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete fullEnv[key];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: fullEnv });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${pattern}; stderr:\n${err}`)), timeoutMs);
        const check = () => {
          const match = err.match(pattern);
          if (match) {
            clearTimeout(timer);
            child.stderr.off('data', check);
            resolve(match);
          }
        };
        child.stderr.on('data', check);
        void exited.then((code) => {
          clearTimeout(timer);
          if (!err.match(pattern)) reject(new Error(`Exited with ${code} before ${pattern}; stderr:\n${err}`));
        });
        check();
      });
    },
  };
}
