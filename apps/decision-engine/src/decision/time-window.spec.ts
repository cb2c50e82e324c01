import { DomainException } from '@traceport/errors';
import { describe, expect, it } from 'vitest';
import { timeWindowOf } from './time-window.js';

describe('timeWindowOf', () => {
  it('takes RFC 3339 times, in UTC for the query, and leaves empty bounds open', () => {
    expect(timeWindowOf('2026-11-01T08:00:00+08:00', '', 'x')).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '9999-12-31T00:00:00Z' });
    expect(timeWindowOf('', '2026-11-02T00:00:00.5Z', 'x')).toEqual({ from: '1970-01-01T00:00:00Z', to: '2026-11-02T00:00:00.500Z' });
  });

  it.each(['-2', '2026', '2026-11-01', 'tomorrow', '2026-13-01T00:00:00Z', '2026-11-01T00:00:00', '1e3'])('refuses %s, naming the field', (value) => {
    const thrown = (() => {
      try {
        timeWindowOf(value, '', 'invalid-simulation');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(DomainException);
    expect(thrown).toMatchObject({ code: 'invalid-simulation', kind: 'invalid', violations: [{ field: 'from' }] });
  });
});
