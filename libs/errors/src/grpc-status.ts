import { status as GrpcStatus, Metadata } from '@grpc/grpc-js';
import { assertUnreachable, DomainException, type ErrorKind, type FieldViolation } from './domain.exception.js';

export function grpcStatusOf(kind: ErrorKind): GrpcStatus {
  switch (kind) {
    case 'invalid':
      return GrpcStatus.INVALID_ARGUMENT;
    case 'not_found':
      return GrpcStatus.NOT_FOUND;
    case 'conflict':
      return GrpcStatus.ALREADY_EXISTS;
    case 'unauthenticated':
      return GrpcStatus.UNAUTHENTICATED;
    case 'forbidden':
      return GrpcStatus.PERMISSION_DENIED;
    case 'too_large':
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case 'rate_limited':
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case 'unavailable':
      return GrpcStatus.UNAVAILABLE;
    case 'internal':
      return GrpcStatus.INTERNAL;
    default:
      return assertUnreachable(kind);
  }
}

function kindOfGrpcStatus(code: number): ErrorKind {
  switch (code) {
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.FAILED_PRECONDITION:
    case GrpcStatus.OUT_OF_RANGE:
      return 'invalid';
    case GrpcStatus.NOT_FOUND:
      return 'not_found';
    case GrpcStatus.ALREADY_EXISTS:
    case GrpcStatus.ABORTED:
      return 'conflict';
    case GrpcStatus.UNAUTHENTICATED:
      return 'unauthenticated';
    case GrpcStatus.PERMISSION_DENIED:
      return 'forbidden';
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 'rate_limited';
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
    case GrpcStatus.CANCELLED:
      return 'unavailable';
    default:
      return 'internal';
  }
}

// The error code and field violations ride in trailing metadata, so any gRPC client can read them
// without our protos (the google.rpc.Status detail would need them).
const CODE_KEY = 'traceport-error-code';
const VIOLATIONS_KEY = 'traceport-field-violations-bin';

export interface GrpcErrorShape {
  code: GrpcStatus;
  details: string;
  metadata: Metadata;
}

/**
 * gRPC carries the message and the violations in HTTP/2 trailers, which peers cap (8–16 KB): a
 * message echoing a 70,000-character value made the upstream reset the stream (a 500 at the
 * gateway instead of the 400 it was). So both are bounded; the start of a value says enough.
 */
const MAX_DETAILS_LENGTH = 1_000;
const MAX_VIOLATIONS = 20;
const MAX_VIOLATION_TEXT = 300;

function bounded(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export function toGrpcError(error: DomainException): GrpcErrorShape {
  const metadata = new Metadata();
  metadata.set(CODE_KEY, error.code);
  if (error.violations.length > 0) {
    const violations = error.violations
      .slice(0, MAX_VIOLATIONS)
      .map((violation) => ({ ...violation, field: bounded(violation.field, MAX_VIOLATION_TEXT), message: bounded(violation.message, MAX_VIOLATION_TEXT) }));
    metadata.set(VIOLATIONS_KEY, Buffer.from(JSON.stringify(violations)));
  }
  // grpc-js percent-encodes details with encodeURI, which throws on a lone surrogate, and the throw
  // escapes every handler and kills the process. A message may echo client input (a field's value),
  // so it is made well-formed last (bounding may cut a surrogate pair): an unpaired surrogate becomes U+FFFD.
  return { code: grpcStatusOf(error.kind), details: bounded(error.message, MAX_DETAILS_LENGTH).toWellFormed(), metadata };
}

interface GrpcLikeError {
  code?: unknown;
  details?: unknown;
  message?: unknown;
  metadata?: unknown;
}

/** Turns an error received from an upstream gRPC call back into the domain error it was. */
export function fromGrpcError(error: unknown): DomainException {
  const candidate = (error ?? {}) as GrpcLikeError;
  const code = typeof candidate.code === 'number' ? candidate.code : GrpcStatus.UNKNOWN;
  const metadata = candidate.metadata instanceof Metadata ? candidate.metadata : undefined;
  const errorCode = metadata?.get(CODE_KEY)[0]?.toString() ?? (code === GrpcStatus.UNAVAILABLE ? 'upstream-unavailable' : 'upstream-error');
  const rawViolations = metadata?.get(VIOLATIONS_KEY)[0];
  let violations: FieldViolation[] = [];
  if (rawViolations !== undefined) {
    try {
      violations = JSON.parse(rawViolations.toString()) as FieldViolation[];
    } catch {
      violations = [];
    }
  }
  const details = typeof candidate.details === 'string' && candidate.details ? candidate.details : String(candidate.message ?? 'upstream call failed');
  return new DomainException(errorCode, kindOfGrpcStatus(code), details, violations);
}
