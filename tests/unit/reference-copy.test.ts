import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_REFERENCE_DIR, VENDORED_REFERENCE_DIR } from '../support/reference.ts';

describe('the vendored copy of the statistics references', () => {
  it.skipIf(!fs.existsSync(SHARED_REFERENCE_DIR))('matches ../shared/reference/stats file for file (skipped only where shared/ is absent)', () => {
    const shared = fs.readdirSync(SHARED_REFERENCE_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(fs.readdirSync(VENDORED_REFERENCE_DIR).sort()).toEqual(shared);
    for (const file of shared) {
      expect(fs.readFileSync(path.join(VENDORED_REFERENCE_DIR, file), 'utf8'), file).toBe(fs.readFileSync(path.join(SHARED_REFERENCE_DIR, file), 'utf8'));
    }
  });
});

describe('the vendored copy of the ConvAbuse ratings', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const shared = path.resolve(root, '../shared/data/convabuse');
  const vendored = path.resolve(root, 'tests/reference/convabuse');
  it.skipIf(!fs.existsSync(shared))('matches ../shared/data/convabuse byte for byte (skipped only where shared/ is absent)', () => {
    for (const file of ['derived_is_abuse_long.csv', 'LICENSE', 'SOURCE.txt']) {
      expect(fs.readFileSync(path.join(vendored, file), 'utf8'), file).toBe(fs.readFileSync(path.join(shared, file), 'utf8'));
    }
  });
});
