import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets Assay must use later in clear (an external LRS's Basic-auth secret for forwarding) are
 * stored sealed: AES-256-GCM under a key that is not in the database (ASSAY_SECRET_KEY, or a key
 * file in the data directory; src/secret-key.ts). A database dump, a replica or an analyst role
 * then holds nothing usable. Passwords and tokens are never sealed: they are hashed, since Assay
 * only ever compares them.
 *
 * Format: `sealed:v1:` + base64url(12-byte IV | 16-byte tag | ciphertext). The version lets the
 * scheme change without guessing.
 */
const PREFIX = 'sealed:v1:';

export interface SecretBox {
  seal(plain: string): string;
  /** Throws SecretUnreadableError when the value was sealed under another key or altered. */
  open(sealed: string): string;
}

export class SecretUnreadableError extends Error {
  constructor() {
    super('The stored secret cannot be read with this server\'s key (ASSAY_SECRET_KEY or the data directory\'s secret.key changed): enter the secret again.');
    this.name = 'SecretUnreadableError';
  }
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new RangeError(`a secret box needs a 32-byte key, got ${key.length} bytes`);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      if (!isSealed(sealed)) throw new SecretUnreadableError();
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (raw.length < 28) throw new SecretUnreadableError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnreadableError();
      }
    },
  };
}
