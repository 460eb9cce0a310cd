import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The key that seals stored secrets (domain/auth/secret-box.ts). ASSAY_SECRET_KEY when set (at
 * least 32 characters, e.g. `openssl rand -base64 32`; hashed to 32 bytes), which every server of
 * one deployment must share. Otherwise a random key kept in `<dataDir>/secret.key` (mode 0600),
 * created on first start: right for one machine, and off the database either way.
 */
export function loadSecretKey(fromEnv: string | null, dataDir: string): { key: Buffer; source: 'environment' | 'file' } {
  if (fromEnv !== null && fromEnv !== '') {
    if (fromEnv.length < 32) throw new Error('ASSAY_SECRET_KEY must be at least 32 characters (for example the output of `openssl rand -base64 32`).');
    return { key: createHash('sha256').update(fromEnv, 'utf8').digest(), source: 'environment' };
  }
  const file = path.join(dataDir, 'secret.key');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    // Written whole to a private temporary file, then linked into place: of two simultaneous first
    // starts exactly one link succeeds, and neither can read a half-written key.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temporary, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    try {
      fs.linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key; restore it from a backup (secrets sealed with it cannot be read otherwise), or delete it and enter the secrets again.`);
  return { key, source: 'file' };
}
