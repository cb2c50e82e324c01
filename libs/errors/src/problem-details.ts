import { assertUnreachable, type DomainException, type ErrorKind, type FieldViolation } from './domain.exception.js';

/** RFC 9457 problem details. `type` is stable per error code; clients switch on it. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code: string;
  readonly correlationId?: string;
  readonly errors?: readonly FieldViolation[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are relative URIs served by the gateway's documentation (`/problems/<code>`). */
export function problemTypeOf(code: string): string {
  return `/problems/${code}`;
}

export function httpStatusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'too_large':
      return 413;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
    default:
      return assertUnreachable(kind);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemOf(
  error: DomainException,
  context: { instance?: string; correlationId?: string } = {},
): ProblemDetails {
  const status = httpStatusOf(error.kind);
  return {
    type: problemTypeOf(error.code),
    title: TITLES[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
    ...(context.instance === undefined ? {} : { instance: context.instance }),
    ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
    ...(error.violations.length > 0 ? { errors: error.violations } : {}),
  };
}
