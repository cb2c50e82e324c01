/**
 * What kind of failure a domain error is. Each transport maps a kind to its own status once
 * (HTTP, gRPC, Kafka retry policy), so modules only say what went wrong.
 */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface FieldViolation {
  /** JSON pointer or dotted path of the failing field. */
  readonly field: string;
  readonly message: string;
  /** 1-based position inside the field's text, for fields that hold code (a rule's CEL condition). */
  readonly line?: number;
  readonly column?: number;
}

/**
 * A domain error with a stable, machine-readable code (kebab-case, e.g. `invalid-gtin`), which
 * becomes the problem+json `type` and the gRPC error detail.
 */
export class DomainException<Code extends string = string> extends Error {
  override readonly name = 'DomainException';

  constructor(
    readonly code: Code,
    readonly kind: ErrorKind,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
  ) {
    super(message);
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}

export const invalid = (code: string, message: string, violations: readonly FieldViolation[] = []) =>
  new DomainException(code, 'invalid', message, violations);
export const notFound = (code: string, message: string) => new DomainException(code, 'not_found', message);
export const conflict = (code: string, message: string) => new DomainException(code, 'conflict', message);
