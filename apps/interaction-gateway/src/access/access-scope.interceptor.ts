import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ARCHIVE_COLLECTIONS } from '@traceport/contracts';
import { DomainException } from '@traceport/errors';
import type { Request } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { ArchiveGateway } from '../archive/archive.gateway.js';
import { InspectionGateway } from '../decision/inspection.gateway.js';
import type { ScopeName } from './access-policy.js';
import { accessTargetOf } from './access.guard.js';
import { MerchantOwnership } from './merchant-ownership.js';
import { principalOf, type Principal } from './principal.js';

type Fields = Record<string, unknown>;
type Incoming = ServerUnaryCall<unknown, unknown> | undefined;

/** One call as the scope checks see it, whichever the transport. */
interface ScopedCall {
  readonly principal: Principal;
  readonly http: boolean;
  /** REST: path parameters; gRPC: the request message. */
  readonly params: Fields;
  /** REST: the query string; gRPC: the request message. */
  readonly query: Fields;
  /** REST: the JSON body; gRPC: the request message. */
  readonly body: Fields;
  readonly incoming: Incoming;
  setQuery(name: string, value: string): void;
}

interface Scope {
  /** Checks (or narrows) the request before it is sent on. */
  before?(call: ScopedCall): Promise<void>;
  /** Checks or filters the answer. */
  after?(call: ScopedCall, result: unknown): Promise<unknown>;
}

const outOfScope = (message: string) => new DomainException('out-of-scope', 'forbidden', message);
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const fields = (value: unknown): Fields => (typeof value === 'object' && value !== null ? (value as Fields) : {});

/**
 * Narrows merchants and inspection agencies to their own data, for the operations where the policy
 * admits them (access-policy.ts names the scope): a merchant reads only its merchants, their brands,
 * products and lots, the decisions on those lots and its own statistics; an agency sees only its
 * own inspection orders and submits results only for them. Other roles pass untouched.
 */
@Injectable()
export class AccessScopeInterceptor implements NestInterceptor {
  private readonly scopes: Record<ScopeName, Scope>;

  constructor(archive: ArchiveGateway, inspection: InspectionGateway) {
    const ownership = (call: ScopedCall) => new MerchantOwnership(archive, call.incoming);
    const ownMerchant = (call: ScopedCall, owner: string | null) => owner !== null && call.principal.organisation.merchantIds.includes(owner);
    const assertOwned = async (call: ScopedCall, recordType: string, id: string, what: string) => {
      if (!ownMerchant(call, await ownership(call).ownerOf(recordType, id))) throw outOfScope(`${what} ${id} is not one of your merchants'`);
    };
    const recordTypeOfCall = (call: ScopedCall) => (call.http ? (ARCHIVE_COLLECTIONS[text(call.params['collection'])] ?? '') : text(call.params['recordType']));
    const ownAgency = (call: ScopedCall) => call.principal.organisation.agencyId ?? '';

    this.scopes = {
      'not-owned': {},
      'merchant-record': {
        before: (call) => assertOwned(call, recordTypeOfCall(call), text(call.params['id']), 'record'),
      },
      'merchant-search': {
        after: async (call, result) => {
          const page = fields(result);
          const owners = ownership(call);
          const items = Array.isArray(page['items']) ? (page['items'] as Fields[]) : [];
          const owned = await Promise.all(items.map(async (item) => ownMerchant(call, await owners.ownerOfRecord(text(item['type']), fields(item['record'])))));
          return { ...page, items: items.filter((_, index) => owned[index]) };
        },
      },
      'merchant-product-by-gtin': {
        after: async (call, result) => {
          const product = fields(fields(result)['record']);
          if (!ownMerchant(call, await ownership(call).ownerOfRecord('archive.product', product))) throw outOfScope(`product ${text(call.params['gtin'])} is not one of your merchants'`);
          return result;
        },
      },
      'merchant-lot-decision': {
        before: (call) => assertOwned(call, 'archive.lot', text(call.params['lotId']), 'lot'),
      },
      'merchant-statistics': {
        before: async (call) => {
          const dimension = text(call.params['dimension']);
          if (dimension !== 'merchant') throw outOfScope(`a merchant key reads statistics by merchant only, not by ${dimension || '(none)'}`);
          const key = text(call.query['key']);
          if (key !== '' && !call.principal.organisation.merchantIds.includes(key)) throw outOfScope(`merchant ${key} is not one of yours`);
        },
        after: async (call, result) => {
          const report = fields(result);
          const groups = Array.isArray(report['groups']) ? (report['groups'] as Fields[]) : [];
          return { ...report, groups: groups.filter((group) => call.principal.organisation.merchantIds.includes(text(group['key']))) };
        },
      },
      'agency-orders': {
        before: async (call) => {
          const asked = text(call.query['agency']);
          if (asked !== '' && asked !== ownAgency(call)) throw outOfScope(`an agency key lists only its own orders (agency ${ownAgency(call)})`);
          call.setQuery('agency', ownAgency(call));
        },
        after: async (call, result) => {
          const page = fields(result);
          const orders = Array.isArray(page['orders']) ? (page['orders'] as Fields[]) : [];
          return { ...page, orders: orders.filter((order) => order['agency'] === ownAgency(call)) };
        },
      },
      'agency-order': {
        after: async (call, result) => {
          if (fields(result)['agency'] !== ownAgency(call)) throw outOfScope(`inspection order ${text(call.params['id'])} is not your agency's`);
          return result;
        },
      },
      'agency-submit-result': {
        before: async (call) => {
          const agency = text(call.body['agency']);
          if (agency !== '' && agency !== ownAgency(call)) throw outOfScope(`an agency key submits results as its own agency (${ownAgency(call)}) only`);
          const orderId = call.http ? text(call.params['id']) : text(call.params['orderId']);
          const order = await inspection.order(orderId, call.incoming);
          if (order.agency !== ownAgency(call)) throw outOfScope(`inspection order ${orderId} is not your agency's`);
        },
      },
    };
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
    const target = accessTargetOf(context);
    const principal = target === null ? null : principalOf(target.carrier);
    if (target === null || principal === null || target.rule.public === true) return next.handle();
    const role = principal.role;
    if (role !== 'merchant' && role !== 'inspection-agency') return next.handle();
    const scopeName = target.rule.scopes?.[role];
    // The guard admitted the role, so the table names its scope; without one, nothing is shown.
    if (scopeName === undefined) throw outOfScope(`${target.operation} has no ${role} scope`);
    const scope = this.scopes[scopeName];
    const call = scopedCallOf(context, principal);
    return (async () => {
      await scope.before?.(call);
      const after = scope.after;
      return after === undefined ? next.handle() : next.handle().pipe(mergeMap((result) => from(after(call, result))));
    })();
  }
}

function scopedCallOf(context: ExecutionContext, principal: Principal): ScopedCall {
  if (context.getType() === 'http') {
    const request = context.switchToHttp().getRequest<Request>();
    return {
      principal,
      http: true,
      params: request.params,
      query: fields(request.query),
      body: fields(request.body),
      incoming: undefined,
      setQuery(name, value) {
        // Express 5's req.query is a getter over the URL; the handler reads this narrowed copy instead.
        Object.defineProperty(request, 'query', { value: { ...fields(request.query), [name]: value }, configurable: true, writable: true, enumerable: true });
      },
    };
  }
  const message = fields(context.switchToRpc().getData());
  return {
    principal,
    http: false,
    params: message,
    query: message,
    body: message,
    incoming: context.getArgByIndex<Incoming>(2),
    setQuery(name, value) {
      message[name] = value;
    },
  };
}
