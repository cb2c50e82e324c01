import { z } from 'zod';
import { anchorableRecordSchema } from '../anchorable-record.js';
import { Topics } from '../topics.js';

export const ARCHIVE_PRODUCT_RECORD_TYPE = 'archive.product';

/** A product as the archive shows it; this exact object is the anchored record. */
export const productRecordSchema = z.object({
  id: z.uuid(),
  version: z.number().int().positive(),
  gtin: z.string().regex(/^\d{14}$/),
  name: z.string().min(1),
  brand: z.string().min(1),
  category: z.string().min(1),
  hsCode: z.string().regex(/^\d{6,10}$/),
  originCountry: z.string().regex(/^[A-Z]{2}$/),
  registeredAt: z.iso.datetime({ offset: true }),
});
export type ProductRecord = z.infer<typeof productRecordSchema>;

export const archiveProductRegisteredV1 = {
  topic: Topics.archiveProductRegistered.name,
  type: 'io.traceport.archive.product.registered.v1',
  schema: anchorableRecordSchema.extend({
    recordType: z.literal(ARCHIVE_PRODUCT_RECORD_TYPE),
    record: productRecordSchema,
  }),
} as const;
export type ArchiveProductRegisteredV1 = z.infer<typeof archiveProductRegisteredV1.schema>;
