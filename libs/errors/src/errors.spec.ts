import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { DomainException, invalid } from './domain.exception.js';
import { fromGrpcError, toGrpcError } from './grpc-status.js';
import { problemOf } from './problem-details.js';

describe('error mapping', () => {
  const error = invalid('invalid-gtin', 'GTIN check digit is 3, not 4', [{ field: 'gtin', message: 'bad check digit' }]);

  it('maps to RFC 9457 problem details with a stable type', () => {
    expect(problemOf(error, { instance: '/v1/products', correlationId: 'c-1' })).toEqual({
      type: '/problems/invalid-gtin',
      title: 'Bad Request',
      status: 400,
      detail: 'GTIN check digit is 3, not 4',
      code: 'invalid-gtin',
      instance: '/v1/products',
      correlationId: 'c-1',
      errors: [{ field: 'gtin', message: 'bad check digit' }],
    });
  });

  it('round-trips through gRPC status and metadata', () => {
    const wire = toGrpcError(error);
    expect(wire.code).toBe(status.INVALID_ARGUMENT);
    const back = fromGrpcError(wire);
    expect(back).toBeInstanceOf(DomainException);
    expect(back).toMatchObject({ code: 'invalid-gtin', kind: 'invalid', message: error.message });
    expect(back.violations).toEqual(error.violations);
  });

  it('makes details that echo client input safe for the wire: a lone surrogate would make grpc-js throw', () => {
    const echoed = new DomainException('invalid-gtin', 'invalid', 'not a GTIN: \ud800x');
    const wire = toGrpcError(echoed);
    expect(() => encodeURI(echoed.message)).toThrow(URIError);
    expect(() => encodeURI(wire.details)).not.toThrow();
    expect(wire.details).toBe('not a GTIN: \ufffdx');
    // Bounding a long message must not cut a surrogate pair in two.
    const long = toGrpcError(new DomainException('invalid-gtin', 'invalid', `${'a'.repeat(998)}🧪🧪🧪`));
    expect(() => encodeURI(long.details)).not.toThrow();
  });

  it('bounds what goes in the trailers, however long the value a message echoes', () => {
    const long = 'x'.repeat(70_000);
    const wire = toGrpcError(new DomainException('invalid-type', 'invalid', `unknown event type ${long}`, Array.from({ length: 50 }, () => ({ field: long, message: long }))));
    expect(wire.details.length).toBeLessThanOrEqual(1_000);
    expect(wire.details.endsWith('…')).toBe(true);
    const violations = JSON.parse(wire.metadata.get('traceport-field-violations-bin')[0]!.toString()) as { field: string }[];
    expect(violations).toHaveLength(20);
    expect(JSON.stringify(violations).length).toBeLessThan(16_000);
  });

  it('treats an unreachable upstream as unavailable', () => {
    const back = fromGrpcError({ code: status.UNAVAILABLE, details: 'No connection established' });
    expect(back).toMatchObject({ kind: 'unavailable', code: 'upstream-unavailable' });
  });
});
