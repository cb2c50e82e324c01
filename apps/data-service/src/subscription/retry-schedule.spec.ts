import { describe, expect, it } from 'vitest';
import { nextDelayMs } from './retry-schedule.js';

describe('nextDelayMs', () => {
  const schedule = { baseMs: 1_000, maxDelayMs: 5_000, maxAttempts: 5 };

  it('doubles from the base after each failure, up to the cap', () => {
    expect([1, 2, 3, 4].map((attempts) => nextDelayMs(schedule, attempts))).toEqual([1_000, 2_000, 4_000, 5_000]);
  });

  it('gives up once every attempt is spent', () => {
    expect(nextDelayMs(schedule, 5)).toBeNull();
  });
});
