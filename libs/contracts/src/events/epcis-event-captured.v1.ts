import { z } from 'zod';
import { anchorableRecordSchema } from '../anchorable-record.js';
import { Topics } from '../topics.js';

export const EPCIS_EVENT_RECORD_TYPE = 'epcis.event';

/**
 * An EPCIS event as the API shows it (the captured event with its eventID and recordTime): this exact
 * object is the anchored record. EPCIS events are open JSON-LD, so only what every event has is fixed.
 */
export const epcisEventRecordSchema = z
  .object({
    type: z.string().min(1),
    eventID: z.string().min(1),
    eventTime: z.string().min(1),
    recordTime: z.iso.datetime({ offset: true }),
  })
  .catchall(z.unknown());
export type EpcisEventRecord = z.infer<typeof epcisEventRecordSchema>;

export const epcisEventCapturedV1 = {
  topic: Topics.epcisEventCaptured.name,
  type: 'io.traceport.epcis.event.captured.v1',
  schema: anchorableRecordSchema.extend({
    recordType: z.literal(EPCIS_EVENT_RECORD_TYPE),
    record: epcisEventRecordSchema,
  }),
} as const;
export type EpcisEventCapturedV1 = z.infer<typeof epcisEventCapturedV1.schema>;
