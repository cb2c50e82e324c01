import type { FieldViolation } from '@traceport/errors';
import { parseGtin } from '@traceport/identity';
import { canonicalIdentifier, IdentifierProblem } from '../epcis/gs1-identifier.js';
import { invalidTraceRequest, TraceGraphErrorCode } from './trace-graph.exception.js';

/** What a trace back starts from. */
export type BackSubject =
  | { readonly kind: 'item'; readonly gtin: string; readonly serial: string; readonly identifier: string }
  | { readonly kind: 'lot'; readonly gtin: string; readonly lot: string }
  | { readonly kind: 'container'; readonly identifier: string };

/** Production dates, inclusive, as ISO dates (they compare as text). */
export interface ProductionWindow {
  readonly from: string;
  readonly to: string;
}

/** What a trace forward starts from. */
export type ForwardScope =
  | { readonly kind: 'factory'; readonly factoryId: string; readonly window: ProductionWindow | null }
  | { readonly kind: 'product'; readonly productId: string | null; readonly gtin: string | null; readonly window: ProductionWindow | null }
  | { readonly kind: 'lot'; readonly gtin: string; readonly lot: string }
  | { readonly kind: 'production-window'; readonly window: ProductionWindow };

/** Where a page of affected items starts: after this item, in (gtin, lot, serial) order. */
export interface ItemCursor {
  readonly gtin: string;
  readonly lot: string;
  readonly serial: string;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1_000;
const MAX_KEY_LENGTH = 1_000;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** The canonical identifier of an item: the GS1 Digital Link every capture files it under. */
export function itemIdentifier(gtin: string, serial: string): string {
  return canonicalIdentifier(`https://id.gs1.org/01/${gtin}/21/${encodeURIComponent(serial)}`).canonical;
}

class Violations {
  readonly list: FieldViolation[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  gtin(field: string, value: string): string {
    const parsed = parseGtin(value);
    if (parsed.ok) return parsed.gtin14;
    this.add(field, parsed.message);
    return value;
  }
  key(field: string, value: string): string {
    if (value.length > MAX_KEY_LENGTH) this.add(field, `at most ${MAX_KEY_LENGTH} characters`);
    return value;
  }
  uuid(field: string, value: string): string {
    if (!isUuid(value)) this.add(field, 'a record id (UUID)');
    return value.toLowerCase();
  }
  date(field: string, value: string): string {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
    if (!valid) this.add(field, 'a date, YYYY-MM-DD');
    return value;
  }
  throwIfAny(code: string): void {
    if (this.list.length > 0) throw invalidTraceRequest(code, this.list);
  }
}

/** gtin + serial (an item), gtin + lot (a lot), or container (an SSCC or any identifier URI): exactly one. */
export function parseBackSubject(request: { gtin?: unknown; serial?: unknown; lot?: unknown; container?: unknown }): BackSubject {
  const violations = new Violations();
  const gtin = text(request.gtin);
  const serial = text(request.serial);
  const lot = text(request.lot);
  const container = text(request.container);
  const given = [gtin !== '' && 'gtin', serial !== '' && 'serial', lot !== '' && 'lot', container !== '' && 'container'].filter(Boolean);
  if (container !== '') {
    if (given.length > 1) violations.add('container', 'give a container alone, not with gtin, serial or lot');
    violations.throwIfAny(TraceGraphErrorCode.invalidSubject);
    const written = /^\d{18}$/.test(container) ? `https://id.gs1.org/00/${container}` : violations.key('container', container);
    try {
      return { kind: 'container', identifier: canonicalIdentifier(written).canonical };
    } catch (error) {
      if (!(error instanceof IdentifierProblem)) throw error;
      violations.add('container', error.message);
      violations.throwIfAny(TraceGraphErrorCode.invalidSubject);
    }
  }
  const gtin14 = gtin === '' ? '' : violations.gtin('gtin', gtin);
  if (gtin === '') violations.add('gtin', 'required with serial or lot (or give a container)');
  if ((serial === '') === (lot === '')) violations.add(serial === '' ? 'serial' : 'lot', 'give either serial (an item) or lot (a lot) with gtin');
  violations.key('serial', serial);
  violations.key('lot', lot);
  violations.throwIfAny(TraceGraphErrorCode.invalidSubject);
  return serial !== '' ? { kind: 'item', gtin: gtin14, serial, identifier: itemIdentifier(gtin14, serial) } : { kind: 'lot', gtin: gtin14, lot };
}

/**
 * factory_id, product_id, gtin (a product) or gtin + lot (a lot), or a production window from + to
 * alone or narrowing a factory or a product.
 */
export function parseForwardScope(request: { factoryId?: unknown; productId?: unknown; gtin?: unknown; lot?: unknown; from?: unknown; to?: unknown }): ForwardScope {
  const violations = new Violations();
  const factoryId = text(request.factoryId);
  const productId = text(request.productId);
  const gtin = text(request.gtin);
  const lot = text(request.lot);
  const from = text(request.from);
  const to = text(request.to);
  const scopes = [factoryId !== '' && 'factory_id', productId !== '' && 'product_id', gtin !== '' && 'gtin'].filter((name): name is string => name !== false);
  if (scopes.length > 1) violations.add(scopes[1]!, `give one of factory_id, product_id and gtin, not ${scopes.join(' and ')}`);
  if (lot !== '' && gtin === '') violations.add('lot', 'a lot is named by gtin and lot');
  if (lot !== '' && (from !== '' || to !== '')) violations.add(from !== '' ? 'from' : 'to', 'a production window does not apply to one lot');
  if ((from === '') !== (to === '')) violations.add(from === '' ? 'from' : 'to', 'a production window needs both from and to');
  if (scopes.length === 0 && from === '' && to === '') violations.add('factory_id', 'give factory_id, product_id, gtin (with lot for one lot), or a production window from + to');
  if (factoryId !== '') violations.uuid('factory_id', factoryId);
  if (productId !== '') violations.uuid('product_id', productId);
  const gtin14 = gtin === '' ? '' : violations.gtin('gtin', gtin);
  violations.key('lot', lot);
  if (from !== '') violations.date('from', from);
  if (to !== '') violations.date('to', to);
  if (from !== '' && to !== '' && violations.list.length === 0 && from > to) violations.add('to', 'the window ends before it starts');
  violations.throwIfAny(TraceGraphErrorCode.invalidScope);
  const window = from === '' ? null : { from, to };
  if (factoryId !== '') return { kind: 'factory', factoryId: factoryId.toLowerCase(), window };
  if (productId !== '') return { kind: 'product', productId: productId.toLowerCase(), gtin: null, window };
  if (gtin14 !== '' && lot !== '') return { kind: 'lot', gtin: gtin14, lot };
  if (gtin14 !== '') return { kind: 'product', productId: null, gtin: gtin14, window };
  return { kind: 'production-window', window: window! };
}

export function pageSizeOf(value: unknown): number {
  const size = typeof value === 'number' ? value : 0;
  if (size === 0) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidTraceRequest(TraceGraphErrorCode.invalidPage, [{ field: 'page_size', message: `1 to ${MAX_PAGE_SIZE}` }]);
  }
  return size;
}

/** The scope a token belongs to, so a token is never read against another trace. */
function fingerprintOf(scope: ForwardScope): string {
  return JSON.stringify(scope);
}

export function encodePageToken(scope: ForwardScope, after: ItemCursor): string {
  return Buffer.from(JSON.stringify({ s: fingerprintOf(scope), a: [after.gtin, after.lot, after.serial] })).toString('base64url');
}

/** The cursor a token carries; null for no token (the first page). */
export function decodePageToken(token: unknown, scope: ForwardScope): ItemCursor | null {
  const value = text(token);
  if (value === '') return null;
  try {
    const decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { s?: unknown; a?: unknown };
    const after = decoded.a;
    if (decoded.s !== fingerprintOf(scope)) throw new Error('another scope');
    if (!Array.isArray(after) || after.length !== 3 || !after.every((part) => typeof part === 'string')) throw new Error('bad cursor');
    return { gtin: after[0] as string, lot: after[1] as string, serial: after[2] as string };
  } catch {
    throw invalidTraceRequest(TraceGraphErrorCode.invalidPage, [
      { field: 'page_token', message: 'not a token this trace issued: give the page token of the same scope (factory_id, product_id, gtin, lot, from, to)' },
    ]);
  }
}
