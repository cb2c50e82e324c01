import { ARCHIVE_COLLECTIONS, ArchiveFields, type ArchiveRecordType } from '@traceport/contracts';
import { z } from 'zod';
import { Proof } from './ledger.schemas.js';

// The archive's REST shapes come from the record schemas in libs/contracts, the ones the
// data-service validates with: one set per collection under /v1.

/** archive.inspection-standard → InspectionStandard, customs.declaration → CustomsDeclaration. */
function nameOf(recordType: ArchiveRecordType): string {
  return recordType
    .split(/[.-]/)
    .filter((word) => word !== 'archive')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

const nextPageToken = z.string().nullable().meta({ description: 'Pass as page_token for the next page; null on the last.' });

export interface CollectionSchemas {
  readonly collection: string;
  readonly recordType: ArchiveRecordType;
  readonly name: string;
  /** What a client sends to create or change a record. */
  readonly fields: z.ZodType;
  /** A version of a record, as stored and anchored. */
  readonly record: z.ZodType;
  /** The record with its type and ledger key. */
  readonly envelope: z.ZodType;
  readonly withProof: z.ZodType;
  readonly page: z.ZodType;
  readonly versions: z.ZodType;
}

function schemasOf(collection: string, recordType: ArchiveRecordType): CollectionSchemas {
  const name = nameOf(recordType);
  const fields = ArchiveFields[recordType];
  const record = z
    .object({
      ...fields.shape,
      id: z.uuid(),
      version: z.number().int().min(1).meta({ description: 'Send it back in If-Match to change the record.' }),
      recordedAt: z.iso.datetime({ offset: true }),
    })
    .meta({ id: `${name}Record`, description: `A version of a ${name} record, exactly as anchored.` });
  const envelopeShape = {
    type: z.literal(recordType),
    record,
    record_key: z.string().meta({ description: "The ledger's key of this version; its proof: GET /v1/proofs?record_key=…" }),
  };
  const envelope = z.object(envelopeShape).meta({ id: name });
  return {
    collection,
    recordType,
    name,
    record,
    fields: fields.meta({ id: `${name}Fields`, description: `The fields of a ${name}; the server adds id, version and recordedAt.` }),
    envelope,
    withProof: z.object({ ...envelopeShape, proof: Proof.nullable().meta({ description: 'null until the ledger has appended the version.' }) }).meta({ id: `${name}WithProof` }),
    page: z.object({ items: z.array(envelope), next_page_token: nextPageToken }).meta({ id: `${name}Page` }),
    versions: z.object({ items: z.array(envelope) }).meta({ id: `${name}Versions`, description: 'Every version, oldest first.' }),
  };
}

export const ARCHIVE_COLLECTION_SCHEMAS: readonly CollectionSchemas[] = Object.entries(ARCHIVE_COLLECTIONS).map(([collection, recordType]) => schemasOf(collection, recordType));

/** Any collection's record, where the collection is a path parameter. */
export const AnyArchiveRecord = z
  .object({
    type: z.string(),
    record: z.looseObject({ id: z.string(), version: z.number().int() }),
    record_key: z.string(),
  })
  .meta({ id: 'ArchiveRecord' });

export const ProductByGtin = z
  .object({
    type: z.literal('archive.product'),
    record: ARCHIVE_COLLECTION_SCHEMAS.find((schemas) => schemas.recordType === 'archive.product')!.record,
    record_key: z.string(),
    proof: Proof.nullable(),
  })
  .meta({ id: 'ProductByGtin' });

export const ImportJob = z
  .object({
    id: z.string(),
    status: z.string().meta({ description: 'queued, running, succeeded or failed.' }),
    total_rows: z.number().int(),
    processed_rows: z.number().int(),
    created_rows: z.number().int(),
    failed_rows: z.number().int(),
    progress: z.number().meta({ description: 'processed / total, 0 to 1.' }),
    rows_per_second: z.number(),
    errors: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() })).meta({ description: 'One per refused row and field, with its CSV line.' }),
    failure: z.string().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .meta({ id: 'ImportJob', description: 'A bulk import of the archive from one CSV file.' });
