import type { TraceEventMessage } from './grpc-messages.js';

// TypeScript shapes of the traceport.v1 TraceGraphService messages (trace-graph.proto), as
// @grpc/proto-loader hands them over: camelCase fields, 64-bit integers as numbers. The data-service
// answers with them and the gateway passes them on, so both sides share one definition.

export interface TraceGraphScopeRequest {
  factoryId: string;
  productId: string;
  gtin: string;
  lot: string;
  from: string;
  to: string;
  pageSize: number;
}

export interface TraceBackRequestMessage {
  gtin: string;
  serial: string;
  lot: string;
  container: string;
}

export type TraceForwardRequestMessage = TraceGraphScopeRequest;

export interface ListAffectedItemsRequestMessage extends TraceGraphScopeRequest {
  pageToken: string;
}

export interface TraceSubjectMessage {
  kind: 'item' | 'lot' | 'container' | 'factory' | 'product' | 'production-window';
  identifier: string;
  gtin: string;
  lot: string;
  serial: string;
  factoryId: string;
  productId: string;
  from: string;
  to: string;
}

export type CertificationStatus = 'valid' | 'expired' | 'not-yet-valid';

export interface TraceCertificationMessage {
  type: string;
  issuer: string;
  number: string;
  validFrom: string;
  validTo: string;
  status: CertificationStatus;
  statusAtProduction: CertificationStatus | '';
}

export interface TraceFactoryMessage {
  id: string;
  name: string;
  country: string;
  gln: string;
  certifications: TraceCertificationMessage[];
  recordJson: string;
}

export interface TraceProductMessage {
  id: string;
  gtin: string;
  name: string;
  factoryId: string;
  recordJson: string;
}

export interface TraceCustomsDeclarationMessage {
  id: string;
  direction: string;
  declarationNumber: string;
  port: string;
  date: string;
  status: string;
  lotIds: string[];
  recordJson: string;
}

export type TraceLotRelation = 'origin' | 'transformed' | 'co-packed' | 'subject' | 'contained' | 'input';

export interface TraceLotMessage {
  gtin: string;
  lot: string;
  relation: TraceLotRelation;
  lotId: string;
  productId: string;
  factoryId: string;
  productionDate: string;
  expiryDate: string;
  items: number;
  issuedIdentities: number;
  containers: number;
  customsDeclarationIds: string[];
  recordJson: string;
}

export type TraceContainerRelation = 'packed' | 'co-packed' | 'carried-in' | 'contains';

export interface TraceContainerMessage {
  identifier: string;
  relation: TraceContainerRelation;
}

export type TraceLocationKind = 'shipped-to' | 'observed-at';

export interface TraceLocationMessage {
  identifier: string;
  kind: TraceLocationKind;
  firstSeen: string;
  lastSeen: string;
  lots: number;
}

export type AffectedItemRelation = 'lot' | 'co-packed' | 'transformed';

export interface AffectedItemMessage {
  gtin: string;
  lot: string;
  serial: string;
  relation: AffectedItemRelation;
  digitalLink: string;
}

export interface TraceCountsMessage {
  lots: number;
  items: number;
  containers: number;
  locations: number;
  issuedIdentities: number;
  products: number;
  factories: number;
}

export type TraceNodeKind = 'factory' | 'product' | 'lot' | 'item-group' | 'item' | 'container-group' | 'container' | 'location';
export type TraceEdgeKind = 'produced' | 'packed-into' | 'transformed-into' | 'shipped-to' | 'observed-at';

export interface TraceNodeMessage {
  id: string;
  kind: TraceNodeKind;
  label: string;
  count: number;
  ref: string;
}

export interface TraceEdgeMessage {
  source: string;
  target: string;
  kind: TraceEdgeKind;
  count: number;
}

export interface TraceGraphMessage {
  nodes: TraceNodeMessage[];
  edges: TraceEdgeMessage[];
  aggregated: boolean;
}

export interface TraceBackResponseMessage {
  subject: TraceSubjectMessage;
  lots: TraceLotMessage[];
  products: TraceProductMessage[];
  factories: TraceFactoryMessage[];
  customsDeclarations: TraceCustomsDeclarationMessage[];
  containers: TraceContainerMessage[];
  containerCount: number;
  items: AffectedItemMessage[];
  itemCount: number;
  locations: TraceLocationMessage[];
  events: TraceEventMessage[];
  eventCount: number;
  graph: TraceGraphMessage;
}

export interface TraceForwardResponseMessage {
  subject: TraceSubjectMessage;
  counts: TraceCountsMessage;
  lots: TraceLotMessage[];
  products: TraceProductMessage[];
  factories: TraceFactoryMessage[];
  containers: TraceContainerMessage[];
  locations: TraceLocationMessage[];
  items: AffectedItemMessage[];
  nextPageToken: string;
  graph: TraceGraphMessage;
}

export interface AffectedItemsPageMessage {
  items: AffectedItemMessage[];
  nextPageToken: string;
}
