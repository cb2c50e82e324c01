import { DomainException, type FieldViolation } from '@traceport/errors';

export const TraceGraphErrorCode = {
  invalidSubject: 'trace-invalid-subject',
  invalidScope: 'trace-invalid-scope',
  invalidPage: 'trace-invalid-page',
  subjectNotFound: 'trace-subject-not-found',
} as const;

/** A 400 naming every parameter at fault. */
export function invalidTraceRequest(code: string, violations: readonly FieldViolation[]): DomainException {
  return new DomainException(code, 'invalid', violations.map((violation) => `${violation.field}: ${violation.message}`).join('; '), violations);
}

export const subjectNotFound = (what: string) =>
  new DomainException(TraceGraphErrorCode.subjectNotFound, 'not_found', `nothing is known of ${what}: it is neither in the archive nor in any trace event`);
