/** traceport.v1.QueryParameter (epcis.proto). */
export interface EpcisQueryParameterMessage {
  name: string;
  value: string;
}

// TypeScript shapes of the traceport.v1 ProductControlService and EpcisSubscriptionService messages
// (control.proto, subscription.proto) as @grpc/proto-loader hands them over: camelCase fields,
// 64-bit integers as numbers. The data-service answers with them and the gateway passes them on.

export interface HoldCauseMessage {
  kind: string;
  reason: string;
  reference: string;
}

export interface HoldMessage {
  id: string;
  lotId: string;
  gtin: string;
  lot: string;
  cause: HoldCauseMessage;
  status: string;
  heldAt: string;
  liftedAt: string;
  liftedBy: string;
  liftReason: string;
  warehouseStatus: string;
  recordKey: string;
  recordJson: string;
  version: number;
}

export interface ListHoldsRequestMessage {
  status: string;
  lotId: string;
  pageSize: number;
  pageToken: string;
}

export interface HoldPageMessage {
  items: HoldMessage[];
  nextPageToken: string;
}

export interface LiftHoldRequestMessage {
  id: string;
  reason: string;
  actor: string;
}

export interface RecallScopeMessage {
  factoryId: string;
  productId: string;
  gtin: string;
  lots: string[];
  from: string;
  to: string;
}

export interface CreateRecallRequestMessage {
  scope: RecallScopeMessage;
  reason: string;
  actor: string;
}

export interface RecalledLotMessage {
  lotId: string;
  gtin: string;
  lot: string;
  warehouseStatus: string;
  holdId: string;
  items: number;
}

export interface RecallMessage {
  id: string;
  scope: RecallScopeMessage;
  reason: string;
  recalledBy: string;
  recalledAt: string;
  affected: { lots: number; items: number; containers: number; heldLots: number };
  lots: RecalledLotMessage[];
  recordKey: string;
  recordJson: string;
}

export interface RecallPageMessage {
  items: RecallMessage[];
  nextPageToken: string;
}

export interface ControlFlagMessage {
  kind: 'hold' | 'recall';
  id: string;
  causeKind: string;
  reason: string;
  since: string;
  recordType: string;
  recordKey: string;
  recordJson: string;
}

export interface ItemControlMessage {
  flags: ControlFlagMessage[];
}

export interface NamedQueryMessage {
  name: string;
  parameters: EpcisQueryParameterMessage[];
  createdAt: string;
}

export interface CreateSubscriptionRequestMessage {
  queryName: string;
  dest: string;
  signatureToken: string;
  stream: boolean;
  reportIfEmpty: boolean;
}

export interface SubscriptionMessage {
  subscriptionId: string;
  queryName: string;
  dest: string;
  stream: boolean;
  reportIfEmpty: boolean;
  createdAt: string;
  lastNotifiedAt: string;
  signed: boolean;
}

export interface DeliveryMessage {
  id: string;
  subscriptionId: string;
  queryName: string;
  dest: string;
  eventIds: string[];
  status: string;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  deliveredAt: string;
  lastError: string;
}

export interface ListDeliveriesRequestMessage {
  status: string;
  subscriptionId: string;
  pageSize: number;
  pageToken: string;
}

export interface DeliveryPageMessage {
  deliveries: DeliveryMessage[];
  nextPageToken: string;
}
