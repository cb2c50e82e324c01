import { describe, expect, it } from 'vitest';
import { statusFrom } from './warehouse-status.js';

const at = (iso: string) => new Date(iso);

describe('the warehouse rule', () => {
  it('a lot never received is not received, even when its factory shipped it', () => {
    expect(statusFrom(null, null)).toBe('not-received');
    expect(statusFrom(null, at('2026-05-03T08:00:00Z'))).toBe('not-received');
  });

  it('a lot received after it was shipped to the warehouse is in the warehouse', () => {
    expect(statusFrom(at('2026-05-20T08:00:00Z'), null)).toBe('in-warehouse');
    expect(statusFrom(at('2026-05-20T08:00:00Z'), at('2026-05-03T08:00:00Z'))).toBe('in-warehouse');
  });

  it('a lot shipped after its last receipt is shipped out', () => {
    expect(statusFrom(at('2026-05-20T08:00:00Z'), at('2026-06-01T08:00:00Z'))).toBe('shipped-out');
  });
});
