import { DomainException, type FieldViolation } from '@traceport/errors';

export const EpcisErrorCode = {
  malformedJson: 'epcis-malformed-json',
  notACaptureDocument: 'epcis-not-a-capture-document',
  schemaViolation: 'epcis-schema-violation',
  unknownEventType: 'epcis-unknown-event-type',
  invalidIdentifier: 'epcis-invalid-identifier',
  unsupportedCaptureErrorBehaviour: 'epcis-capture-error-behaviour-unsupported',
  captureLimitExceeded: 'epcis-capture-limit-exceeded',
  captureJobNotFound: 'epcis-capture-job-not-found',
  eventNotFound: 'epcis-event-not-found',
  invalidQuery: 'epcis-invalid-query',
  invalidTrailKey: 'trail-invalid-key',
} as const;

const MAX_REPORTED = 50;

/** A 400 that names every failing JSON path (up to a readable number of them). */
export function invalidDocument(code: string, summary: string, violations: readonly FieldViolation[]): DomainException {
  const shown = violations.slice(0, MAX_REPORTED);
  const first = shown[0];
  const detail = first === undefined ? summary : `${summary}: ${first.field}: ${first.message}${violations.length > 1 ? ` (and ${violations.length - 1} more)` : ''}`;
  return new DomainException(code, 'invalid', detail, shown);
}

export const captureJobNotFound = (id: string) =>
  new DomainException(EpcisErrorCode.captureJobNotFound, 'not_found', `no capture job ${id}`);

export const eventNotFound = (eventId: string, version?: number) =>
  new DomainException(EpcisErrorCode.eventNotFound, 'not_found', `no EPCIS event ${eventId}${version === undefined ? '' : ` in version ${version}`}`);

export const invalidQuery = (parameter: string, message: string) =>
  new DomainException(EpcisErrorCode.invalidQuery, 'invalid', `query parameter ${parameter}: ${message}`, [{ field: parameter, message }]);
