import { DomainException, type FieldViolation } from '@traceport/errors';
import type { ArchiveKind } from './archive-kinds.js';

export const invalidRecord = (kind: ArchiveKind, violations: FieldViolation[]) =>
  new DomainException(
    `invalid-${kind.noun.replaceAll(' ', '-')}`,
    'invalid',
    `the ${kind.noun} is not valid: ${violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ')}`,
    violations,
  );

export const recordNotFound = (kind: ArchiveKind, key: string) =>
  new DomainException(`${kind.noun.replaceAll(' ', '-')}-not-found`, 'not_found', `no ${kind.noun} with ${key}`);

export const versionConflict = (kind: ArchiveKind, id: string, expected: number, actual: number) =>
  new DomainException(
    'version-conflict',
    'conflict',
    `the ${kind.noun} ${id} is at version ${actual}, not ${expected}: read it again and apply your change to the current version`,
  );

export const unknownCollection = (name: string) => new DomainException('unknown-record-type', 'not_found', `no archive collection or record type '${name}'`);
