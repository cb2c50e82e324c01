import { describe, expect, it } from 'vitest';
import { bearerToken, generateApiKey, hashApiKey, parseApiKey, sameHash } from './api-key.js';

describe('API keys', () => {
  it('are tp_<prefix>_<secret>, parse back to their prefix and hash, and differ every time', () => {
    const first = generateApiKey();
    const second = generateApiKey();
    expect(first.key).toMatch(/^tp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(first.key).not.toBe(second.key);
    const parsed = parseApiKey(first.key);
    expect(parsed?.prefix).toBe(first.prefix);
    expect(sameHash(parsed!.hash, first.hash)).toBe(true);
    expect(sameHash(hashApiKey(second.key), first.hash)).toBe(false);
  });

  it('refuse anything else', () => {
    const { key } = generateApiKey();
    for (const text of ['', 'tp_', key.slice(0, -1), `${key}x`, key.replace('tp_', 'tq_'), key.toUpperCase()]) expect(parseApiKey(text)).toBeNull();
  });

  it('come from a Bearer credential only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken(['Bearer abc'])).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
