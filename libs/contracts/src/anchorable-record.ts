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

/**
 * An anchorable message carries one record as its data, or — where records are born in bulk, as a
 * capture's events are — a batch of them under `records`. The ledger appends each, in order.
 */
export const anchorableBatchSchema = z.object({ records: z.array(anchorableRecordSchema).min(1) });

/** The records an anchorable message carries, in order; throws a ZodError when it carries none. */
export function anchorableRecordsOf(data: unknown): AnchorableRecord[] {
  const batch = typeof data === 'object' && data !== null && 'records' in data;
  return batch ? anchorableBatchSchema.parse(data).records : [anchorableRecordSchema.parse(data)];
}
