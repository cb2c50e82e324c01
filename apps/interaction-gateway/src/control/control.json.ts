import type { HoldMessage, RecallMessage } from '@traceport/contracts';

const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);

/** A hold as REST shows it (camelCase, the shape the console reads). */
export function holdJson(hold: HoldMessage) {
  return {
    id: hold.id,
    lotId: orNull(hold.lotId),
    gtin: hold.gtin,
    lot: hold.lot,
    cause: { kind: hold.cause.kind, reason: hold.cause.reason, reference: hold.cause.reference },
    status: hold.status,
    heldAt: hold.heldAt,
    liftedAt: orNull(hold.liftedAt),
    liftedBy: orNull(hold.liftedBy),
    liftReason: orNull(hold.liftReason),
    warehouseStatus: hold.warehouseStatus,
    recordKey: hold.recordKey,
    record: JSON.parse(hold.recordJson) as Record<string, unknown>,
  };
}

export function recallJson(recall: RecallMessage) {
  return {
    id: recall.id,
    scope: {
      factoryId: orNull(recall.scope.factoryId),
      productId: orNull(recall.scope.productId),
      gtin: orNull(recall.scope.gtin),
      lots: recall.scope.lots,
      from: orNull(recall.scope.from),
      to: orNull(recall.scope.to),
    },
    reason: recall.reason,
    recalledBy: recall.recalledBy,
    recalledAt: recall.recalledAt,
    affected: recall.affected,
    lots: recall.lots.map((lot) => ({ lotId: orNull(lot.lotId), gtin: lot.gtin, lot: lot.lot, warehouseStatus: lot.warehouseStatus, holdId: orNull(lot.holdId), items: lot.items })),
    recordKey: recall.recordKey,
    record: JSON.parse(recall.recordJson) as Record<string, unknown>,
  };
}
