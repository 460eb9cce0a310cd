import fs from 'node:fs';
import path from 'node:path';

/**
 * The published statistics examples the stats module is tested against.
 * The source of truth is ../shared/reference/stats beside the checkout (as on
 * developers' machines and in CI); tests/reference/stats is a copy so a clone
 * elsewhere still runs them, and tests/unit/reference-copy.test.ts fails when
 * the copy drifts from the shared original.
 */
const root = path.resolve(import.meta.dirname, '../..');
export const SHARED_REFERENCE_DIR = path.resolve(root, '../shared/reference/stats');
export const VENDORED_REFERENCE_DIR = path.resolve(root, 'tests/reference/stats');
export const REFERENCE_DIR = fs.existsSync(SHARED_REFERENCE_DIR) ? SHARED_REFERENCE_DIR : VENDORED_REFERENCE_DIR;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadReference(file: string): any {
  return JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8'));
}
