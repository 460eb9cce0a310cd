/**
 * Where the embedded PostgreSQL's binaries and cluster live.
 *
 * Normally both stay where they are: the binaries in node_modules, the
 * cluster in dataDir/pg. Run as root, PostgreSQL runs as the 'postgres'
 * system user, which must be able to enter every directory above them. A
 * checkout under /root or under a `mktemp -d` directory (both mode 0700)
 * blocks it. Rather than fail, or loosen the permissions of the user's own
 * directories, Assay then moves what the postgres user must reach into a
 * runtime directory that only root can modify (default /var/lib/assay):
 *
 *   <runtime>/postgres/<package version>/   a copy of the package's native/
 *                                           folder (bin, lib, share), made
 *                                           once: copied beside, marked
 *                                           complete, renamed into place
 *   <runtime>/clusters/<hash>/pg            the cluster, owned by postgres,
 *                                           mode 0700; <hash> is the first 16
 *                                           hex digits of sha256(realpath(dataDir))
 *   <runtime>/clusters/<hash>/data-dir      which data directory owns it
 *
 * The data directory keeps the lock, credentials and log (root reads
 * those) and records the relocated cluster in dataDir/cluster-location, so
 * later starts, and people, find it. A recorded location always wins: it is
 * where the data is.
 *
 * Root spawns PostgreSQL's binaries (as postgres) and chowns directories in
 * the runtime directory, so it must be root's alone: every directory on its
 * path is checked to be owned by root and not writable by others (sticky
 * directories such as /tmp excepted above it). Otherwise Assay refuses,
 * saying why, instead of running what another user could have replaced.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import {
  chmod,
  mkdir,
  readFile,
  realpath,
  rename,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { errorCode, exists, type PostgresBinaries, type RunAs } from './embedded-postgres-process.ts';
import { ensureBinariesCopy, isCompleteCopy, nativeDirOf, packageVersion } from './embedded-postgres-binaries.ts';

const execFileAsync = promisify(execFile);

export const DEFAULT_RUNTIME_DIR = '/var/lib/assay';
export const CLUSTER_DIR = 'pg';
export const CLUSTER_LOCATION_FILE = 'cluster-location';
const CLUSTER_OWNER_FILE = 'data-dir';



async function readTrimmed(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode);
  await rename(temporary, file);
}

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8)}`;

// ------------------------------------------------------- what postgres reaches

/** 'enter': a directory it can traverse; 'execute': a file it can run; 'read': a file it can read. */
export interface AccessCheck {
  kind: 'enter' | 'execute' | 'read';
  path: string;
}

const PROBE_SCRIPT =
  'for a; do k=${a%%:*}; p=${a#*:}; case $k in ' +
  'enter) test -d "$p" && test -x "$p";; execute) test -f "$p" && test -x "$p";; read) test -r "$p";; *) false;; esac ' +
  '&& echo 1 || echo 0; done';

/**
 * Asks the kernel, as runAs, about each check: one shell, shell builtins
 * only, so a dozen checks cost a few milliseconds.
 */
export async function probeAccess(runAs: RunAs, checks: readonly AccessCheck[]): Promise<boolean[]> {
  if (checks.length === 0) return [];
  const { stdout } = await execFileAsync(
    '/bin/sh',
    ['-c', PROBE_SCRIPT, 'sh', ...checks.map((check) => `${check.kind}:${check.path}`)],
    { uid: runAs.uid, gid: runAs.gid },
  );
  const answers = stdout.split('\n').filter((line) => line !== '');
  if (answers.length !== checks.length) throw new Error(`Unexpected answer from the access probe: ${JSON.stringify(stdout)}`);
  return answers.map((answer) => answer === '1');
}

/** '/a/b/c' → ['/a', '/a/b', '/a/b/c']: each directory that must be entered to reach c's contents. */
export function lineage(directory: string): string[] {
  const chain: string[] = [];
  for (let current = path.resolve(directory); current !== path.dirname(current); current = path.dirname(current)) {
    chain.unshift(current);
  }
  return chain;
}

/** Answers checks against one probe's results, memoised by path and kind. */
class AccessAnswers {
  private readonly answers = new Map<string, boolean>();

  constructor(checks: readonly AccessCheck[], results: readonly boolean[]) {
    checks.forEach((check, index) => this.answers.set(`${check.kind}:${check.path}`, results[index] ?? false));
  }

  ok(check: AccessCheck): boolean {
    return this.answers.get(`${check.kind}:${check.path}`) ?? false;
  }

  /** The outermost directory on the way to `directory` that cannot be entered. */
  blocker(directory: string): string | undefined {
    return lineage(directory).find((dir) => !this.ok({ kind: 'enter', path: dir }));
  }
}

function enterAll(directory: string): AccessCheck[] {
  return lineage(directory).map((dir) => ({ kind: 'enter', path: dir }));
}

async function binariesChecks(binaries: PostgresBinaries): Promise<AccessCheck[]> {
  const checks: AccessCheck[] = [
    ...enterAll(path.dirname(binaries.postgres)),
    ...enterAll(path.dirname(binaries.initdb)),
    { kind: 'execute', path: binaries.postgres },
    { kind: 'execute', path: binaries.initdb },
  ];
  // initdb's first read from share/; stands for the rest of the folder.
  const bki = path.join(nativeDirOf(binaries), 'share', 'postgresql', 'postgres.bki');
  if (await exists(bki)) checks.push({ kind: 'read', path: bki });
  return checks;
}

function allOk(answers: AccessAnswers, checks: readonly AccessCheck[]): boolean {
  return checks.every((check) => answers.ok(check));
}

// ------------------------------------------------------------------ decision

export interface PlacementFacts {
  /** Assay runs as root, so PostgreSQL runs as the postgres system user. */
  runsAsPostgresUser: boolean;
  /** The postgres user can run the package's binaries where they are. */
  binariesReachable: boolean;
  /** The postgres user can enter the data directory. */
  dataDirReachable: boolean;
  /** dataDir/pg exists (a cluster, or at least its place, in the data directory). */
  clusterInDataDir: boolean;
  /** Contents of dataDir/cluster-location, if any. */
  recordedCluster: string | undefined;
}

export interface PlacementPlan {
  binaries: 'package' | 'copy';
  cluster: 'data-dir' | 'recorded' | 'relocate';
}

/**
 * The whole decision, free of I/O. A recorded cluster is used wherever it
 * is; an existing dataDir/pg is never moved (moving data is the user's
 * call); otherwise root relocates the cluster when the postgres user cannot
 * enter the data directory. Binaries are copied only when unreachable.
 */
export function planPlacement(facts: PlacementFacts): PlacementPlan {
  const root = facts.runsAsPostgresUser;
  const binaries = root && !facts.binariesReachable ? 'copy' : 'package';
  if (facts.recordedCluster !== undefined) return { binaries, cluster: 'recorded' };
  if (root && !facts.clusterInDataDir && !facts.dataDirReachable) return { binaries, cluster: 'relocate' };
  return { binaries, cluster: 'data-dir' };
}

// ------------------------------------------------------------------ placement

export interface Placement {
  binaries: PostgresBinaries;
  /** The cluster directory (pg/), wherever it lives. */
  pgDir: string;
}

export interface PlacementOptions {
  dataDir: string;
  binaries: PostgresBinaries;
  runAs: RunAs | undefined;
  /** Root of the fallbacks (ASSAY_PG_RUNTIME_DIR, default /var/lib/assay). */
  runtimeDir: string;
  progress: (message: string) => void;
}

export async function readClusterLocation(dataDir: string): Promise<string | undefined> {
  const file = path.join(dataDir, CLUSTER_LOCATION_FILE);
  const recorded = await readTrimmed(file);
  if (recorded === undefined) return undefined;
  if (!path.isAbsolute(recorded)) {
    throw new Error(`${file} should hold the absolute path of the PostgreSQL cluster, but holds ${JSON.stringify(recorded)}.`);
  }
  return path.normalize(recorded);
}

/** The cluster directory of dataDir: the recorded one, else dataDir/pg. */
export async function clusterDirOf(dataDir: string): Promise<string> {
  return (await readClusterLocation(dataDir)) ?? path.join(dataDir, CLUSTER_DIR);
}

const isInside = (child: string, parent: string): boolean => child === parent || child.startsWith(`${parent}/`);

/**
 * Decides where the binaries and the cluster are, prepares any fallback and
 * says so once through progress. The caller holds the instance lock.
 */
export async function placePostgres(options: PlacementOptions): Promise<Placement> {
  const { dataDir, runAs, progress } = options;
  const runtimeDir = path.resolve(options.runtimeDir);
  const recordFile = path.join(dataDir, CLUSTER_LOCATION_FILE);
  const recorded = await readClusterLocation(dataDir);
  if (!runAs) {
    // PostgreSQL runs as us: whatever we can reach, it can.
    if (recorded) progress(`The PostgreSQL cluster lives in ${recorded} (recorded in ${recordFile}).`);
    return { binaries: options.binaries, pgDir: recorded ?? path.join(dataDir, CLUSTER_DIR) };
  }

  const packageChecks = await binariesChecks(options.binaries);
  const dataChecks = enterAll(dataDir);
  const first = new AccessAnswers([...packageChecks, ...dataChecks], await probeAccess(runAs, [...packageChecks, ...dataChecks]));
  const dataDirReachable = allOk(first, dataChecks);
  const plan = planPlacement({
    runsAsPostgresUser: true,
    binariesReachable: allOk(first, packageChecks),
    dataDirReachable,
    clusterInDataDir: await exists(path.join(dataDir, CLUSTER_DIR)),
    recordedCluster: recorded,
  });
  if (plan.cluster === 'data-dir' && !dataDirReachable) {
    throw unreachableError(runAs, first.blocker(dataDir) ?? dataDir, `the existing cluster in ${path.join(dataDir, CLUSTER_DIR)}`,
      'Assay does not move an existing cluster: make that directory traversable (chmod o+x), ' +
        'or move the data directory (ASSAY_DATA_DIR) somewhere the postgres user can reach.');
  }
  if (plan.binaries === 'package' && plan.cluster === 'data-dir') {
    return { binaries: options.binaries, pgDir: path.join(dataDir, CLUSTER_DIR) };
  }

  // 1. Where everything will be; directories created and checked root-only.
  const realDataDir = await realpath(dataDir);
  let binaries = options.binaries;
  let copy: { source: string; versionsDir: string; dir: string; version: string; required: string[]; complete: boolean } | undefined;
  if (plan.binaries === 'copy') {
    const source = nativeDirOf(options.binaries);
    const versionsDir = path.join(runtimeDir, 'postgres');
    const version = await packageVersion(source);
    const dir = path.join(versionsDir, version);
    const required = [options.binaries.postgres, options.binaries.initdb].map((file) => path.relative(source, file));
    await ensureRootOnlyDirectory(versionsDir, runtimeDir);
    copy = { source, versionsDir, dir, version, required, complete: await isCompleteCopy(dir, version, required) };
    binaries = {
      postgres: path.join(dir, path.relative(source, options.binaries.postgres)),
      initdb: path.join(dir, path.relative(source, options.binaries.initdb)),
    };
  }
  let pgDir = path.join(dataDir, CLUSTER_DIR);
  let recordCluster: (() => Promise<void>) | undefined;
  if (plan.cluster === 'recorded' && recorded) {
    // Root creates and chowns directories there: only the shape Assay
    // writes is accepted, whoever may have edited the file.
    if (!RELOCATED_SHAPE.test(recorded)) {
      throw new Error(
        `${recordFile} names ${recorded}, which is not a cluster directory Assay creates (…/clusters/<16 hex digits>/pg). ` +
          'Correct or delete that file.',
      );
    }
    pgDir = recorded;
    const parent = path.dirname(pgDir);
    await ensureRootOnlyDirectory(parent, isInside(parent, runtimeDir) ? runtimeDir : parent);
    const owner = await clusterOwner(parent, realDataDir, pgDir);
    if (owner.takenBy) throw sharedClusterError(pgDir, owner.takenBy, realDataDir);
    recordCluster = owner.claim;
  } else if (plan.cluster === 'relocate') {
    for (let attempt = 0; ; attempt++) {
      if (attempt >= 10) throw new Error(`Found no free cluster directory in ${path.join(runtimeDir, 'clusters')} for ${realDataDir}.`);
      const parent = path.join(runtimeDir, 'clusters', clusterParentName(realDataDir, attempt));
      await ensureRootOnlyDirectory(parent, runtimeDir);
      // Taken by a data directory that was moved here from realDataDir's
      // path, then replaced by a new one: use the next name.
      const owner = await clusterOwner(parent, realDataDir, path.join(parent, CLUSTER_DIR));
      if (owner.takenBy) continue;
      pgDir = path.join(parent, CLUSTER_DIR);
      recordCluster = async () => {
        await owner.claim?.();
        // Recorded before initdb, so an interrupted first start finds it again.
        await writeAtomically(recordFile, `${pgDir}\n`, 0o644);
      };
      break;
    }
  }

  // 2. The postgres user must reach them (ASSAY_PG_RUNTIME_DIR under /root
  // would not do), checked before anything is recorded.
  const checks = [
    ...(copy ? (copy.complete ? await binariesChecks(binaries) : enterAll(copy.versionsDir)) : []),
    ...(plan.cluster === 'data-dir' ? [] : enterAll(path.dirname(pgDir))),
  ];
  const second = new AccessAnswers(checks, await probeAccess(runAs, checks));
  if (!allOk(second, checks)) {
    const blocker = [copy?.versionsDir, plan.cluster === 'data-dir' ? undefined : path.dirname(pgDir)]
      .map((dir) => (dir === undefined ? undefined : second.blocker(dir)))
      .find((dir) => dir !== undefined);
    throw fallbackUnreachableError(runAs, blocker, copy?.dir ?? pgDir, runtimeDir);
  }
  await recordCluster?.();

  // 3. One message: what happened and why.
  progress(
    [
      reasonFor(first, options.binaries, plan, dataDir, dataDirReachable),
      copy && `Its binaries run from a copy in ${copy.dir}${copy.complete ? '' : ' (copying now, once per package version)'}.`,
      plan.cluster !== 'data-dir' && `The cluster lives in ${pgDir} (recorded in ${recordFile}).`,
    ]
      .filter((part): part is string => typeof part === 'string' && part !== '')
      .join(' '),
  );

  // 4. The copy, if it is not there yet.
  if (copy && !copy.complete) {
    await ensureBinariesCopy(copy.source, copy.versionsDir, copy.version, copy.required);
    const copied = await binariesChecks(binaries);
    if (!allOk(new AccessAnswers(copied, await probeAccess(runAs, copied)), copied)) {
      throw fallbackUnreachableError(runAs, undefined, copy.dir, runtimeDir);
    }
  }
  return { binaries, pgDir };
}

function unreachableError(runAs: RunAs, blocker: string, what: string, advice: string): Error {
  return new Error(
    `PostgreSQL runs as the 'postgres' system user (uid ${runAs.uid}), which cannot enter ${blocker}${modeSuffix(blocker)}, ` +
      `so it cannot reach ${what}. ${advice}`,
  );
}

function fallbackUnreachableError(runAs: RunAs, blocker: string | undefined, what: string, runtimeDir: string): Error {
  const advice =
    `Make it traversable for that user (chmod o+x), or set ASSAY_PG_RUNTIME_DIR (now ${runtimeDir}) to a root-owned ` +
    `directory it can reach; a cluster already recorded in ${CLUSTER_LOCATION_FILE} stays where it is.`;
  if (blocker) return unreachableError(runAs, blocker, what, advice);
  return new Error(`PostgreSQL runs as the 'postgres' system user (uid ${runAs.uid}), which cannot use ${what}. ${advice}`);
}

function sharedClusterError(pgDir: string, owner: string, realDataDir: string): Error {
  return new Error(
    `The PostgreSQL cluster ${pgDir} belongs to the data directory ${owner}, whose ${CLUSTER_LOCATION_FILE} points to it, ` +
      `so ${realDataDir} cannot use it as well (was the data directory copied?). Delete ` +
      `${path.join(realDataDir, CLUSTER_LOCATION_FILE)} and ${path.join(realDataDir, 'credentials.json')} to give it a new, empty cluster.`,
  );
}

function modeSuffix(directory: string): string {
  const mode = orUndefined(() => statSync(directory).mode);
  return mode === undefined ? '' : ` (mode ${octal(mode)})`;
}

function orUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Why a fallback is in use: the directories the postgres user cannot enter. */
function reasonFor(
  answers: AccessAnswers,
  packageBinaries: PostgresBinaries,
  plan: PlacementPlan,
  dataDir: string,
  dataDirReachable: boolean,
): string {
  const blockers = new Set<string>();
  let binariesUnusable = false;
  if (plan.binaries === 'copy') {
    const blocker = answers.blocker(path.dirname(packageBinaries.postgres)) ?? answers.blocker(path.dirname(packageBinaries.initdb));
    if (blocker) blockers.add(blocker);
    else binariesUnusable = true; // reachable, but not executable or readable
  }
  if (plan.cluster === 'relocate' && !dataDirReachable) {
    const blocker = answers.blocker(dataDir);
    if (blocker) blockers.add(blocker);
  }
  const cannot = [
    blockers.size > 0 ? `cannot enter ${[...blockers].map((dir) => `${dir}${modeSuffix(dir)}`).join(' or ')}` : '',
    binariesUnusable ? `cannot use the PostgreSQL binaries in ${nativeDirOf(packageBinaries)}` : '',
  ].filter((part) => part !== '');
  return cannot.length === 0 ? '' : `PostgreSQL runs as the 'postgres' system user, which ${cannot.join(' and ')}.`;
}

// ------------------------------------------------------------------ cluster

const RELOCATED_SHAPE = /^\/(?:.+\/)?clusters\/[0-9a-f]{16}(?:-\d+)?\/pg$/;

function clusterParentName(realDataDir: string, attempt: number): string {
  const hash = createHash('sha256').update(realDataDir).digest('hex').slice(0, 16);
  return attempt === 0 ? hash : `${hash}-${attempt}`;
}

/** Where a data directory's cluster goes when it is relocated (first choice). */
export function relocatedClusterDir(runtimeDir: string, realDataDir: string): string {
  return path.join(path.resolve(runtimeDir), 'clusters', clusterParentName(realDataDir, 0), CLUSTER_DIR);
}

/**
 * A relocated cluster belongs to one data directory, named in a file beside
 * it. Each data directory has its own instance lock, so two sharing one
 * cluster (a copied data directory) would stop each other's server as a
 * leftover. A data directory that was moved takes its cluster along: the
 * old owner no longer exists or no longer points here.
 */
async function clusterOwner(
  parent: string,
  realDataDir: string,
  pgDir: string,
): Promise<{ takenBy?: string; claim?: () => Promise<void> }> {
  const ownerFile = path.join(parent, CLUSTER_OWNER_FILE);
  const owner = await readTrimmed(ownerFile);
  if (owner === realDataDir) return {};
  if (owner !== undefined) {
    const ownerRecord = await readTrimmed(path.join(owner, CLUSTER_LOCATION_FILE)).catch(() => undefined);
    if (ownerRecord !== undefined && path.normalize(ownerRecord) === pgDir) return { takenBy: owner };
  }
  return { claim: () => writeAtomically(ownerFile, `${realDataDir}\n`, 0o644) };
}

// ------------------------------------------------------ root-only directory

/**
 * Creates directory (mode 0755, whatever the umask) and checks that only
 * root can change anything on the way to it. `checkFrom` and everything
 * below it must not be writable by anyone else; above it, world-writable
 * sticky directories (/tmp) are fine: nobody else can rename our entries.
 */
export async function ensureRootOnlyDirectory(directory: string, checkFrom: string): Promise<void> {
  const created = await mkdir(directory, { recursive: true, mode: 0o755 });
  if (created !== undefined) {
    for (let dir = path.resolve(directory); ; dir = path.dirname(dir)) {
      await chmod(dir, 0o755);
      if (dir === path.resolve(created) || dir === path.dirname(dir)) break;
    }
  }
  const real = await realpath(directory);
  const strictFrom = await realpath(checkFrom).catch(() => path.resolve(checkFrom));
  for (const dir of ['/', ...lineage(real)]) {
    const info = await stat(dir);
    const strict = dir === strictFrom || dir.startsWith(`${strictFrom}/`) || strictFrom === '/';
    let problem: string | undefined;
    if (info.uid !== 0) problem = `is owned by uid ${info.uid}, not root`;
    else if (info.mode & 0o002 && (strict || !(info.mode & 0o1000))) problem = `is writable by all users (mode ${octal(info.mode)})`;
    else if (info.mode & 0o020 && info.gid !== 0 && (strict || !(info.mode & 0o1000))) {
      problem = `is writable by group ${info.gid} (mode ${octal(info.mode)})`;
    }
    if (problem) {
      throw new Error(
        `Refusing to keep PostgreSQL's binaries or cluster in ${directory}: ${dir} ${problem}, so another user could ` +
          'replace what root prepares there. Fix that, or set ASSAY_PG_RUNTIME_DIR to a directory only root can modify.',
      );
    }
  }
}
