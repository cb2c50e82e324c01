import { DomainException, type FieldViolation } from '@traceport/errors';

export const ControlErrorCode = {
  invalidHoldQuery: 'control-invalid-hold-query',
  holdNotFound: 'hold-not-found',
  holdAlreadyLifted: 'hold-already-lifted',
  invalidLift: 'control-invalid-lift',
  invalidRecall: 'control-invalid-recall',
  recallNotFound: 'recall-not-found',
  invalidPageToken: 'control-invalid-page-token',
} as const;

export const invalidControlRequest = (code: string, violations: readonly FieldViolation[]) =>
  new DomainException(code, 'invalid', violations.map((violation) => `${violation.field}: ${violation.message}`).join('; '), violations);

export const holdNotFound = (id: string) => new DomainException(ControlErrorCode.holdNotFound, 'not_found', `no hold ${id}`);

export const holdAlreadyLifted = (id: string, liftedAt: string) =>
  new DomainException(ControlErrorCode.holdAlreadyLifted, 'conflict', `hold ${id} was already lifted at ${liftedAt}`);

export const recallNotFound = (id: string) => new DomainException(ControlErrorCode.recallNotFound, 'not_found', `no recall ${id}`);
