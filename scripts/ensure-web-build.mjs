#!/usr/bin/env node
// Builds the web UI when web/dist is missing or older than any file under web/
// or the shared domain constants it imports, so `npm start` on a fresh clone
// serves the UI and later starts skip the build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const marker = path.join(root, 'web', 'dist', 'index.html');
const sources = [path.join(root, 'web'), path.join(root, 'src', 'domain', 'access')];

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
const changed = Math.max(...sources.map(newest));
if (built >= changed) process.exit(0);

process.stderr.write(built ? 'The web UI changed; rebuilding …\n' : 'Building the web UI (first start only) …\n');
const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
