import { describe, expect, it } from 'vitest';
import { formatDuration } from './platform.ts';
import { CRASH_LOOP_LIMIT, restartDecision, restartDelayMs, STABLE_AFTER_MS } from './supervisor.ts';

describe('restart backoff', () => {
  it('doubles from one second per crash in a row, up to thirty', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('gives a crash-looping process up only after its backoff has had time to help', () => {
    const waited = Array.from({ length: CRASH_LOOP_LIMIT }, (_, index) => restartDelayMs(index + 1)).reduce((sum, delay) => sum + delay, 0);
    expect(waited).toBeGreaterThanOrEqual(STABLE_AFTER_MS);
  });
});

describe('crash-loop limit', () => {
  it('leaves a process down after CRASH_LOOP_LIMIT quick exits in a row', () => {
    let crashes = 0;
    const delays: (number | null)[] = [];
    for (let exit = 0; exit <= CRASH_LOOP_LIMIT; exit += 1) {
      const decision = restartDecision(crashes, 2_000);
      crashes = decision.crashes;
      delays.push(decision.delayMs);
    }
    expect(delays.slice(0, CRASH_LOOP_LIMIT).every((delay) => delay !== null)).toBe(true);
    expect(delays[CRASH_LOOP_LIMIT]).toBeNull();
  });

  it('starts counting again after a process ran long enough to be healthy', () => {
    expect(restartDecision(CRASH_LOOP_LIMIT, STABLE_AFTER_MS)).toEqual({ crashes: 1, delayMs: 1_000 });
    expect(restartDecision(3, STABLE_AFTER_MS - 1)).toEqual({ crashes: 4, delayMs: 8_000 });
  });
});

describe('status durations', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(250_000)).toBe('4 m 10 s');
    expect(formatDuration(3 * 3_600_000 + 5_000)).toBe('3 h');
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe('2 d 4 h');
  });
});
