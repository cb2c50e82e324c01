import { z } from 'zod';
import { anchorableRecordSchema } from '../anchorable-record.js';
import { ARCHIVE_RECORD_TYPES, archiveRecordBaseSchema } from '../archive/archive-records.js';
import { Topics } from '../topics.js';

/**
 * A new version of an archive record (its first version included). Consumers switch on recordType
 * and parse `record` with ArchiveFields[recordType]; the ledger anchors `record` as it is.
 */
export const archiveRecordVersionedV1 = {
  topic: Topics.archiveRecordVersioned.name,
  type: 'io.traceport.archive.record.versioned.v1',
  schema: anchorableRecordSchema.extend({
    recordType: z.enum(ARCHIVE_RECORD_TYPES),
    record: archiveRecordBaseSchema,
  }),
} as const;
export type ArchiveRecordVersionedV1 = z.infer<typeof archiveRecordVersionedV1.schema>;
