import { ARCHIVE_COLLECTIONS } from '@traceport/contracts';
import { ROLES, type Role } from './roles.js';

// THE access policy: every REST operation and RPC of the gateway, and who may call it. The guard
// decides from this table alone (AccessGuard), the scope checks narrow merchants and agencies to
// their own data (access-scope.ts), and docs/access-control.md shows it to people. A route or RPC
// missing here needs a key and is refused to every role but platform-admin: new routes are closed
// until someone decides who may call them.
//
// REST operations are keyed `METHOD /path` with OpenAPI's {param} templates; the archive's generic
// /v1/{collection} routes are keyed per collection (/v1/merchants/{id}), as /openapi.json lists
// them. RPCs are keyed by their full method name, `traceport.v1.Service/Method`.

/** Public operations that answer everyone are rate-limited per client in these groups. */
export type RateLimitGroup = 'scan' | 'proofs';

/**
 * How a merchant's or an agency's call is narrowed to its own data (access-scope.ts): every rule
 * that admits `merchant` or `inspection-agency` names one, and the spec checks that it does.
 */
export type ScopeName =
  /** Nothing in the answer belongs to a merchant or an agency (reference data, the caller's own key): no narrowing. */
  | 'not-owned'
  | 'merchant-record'
  | 'merchant-search'
  | 'merchant-product-by-gtin'
  | 'merchant-lot-decision'
  | 'merchant-statistics'
  | 'agency-orders'
  | 'agency-order'
  | 'agency-submit-result';

export type AccessRule =
  | { readonly public: true; readonly rateLimit?: RateLimitGroup }
  | { readonly public?: false; readonly roles: readonly Role[]; readonly scopes?: Partial<Record<'merchant' | 'inspection-agency', ScopeName>> };

const ALL: readonly Role[] = ROLES;
const ADMIN: readonly Role[] = ['platform-admin'];
/** Configuration of the decision engine: rules, whitelists, supplier states. */
const OPERATIONS: readonly Role[] = ['platform-admin', 'operations'];
/** What the supply-chain middle platform writes: archive, lots, identities, trace events. */
const INTEGRATION_WRITE: readonly Role[] = ['platform-admin', 'operations', 'service'];
/** Read-only across the platform. */
const READ: readonly Role[] = ['platform-admin', 'operations', 'service', 'auditor'];
const OVERSIGHT: readonly Role[] = ['platform-admin', 'operations', 'auditor'];

const PUBLIC: AccessRule = { public: true };
const SCAN: AccessRule = { public: true, rateLimit: 'scan' };
const PROOFS: AccessRule = { public: true, rateLimit: 'proofs' };
const allow = (roles: readonly Role[]): AccessRule => ({ roles });
const forMerchant = (roles: readonly Role[], scope: ScopeName): AccessRule => ({ roles: [...roles, 'merchant'], scopes: { merchant: scope } });
/** Every key: reference data and the caller's own key. */
const EVERY_KEY: AccessRule = { roles: ALL, scopes: { merchant: 'not-owned', 'inspection-agency': 'not-owned' } };
const forAgency = (roles: readonly Role[], scope: ScopeName): AccessRule => ({ roles: [...roles, 'inspection-agency'], scopes: { 'inspection-agency': scope } });

/** The archive's collections, with who reads them beyond READ. */
function archiveRules(collection: string, extraReaders: 'merchant' | 'merchant-and-agency' | 'none'): Record<string, AccessRule> {
  const read = (scope: ScopeName): AccessRule =>
    extraReaders === 'none'
      ? allow(READ)
      : extraReaders === 'merchant'
        ? forMerchant(READ, scope)
        : // Reference data every party needs (inspection standards) belongs to no merchant.
          { roles: [...READ, 'merchant', 'inspection-agency'], scopes: { merchant: 'not-owned', 'inspection-agency': 'not-owned' } };
  return {
    [`POST /v1/${collection}`]: allow(INTEGRATION_WRITE),
    [`GET /v1/${collection}`]: read('merchant-search'),
    [`GET /v1/${collection}/{id}`]: read('merchant-record'),
    [`PUT /v1/${collection}/{id}`]: allow(INTEGRATION_WRITE),
    [`GET /v1/${collection}/{id}/versions`]: read('merchant-record'),
    [`GET /v1/${collection}/{id}/versions/{version}`]: read('merchant-record'),
  };
}

export const REST_POLICY: Readonly<Record<string, AccessRule>> = {
  // Public: the consumer's scan, proofs anyone may check, operations and documentation.
  'GET /01/{path}': SCAN,
  'GET /v1/proofs': PROOFS,
  'GET /v1/ledger/consistency': PROOFS,
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': PUBLIC,
  'GET /openapi.json': PUBLIC,
  'GET /docs': PUBLIC,
  'GET /docs/{asset}': PUBLIC,
  // The operations console's files: the page itself asks for a key and calls the API with it.
  'GET /console': PUBLIC,
  'GET /console/{path}': PUBLIC,

  // Access: organisations and keys; whoami for every key.
  'GET /v1/auth/whoami': EVERY_KEY,
  'POST /v1/organisations': allow(ADMIN),
  'GET /v1/organisations': allow(ADMIN),
  'GET /v1/organisations/{id}': allow(ADMIN),
  'POST /v1/organisations/{id}/keys': allow(ADMIN),
  'GET /v1/organisations/{id}/keys': allow(ADMIN),
  'POST /v1/keys/{id}/revoke': allow(ADMIN),

  // Archive.
  ...archiveRules('merchants', 'merchant'),
  ...archiveRules('brands', 'merchant'),
  ...archiveRules('products', 'merchant'),
  ...archiveRules('lots', 'merchant'),
  ...archiveRules('factories', 'none'),
  ...archiveRules('inspection-standards', 'merchant-and-agency'),
  ...archiveRules('customs-declarations', 'none'),
  // /v1/<not a collection>/…: the archive answers 404 to any key (a known collection has its own lines above).
  ...Object.fromEntries(
    ['POST /v1/{collection}', 'GET /v1/{collection}', 'GET /v1/{collection}/{id}', 'PUT /v1/{collection}/{id}', 'GET /v1/{collection}/{id}/versions', 'GET /v1/{collection}/{id}/versions/{version}'].map(
      (operation) => [operation, EVERY_KEY],
    ),
  ),
  'POST /v1/archive/imports': allow(INTEGRATION_WRITE),
  'GET /v1/archive/imports/{id}': allow(READ),
  'GET /v1/products/gtin/{gtin}': forMerchant(READ, 'merchant-product-by-gtin'),

  // Ledger beyond public proofs.
  'GET /v1/ledger/state': allow(READ),
  'GET /v1/ledger/audit': allow(OVERSIGHT),
  'POST /v1/ledger/audit': allow(OVERSIGHT),
  'POST /v1/ledger/audit/stores': allow(OVERSIGHT),

  // Statistics and the console's dashboard.
  'GET /v1/statistics/{dimension}': forMerchant(READ, 'merchant-statistics'),
  'GET /v1/dashboard': allow(OVERSIGHT),

  // EPCIS 2.0, trails, trace back/forward.
  'POST /epcis/capture': allow(INTEGRATION_WRITE),
  'GET /epcis/capture': allow(READ),
  'GET /epcis/capture/{captureId}': allow(READ),
  'GET /epcis/events': allow(READ),
  'GET /epcis/events/{eventId}': allow(READ),
  // EPCIS standing queries and their subscriptions (webhooks), and the deliveries' log.
  'POST /epcis/queries': allow(INTEGRATION_WRITE),
  'GET /epcis/queries': allow(READ),
  'GET /epcis/queries/{queryName}': allow(READ),
  'DELETE /epcis/queries/{queryName}': allow(INTEGRATION_WRITE),
  'POST /epcis/queries/{queryName}/subscriptions': allow(INTEGRATION_WRITE),
  'GET /epcis/queries/{queryName}/subscriptions': allow(READ),
  'GET /epcis/queries/{queryName}/subscriptions/{subscriptionId}': allow(READ),
  'DELETE /epcis/queries/{queryName}/subscriptions/{subscriptionId}': allow(INTEGRATION_WRITE),
  'GET /v1/notifications': allow(READ),
  'POST /v1/notifications/{id}/redrive': allow(INTEGRATION_WRITE),
  'GET /v1/lots/trail': allow(READ),
  'GET /v1/items/trail': allow(READ),
  'GET /v1/trace/back': allow(READ),
  'GET /v1/trace/forward': allow(READ),
  'GET /v1/trace/forward/items': allow(READ),

  // Identities.
  'POST /v1/lots/{lotId}/identities': allow(INTEGRATION_WRITE),
  'GET /v1/lots/{lotId}/identity-issuances': allow(READ),
  'GET /v1/identity-issuances/{id}': allow(READ),
  'GET /v1/identity-issuances/{id}/identities': allow(READ),
  'GET /v1/identity-issuances/{id}/labels.pdf': allow(READ),
  'GET /v1/identities/{gtin}/{serial}': allow(READ),
  'GET /v1/identities/{gtin}/{serial}/qr.svg': allow(READ),
  'GET /v1/identities/{gtin}/{serial}/qr.png': allow(READ),

  // Sampling plans: a table lookup any key may make.
  'GET /v1/sampling/plan': EVERY_KEY,

  // Rule sets and whitelists: operations change them, oversight reads them.
  'GET /v1/rule-sets': allow(OVERSIGHT),
  'POST /v1/rule-sets': allow(OPERATIONS),
  'POST /v1/rule-sets/validate': allow(OPERATIONS),
  'POST /v1/rule-sets/simulate': allow(OPERATIONS),
  'GET /v1/rule-sets/active': allow(OVERSIGHT),
  'GET /v1/rule-sets/{version}': allow(OVERSIGHT),
  'PUT /v1/rule-sets/{version}': allow(OPERATIONS),
  'POST /v1/rule-sets/{version}/publish': allow(OPERATIONS),
  'GET /v1/whitelist': allow(OVERSIGHT),
  'POST /v1/whitelist': allow(OPERATIONS),
  'PUT /v1/whitelist/{id}': allow(OPERATIONS),
  'POST /v1/whitelist/{id}/revoke': allow(OPERATIONS),
  'GET /v1/whitelist/{id}/history': allow(OVERSIGHT),

  // Decisions, inspection orders and results, suppliers.
  'GET /v1/lots/{lotId}/decision': forMerchant(READ, 'merchant-lot-decision'),
  'GET /v1/decisions': allow(READ),
  'GET /v1/inspection-orders': forAgency(READ, 'agency-orders'),
  'GET /v1/inspection-orders/{id}': forAgency(READ, 'agency-order'),
  'POST /v1/inspection-orders/{id}/result': forAgency(OPERATIONS, 'agency-submit-result'),
  'GET /v1/suppliers': allow(READ),
  'GET /v1/suppliers/{factoryId}/{category}': allow(READ),
  'POST /v1/suppliers/{factoryId}/{category}/resume': allow(OPERATIONS),

  // Holds and recalls: operations act on them, oversight and integrations read them.
  'GET /v1/holds': allow(READ),
  'GET /v1/holds/{id}': allow(READ),
  'POST /v1/holds/{id}/lift': allow(OPERATIONS),
  'POST /v1/recalls': allow(OPERATIONS),
  'GET /v1/recalls': allow(READ),
  'GET /v1/recalls/{id}': allow(READ),
};

const rpc = (service: string, methods: Record<string, AccessRule>) =>
  Object.fromEntries(Object.entries(methods).map(([method, rule]) => [`traceport.v1.${service}/${method}`, rule]));

/** Every RPC of the gateway's traceport.v1 services. Reflection and grpc.health.v1 are answered before any of this. */
export const GRPC_POLICY: Readonly<Record<string, AccessRule>> = {
  ...rpc('ArchiveService', {
    StartImport: allow(INTEGRATION_WRITE),
    GetImport: allow(READ),
    CreateRecord: allow(INTEGRATION_WRITE),
    UpdateRecord: allow(INTEGRATION_WRITE),
    GetRecord: forMerchant(READ, 'merchant-record'),
    ListRecordVersions: allow(READ),
    SearchRecords: allow(READ),
    RegisterProduct: allow(INTEGRATION_WRITE),
    GetProduct: allow(READ),
  }),
  ...rpc('LedgerService', { GetRecordProof: PROOFS, GetConsistencyProof: PROOFS, AuditLog: allow(OVERSIGHT), GetLedgerState: allow(READ) }),
  ...rpc('TraceService', {
    CaptureDocument: allow(INTEGRATION_WRITE),
    GetCaptureJob: allow(READ),
    QueryEvents: allow(READ),
    GetEvent: allow(READ),
    GetLotTrail: allow(READ),
    GetItemTrail: allow(READ),
  }),
  ...rpc('StatisticsService', { GetStatistics: forMerchant(READ, 'merchant-statistics'), GetArchiveCounts: allow(OVERSIGHT) }),
  ...rpc('IdentityService', {
    StartIssuance: allow(INTEGRATION_WRITE),
    GetIssuance: allow(READ),
    ListIssuances: allow(READ),
    GetIdentity: allow(READ),
    StreamIdentities: allow(READ),
  }),
  ...rpc('SamplingService', { GetPlan: EVERY_KEY }),
  ...rpc('RuleSetService', {
    CreateDraft: allow(OPERATIONS),
    UpdateDraft: allow(OPERATIONS),
    ValidateRuleSet: allow(OPERATIONS),
    GetRuleSet: allow(OVERSIGHT),
    ListRuleSets: allow(OVERSIGHT),
    PublishRuleSet: allow(OPERATIONS),
    SimulateRuleSet: allow(OPERATIONS),
  }),
  ...rpc('WhitelistService', {
    CreateEntry: allow(OPERATIONS),
    UpdateEntry: allow(OPERATIONS),
    RevokeEntry: allow(OPERATIONS),
    ListEntries: allow(OVERSIGHT),
    GetEntryHistory: allow(OVERSIGHT),
  }),
  ...rpc('InspectionService', {
    GetLotDecision: forMerchant(READ, 'merchant-lot-decision'),
    ListDecisions: allow(READ),
    ListOrders: forAgency(READ, 'agency-orders'),
    GetOrder: forAgency(READ, 'agency-order'),
    SubmitResult: forAgency(OPERATIONS, 'agency-submit-result'),
    GetSupplierState: allow(READ),
    ListSupplierStates: allow(READ),
    ResumeSupplier: allow(OPERATIONS),
  }),
  ...rpc('TraceGraphService', { TraceBack: allow(READ), TraceForward: allow(READ), ListAffectedItems: allow(READ) }),
  ...rpc('EpcisSubscriptionService', {
    CreateQuery: allow(INTEGRATION_WRITE),
    ListQueries: allow(READ),
    GetQuery: allow(READ),
    DeleteQuery: allow(INTEGRATION_WRITE),
    CreateSubscription: allow(INTEGRATION_WRITE),
    ListSubscriptions: allow(READ),
    GetSubscription: allow(READ),
    DeleteSubscription: allow(INTEGRATION_WRITE),
    ListDeliveries: allow(READ),
    RedriveDelivery: allow(INTEGRATION_WRITE),
  }),
  ...rpc('ProductControlService', {
    ListHolds: allow(READ),
    GetHold: allow(READ),
    LiftHold: allow(OPERATIONS),
    CreateRecall: allow(OPERATIONS),
    ListRecalls: allow(READ),
    GetRecall: allow(READ),
    GetItemControl: allow(READ),
  }),
};

/** Operations nobody has put in the table yet: a key is needed, and only a platform admin may call them. */
export const UNLISTED: AccessRule = { roles: ADMIN };

/** The REST key of an Express route: `GET /v1/{collection}/{id}` with a known archive collection filled in. */
export function restOperationKey(method: string, routePath: string, params: Readonly<Record<string, unknown>>): string {
  const collection = params['collection'];
  const known = typeof collection === 'string' && Object.hasOwn(ARCHIVE_COLLECTIONS, collection);
  const path = routePath
    .replace(/:collection\b/, known ? collection : '{collection}')
    .replace(/\*(\w+)/g, '{$1}')
    .replace(/:(\w+)/g, '{$1}');
  return `${method.toUpperCase()} ${path === '' ? '/' : path}`;
}

export function restRule(key: string): AccessRule {
  return REST_POLICY[key] ?? UNLISTED;
}

/** `/traceport.v1.ArchiveService/GetRecord` (a call's path) → its rule. */
export function grpcRule(path: string): AccessRule {
  return GRPC_POLICY[path.replace(/^\//, '')] ?? UNLISTED;
}
