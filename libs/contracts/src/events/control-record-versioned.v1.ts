import { z } from 'zod';
import { anchorableRecordSchema } from '../anchorable-record.js';
import { Topics } from '../topics.js';

/** Product control's anchorable records: every version of a hold (placed, lifted) and every recall. */
export const ControlRecordTypes = {
  /** A hold on a lot: its cause, and once lifted, who lifted it, when and why. */
  hold: 'control.hold',
  /** An operator's recall: its scope, reason, and the lots, items and containers it reached. */
  recall: 'control.recall',
} as const;
export type ControlRecordType = (typeof ControlRecordTypes)[keyof typeof ControlRecordTypes];
export const CONTROL_RECORD_TYPES = Object.values(ControlRecordTypes);

export const HOLD_CAUSE_KINDS = ['inspection-failed', 'certification-expired', 'certification-revoked', 'recall'] as const;
export type HoldCauseKind = (typeof HOLD_CAUSE_KINDS)[number];

/** The hold record as the API shows it and the ledger anchors it (the decision engine reads it too). */
export const holdRecordSchema = z.object({
  id: z.uuid(),
  version: z.number().int().positive(),
  lotId: z.string(),
  gtin: z.string(),
  lot: z.string(),
  cause: z.object({ kind: z.enum(HOLD_CAUSE_KINDS), reason: z.string(), reference: z.string() }),
  status: z.enum(['open', 'lifted']),
  heldAt: z.string(),
  liftedAt: z.string().nullable(),
  liftedBy: z.string().nullable(),
  liftReason: z.string().nullable(),
  warehouseStatus: z.string(),
});
export type HoldRecord = z.infer<typeof holdRecordSchema>;

export const controlRecordVersionedV1 = {
  topic: Topics.controlRecordVersioned.name,
  type: 'io.traceport.control.record.versioned.v1',
  schema: anchorableRecordSchema.extend({
    recordType: z.enum(CONTROL_RECORD_TYPES),
    record: z.object({ id: z.string().min(1) }).catchall(z.unknown()),
  }),
} as const;
export type ControlRecordVersionedV1 = z.infer<typeof controlRecordVersionedV1.schema>;
