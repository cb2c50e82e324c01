import { describe, expect, it } from 'vitest';
import { decisionsPerDay, windowStart } from './decisions-per-day.js';

const now = new Date('2026-11-26T14:00:00Z');
const decision = (decidedAt: string, initialOutcome: string, outcome = initialOutcome) => ({ decidedAt, initialOutcome, outcome });

describe('decisionsPerDay', () => {
  it('has every UTC day of the window, oldest first, today last, even days without decisions', () => {
    const days = decisionsPerDay([], 3, now);
    expect(days).toEqual([
      { day: '2026-11-24', released: 0, inspection_ordered: 0, held: 0 },
      { day: '2026-11-25', released: 0, inspection_ordered: 0, held: 0 },
      { day: '2026-11-26', released: 0, inspection_ordered: 0, held: 0 },
    ]);
    expect(windowStart(3, now).toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('counts each decision on its UTC day by the outcome it was decided with', () => {
    const days = decisionsPerDay(
      [
        decision('2026-11-26T00:00:00Z', 'released'),
        decision('2026-11-25T23:59:59.999+00:00', 'inspection-ordered', 'released'),
        decision('2026-11-26T07:30:00+08:00', 'held'),
        decision('2026-11-26T13:00:00Z', 'inspection-ordered', 'held'),
      ],
      2,
      now,
    );
    expect(days).toEqual([
      { day: '2026-11-25', released: 0, inspection_ordered: 1, held: 1 },
      { day: '2026-11-26', released: 1, inspection_ordered: 1, held: 0 },
    ]);
  });

  it('ignores decisions outside the window and outcomes it does not know', () => {
    const days = decisionsPerDay([decision('2026-11-20T10:00:00Z', 'released'), decision('2026-11-27T10:00:00Z', 'held'), decision('2026-11-26T10:00:00Z', 'pending')], 1, now);
    expect(days).toEqual([{ day: '2026-11-26', released: 0, inspection_ordered: 0, held: 0 }]);
  });
});
