import { z } from 'zod';

// Product control over REST: request schemas (which parse) and the OpenAPI components of the answers.

const pageSize = z
  .string()
  .regex(/^\d{1,3}$/, 'a whole number from 1 to 500')
  .transform(Number)
  .refine((size) => size >= 1 && size <= 500, 'a whole number from 1 to 500');

export const holdsQuery = z
  .object({
    status: z.enum(['open', 'lifted'], { error: 'open or lifted' }).optional(),
    lot_id: z.uuid('an archive lot id').optional(),
    page_size: pageSize.optional(),
    page_token: z.string().max(500).optional(),
  })
  .strict();

export const recallsQuery = z.object({ page_size: pageSize.optional(), page_token: z.string().max(500).optional() }).strict();

export const liftBody = z.object({ reason: z.string().trim().min(1, 'required: why the hold is lifted').max(2000) }).strict();

const RecallScopeBody = z
  .object({
    factory_id: z.uuid('a factory id').optional(),
    product_id: z.uuid('a product id').optional(),
    gtin: z.string().regex(/^\d{8,14}$/, 'a GTIN of 8 to 14 digits').optional(),
    lots: z.array(z.string().min(1).max(20)).min(1).max(1000).optional().meta({ description: 'Lot numbers of the GTIN: a lot range given as its lots.' }),
    from: z.iso.date('a date, YYYY-MM-DD').optional().meta({ description: 'Production window start (inclusive).' }),
    to: z.iso.date('a date, YYYY-MM-DD').optional().meta({ description: 'Production window end (inclusive).' }),
  })
  .strict()
  .meta({
    id: 'RecallScope',
    description: 'Exactly one of: factory_id; product_id or gtin; gtin with lots; a production window from + to (alone, or within a factory or a product).',
  });

export const recallBody = z.object({ scope: RecallScopeBody, reason: z.string().trim().min(1, 'required: why the products are recalled').max(2000) }).strict();

const HoldCause = z
  .object({
    kind: z.enum(['inspection-failed', 'certification-expired', 'certification-revoked', 'recall']),
    reason: z.string(),
    reference: z.string().meta({ description: 'The inspection result id, "<factory id>/<certification type>/<number>", or the recall id.' }),
  })
  .meta({ id: 'HoldCause' });

export const Hold = z
  .object({
    id: z.uuid(),
    lotId: z.string().nullable().meta({ description: 'The archive lot; null for a lot seen only in trace events.' }),
    gtin: z.string(),
    lot: z.string(),
    cause: HoldCause,
    status: z.enum(['open', 'lifted']),
    heldAt: z.string(),
    liftedAt: z.string().nullable(),
    liftedBy: z.string().nullable(),
    liftReason: z.string().nullable(),
    warehouseStatus: z.enum(['in-warehouse', 'not-received']).meta({ description: 'Where the lot was when held (docs/product-control.md, the warehouse rule).' }),
    recordKey: z.string().meta({ description: 'The anchored record of this version: GET /v1/proofs?record_key=…' }),
    record: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Hold' });

export const HoldPage = z.object({ items: z.array(Hold), nextPageToken: z.string().nullable() }).meta({ id: 'HoldPage' });

export const Recall = z
  .object({
    id: z.uuid(),
    scope: z.object({
      factoryId: z.string().nullable(),
      productId: z.string().nullable(),
      gtin: z.string().nullable(),
      lots: z.array(z.string()),
      from: z.string().nullable(),
      to: z.string().nullable(),
    }),
    reason: z.string(),
    recalledBy: z.string(),
    recalledAt: z.string(),
    affected: z
      .object({ lots: z.number().int(), items: z.number().int(), containers: z.number().int(), heldLots: z.number().int() })
      .meta({ description: 'What the trace forward reached; heldLots are those not yet shipped out of the warehouse.' }),
    lots: z.array(
      z.object({
        lotId: z.string().nullable(),
        gtin: z.string(),
        lot: z.string(),
        warehouseStatus: z.enum(['in-warehouse', 'not-received', 'shipped-out']),
        holdId: z.string().nullable(),
        items: z.number().int(),
      }),
    ),
    recordKey: z.string(),
    record: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Recall' });

export const RecallPage = z.object({ items: z.array(Recall), nextPageToken: z.string().nullable() }).meta({ id: 'RecallPage' });
