import { invalid } from '@traceport/errors';

// RFC 3339 date-time (with a time zone): Date.parse alone also takes '-2' (the year 2 BC) and
// other forms PostgreSQL refuses, which reached the query as a 500.
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** An optional [from, to) window of RFC 3339 times from a request; empty bounds are unbounded. */
export function timeWindowOf(from: string, to: string, problemCode: string): { from: string; to: string } {
  const bound = (value: string, field: string, fallback: string) => {
    if (value === '') return fallback;
    if (!RFC_3339.test(value) || Number.isNaN(Date.parse(value))) throw invalid(problemCode, `${field} must be an RFC 3339 time`, [{ field, message: 'an RFC 3339 time' }]);
    // Canonical UTC for the query: what the client wrote is checked, not passed through.
    return new Date(value).toISOString();
  };
  return { from: bound(from, 'from', '1970-01-01T00:00:00Z'), to: bound(to, 'to', '9999-12-31T00:00:00Z') };
}
