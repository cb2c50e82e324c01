import { z } from 'zod';

/**
 * An anchorable record as it travels to the ledger: the exact JSON the API shows (`record`), its
 * type, and a key that names this version of it. The ledger hashes `record` alone (JCS, RFC 8785),
 * so what a reader sees is what was anchored.
 */
export interface AnchorableRecord<T extends object = Record<string, unknown>> {
  readonly recordType: string;
  /** `<recordType>/<id>/v<version>`: unique per version, so a redelivery never appends twice. */
  readonly recordKey: string;
  readonly record: T;
}

export const anchorableRecordSchema = z.object({
  recordType: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/),
  recordKey: z.string().min(3).max(300),
  record: z.record(z.string(), z.unknown()),
});

export function recordKeyOf(recordType: string, id: string, version: number): string {
  return `${recordType}/${id}/v${version}`;
}
