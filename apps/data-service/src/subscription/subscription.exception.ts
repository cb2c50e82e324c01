import { DomainException, type FieldViolation } from '@traceport/errors';

export const SubscriptionErrorCode = {
  invalidQuery: 'epcis-invalid-named-query',
  queryExists: 'epcis-query-exists',
  queryNotFound: 'epcis-query-not-found',
  invalidSubscription: 'epcis-invalid-subscription',
  subscriptionNotFound: 'epcis-subscription-not-found',
  invalidDeliveryQuery: 'notification-invalid-query',
  deliveryNotFound: 'notification-not-found',
  deliveryNotDead: 'notification-not-dead',
} as const;

export const invalidSubscriptionRequest = (code: string, violations: readonly FieldViolation[]) =>
  new DomainException(code, 'invalid', violations.map((violation) => `${violation.field}: ${violation.message}`).join('; '), violations);

export const queryNotFound = (name: string) => new DomainException(SubscriptionErrorCode.queryNotFound, 'not_found', `no named query ${name}`);
export const subscriptionNotFound = (name: string, id: string) => new DomainException(SubscriptionErrorCode.subscriptionNotFound, 'not_found', `query ${name} has no subscription ${id}`);
export const deliveryNotFound = (id: string) => new DomainException(SubscriptionErrorCode.deliveryNotFound, 'not_found', `no notification ${id}`);
