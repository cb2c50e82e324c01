import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// An API key is `tp_<prefix>_<secret>`: the prefix (12 hex digits) is public — it names the key in
// lists and logs and finds its row — and the secret (32 random bytes, base64url) is shown once, on
// creation. Only SHA-256 of the whole key is stored: with 256 bits of entropy no slow password hash
// is needed, and a stolen table yields no usable key.

const KEY_PATTERN = /^tp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  readonly prefix: string;
  readonly hash: Buffer;
}

export function generateApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomBytes(6).toString('hex');
  const key = `tp_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The key's prefix and hash, or null when the text is not shaped like a Traceport key. */
export function parseApiKey(key: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(key);
  const prefix = match?.[1];
  return prefix === undefined ? null : { prefix, hash: hashApiKey(key) };
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `Bearer <key>` from an Authorization header or gRPC metadata value; null when absent or another scheme. */
export function bearerToken(value: unknown): string | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(text);
  return match?.[1] ?? null;
}
