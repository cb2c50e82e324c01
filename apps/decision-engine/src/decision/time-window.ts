import { invalid } from '@traceport/errors';

/** An optional [from, to) window of RFC 3339 times from a request; empty bounds are unbounded. */
export function timeWindowOf(from: string, to: string, problemCode: string): { from: string; to: string } {
  const bound = (value: string, field: string, fallback: string) => {
    if (value === '') return fallback;
    if (Number.isNaN(Date.parse(value))) throw invalid(problemCode, `${field} must be an RFC 3339 time`, [{ field, message: 'an RFC 3339 time' }]);
    return value;
  };
  return { from: bound(from, 'from', '1970-01-01T00:00:00Z'), to: bound(to, 'to', '9999-12-31T00:00:00Z') };
}
