import { ArchiveFields, RecordTypes } from '@traceport/contracts';
import type { FieldViolation } from '@traceport/errors';
import { gs1CheckDigit, parseGtin } from '@traceport/identity';
import type { z } from 'zod';
import type { ArchiveKind } from './archive-kinds.js';
import { invalidRecord } from './archive.exception.js';

/** GS1 rules the field schemas cannot express: GTIN and GLN check digits. GTIN-8/12/13 become GTIN-14. */
function applyGs1Rules(kind: ArchiveKind, input: Record<string, unknown>): { input: Record<string, unknown>; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  if (kind.recordType === RecordTypes.product && typeof input['gtin'] === 'string') {
    const gtin = parseGtin(input['gtin'].trim());
    if (gtin.ok) input = { ...input, gtin: gtin.gtin14 };
    else violations.push({ field: 'gtin', message: gtin.message });
  }
  if (kind.recordType === RecordTypes.factory && typeof input['gln'] === 'string' && /^\d{13}$/.test(input['gln'])) {
    const expected = gs1CheckDigit(input['gln'].slice(0, 12));
    if (Number(input['gln'][12]) !== expected) violations.push({ field: 'gln', message: `check digit should be ${expected}, not ${input['gln'][12]}` });
  }
  return { input, violations };
}

/**
 * Validates what a client sent for a record type against the contract's field schema — unknown
 * fields are refused, not silently dropped — and GS1's check digits. Every problem is reported at
 * once (throws invalidRecord); returns the fields as they will be stored.
 */
export function parseArchiveFields(kind: ArchiveKind, raw: unknown): Record<string, unknown> {
  const object = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const { input, violations } = applyGs1Rules(kind, object);
  const schema = (ArchiveFields[kind.recordType] as unknown as z.ZodObject).strict();
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) violations.push({ field: [...issue.path, key].join('.'), message: `not a field of a ${kind.noun}` });
        continue;
      }
      const field = issue.path.join('.') || '(body)';
      // A check-digit message says more than the schema's format message for the same field.
      if (!violations.some((violation) => violation.field === field)) violations.push({ field, message: issue.message });
    }
  }
  if (violations.length > 0 || !parsed.success) throw invalidRecord(kind, violations);
  return parsed.data as Record<string, unknown>;
}
