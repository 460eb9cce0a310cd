import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSealed, secretBox, SecretUnreadableError } from '../../src/domain/auth/secret-box.ts';
import { loadSecretKey } from '../../src/secret-key.ts';

describe('sealed secrets', () => {
  const box = secretBox(randomBytes(32));

  it('round-trips, with a fresh IV each time, and hides the plain text', () => {
    const a = box.seal('s3cret-value ✓');
    const b = box.seal('s3cret-value ✓');
    expect(isSealed(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret');
    expect(box.open(a)).toBe('s3cret-value ✓');
    expect(box.open(box.seal(''))).toBe('');
  });

  it('refuses another key, an altered value and a value that was never sealed', () => {
    const sealed = box.seal('s3cret-value');
    expect(() => secretBox(randomBytes(32)).open(sealed)).toThrow(SecretUnreadableError);
    const raw = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64url');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => box.open(`sealed:v1:${raw.toString('base64url')}`)).toThrow(SecretUnreadableError);
    expect(() => box.open('s3cret-value')).toThrow(SecretUnreadableError);
    expect(() => box.open('sealed:v1:AAAA')).toThrow(SecretUnreadableError);
    expect(() => secretBox(randomBytes(16))).toThrow(RangeError);
  });
});

describe('the sealing key', () => {
  const roots: string[] = [];
  const dataDir = () => {
    roots.push(fs.mkdtempSync(path.join(os.tmpdir(), 'assay-key-')));
    return path.join(roots.at(-1)!, '.assay');
  };
  afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  it('is created once in the data directory, readable by its owner only, and read back the same', () => {
    const dir = dataDir();
    const first = loadSecretKey(null, dir);
    expect(first.source).toBe('file');
    expect(first.key).toHaveLength(32);
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(loadSecretKey(null, dir).key.equals(first.key)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['secret.key']);
  });

  it('comes from ASSAY_SECRET_KEY when set, which must be long enough, and a damaged key file is refused', () => {
    const dir = dataDir();
    const fromEnv = loadSecretKey('x'.repeat(40), dir);
    expect(fromEnv.source).toBe('environment');
    expect(fromEnv.key.equals(loadSecretKey('x'.repeat(40), dataDir()).key)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);
    expect(() => loadSecretKey('too-short', dir)).toThrow(/at least 32 characters/);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'secret.key'), 'not a key\n');
    expect(() => loadSecretKey(null, dir)).toThrow(/32-byte base64 key/);
  });
});
