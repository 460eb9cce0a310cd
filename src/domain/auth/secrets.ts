import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret, URL-safe. 32 bytes = 256 bits. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Session ids and API tokens are stored only as SHA-256 digests: they are
 * high-entropy random values, so a fast hash is enough (unlike passwords) and
 * a database leak does not yield usable credentials.
 */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
