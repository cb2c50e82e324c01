import { DomainException } from '@traceport/errors';
import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, pageSizeOf, parseBackSubject, parseForwardScope } from './trace-request.js';

const GTIN = '09506000134352';
const FACTORY = '1c9c4a62-93a6-4ce0-9a8f-9d8a34c1f7a1';

function violationsOf(work: () => unknown): { code: string; fields: string[] } {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainException);
    const exception = error as DomainException;
    return { code: exception.code, fields: exception.violations.map((violation) => violation.field) };
  }
  throw new Error('expected a DomainException');
}

describe('the subject of a trace back', () => {
  it('is an item, a lot or a container, identifiers in canonical form', () => {
    expect(parseBackSubject({ gtin: '9506000134352', serial: 'A 1/2' })).toEqual({
      kind: 'item',
      gtin: GTIN,
      serial: 'A 1/2',
      identifier: `https://id.gs1.org/01/${GTIN}/21/A%201%2F2`,
    });
    expect(parseBackSubject({ gtin: GTIN, lot: 'L1' })).toEqual({ kind: 'lot', gtin: GTIN, lot: 'L1' });
    expect(parseBackSubject({ container: '095060001343999998' })).toEqual({ kind: 'container', identifier: 'https://id.gs1.org/00/095060001343999998' });
    expect(parseBackSubject({ container: 'urn:epc:id:sscc:9506000.0134399999' })).toEqual({ kind: 'container', identifier: 'https://id.gs1.org/00/095060001343999998' });
  });

  it('names every parameter at fault', () => {
    expect(violationsOf(() => parseBackSubject({}))).toEqual({ code: 'trace-invalid-subject', fields: ['gtin', 'serial'] });
    expect(violationsOf(() => parseBackSubject({ gtin: '09506000134353', serial: 'S' })).fields).toEqual(['gtin']);
    expect(violationsOf(() => parseBackSubject({ gtin: GTIN, serial: 'S', lot: 'L' })).fields).toEqual(['lot']);
    expect(violationsOf(() => parseBackSubject({ container: '095060001343999997' })).fields).toEqual(['container']);
    expect(violationsOf(() => parseBackSubject({ container: '095060001343999998', gtin: GTIN })).fields).toEqual(['container']);
  });
});

describe('the scope of a trace forward', () => {
  it('is a factory, a product (by id or GTIN), a lot, or a production window, alone or narrowing a factory or product', () => {
    expect(parseForwardScope({ factoryId: FACTORY.toUpperCase() })).toEqual({ kind: 'factory', factoryId: FACTORY, window: null });
    expect(parseForwardScope({ gtin: '9506000134352' })).toEqual({ kind: 'product', productId: null, gtin: GTIN, window: null });
    expect(parseForwardScope({ gtin: GTIN, lot: 'L1' })).toEqual({ kind: 'lot', gtin: GTIN, lot: 'L1' });
    expect(parseForwardScope({ from: '2026-01-01', to: '2026-01-31' })).toEqual({ kind: 'production-window', window: { from: '2026-01-01', to: '2026-01-31' } });
    expect(parseForwardScope({ productId: FACTORY, from: '2026-01-01', to: '2026-01-01' })).toMatchObject({ kind: 'product', window: { from: '2026-01-01', to: '2026-01-01' } });
  });

  it('refuses none, two, a lot without its GTIN or with a window, half a window, and impossible dates', () => {
    expect(violationsOf(() => parseForwardScope({}))).toEqual({ code: 'trace-invalid-scope', fields: ['factory_id'] });
    expect(violationsOf(() => parseForwardScope({ factoryId: FACTORY, gtin: GTIN })).fields).toEqual(['gtin']);
    expect(violationsOf(() => parseForwardScope({ lot: 'L1' })).fields).toEqual(['lot', 'factory_id']);
    expect(violationsOf(() => parseForwardScope({ gtin: GTIN, lot: 'L1', from: '2026-01-01', to: '2026-01-02' })).fields).toEqual(['from']);
    expect(violationsOf(() => parseForwardScope({ factoryId: FACTORY, to: '2026-01-02' })).fields).toEqual(['from']);
    expect(violationsOf(() => parseForwardScope({ from: '2026-02-30', to: '2026-13-01' })).fields).toEqual(['from', 'to']);
    expect(violationsOf(() => parseForwardScope({ from: '2026-02-02', to: '2026-02-01' })).fields).toEqual(['to']);
    expect(violationsOf(() => parseForwardScope({ factoryId: 'factory-1' })).fields).toEqual(['factory_id']);
  });
});

describe('pages of affected items', () => {
  it('take a size from 1 to 1,000 (100 by default)', () => {
    expect(pageSizeOf(undefined)).toBe(100);
    expect(pageSizeOf(0)).toBe(100);
    expect(pageSizeOf(1_000)).toBe(1_000);
    expect(violationsOf(() => pageSizeOf(1_001)).fields).toEqual(['page_size']);
    expect(violationsOf(() => pageSizeOf(2.5)).fields).toEqual(['page_size']);
  });

  it('resume after the item a token names, and only for the trace that issued it', () => {
    const scope = parseForwardScope({ factoryId: FACTORY });
    const cursor = { gtin: GTIN, lot: 'L/1', serial: 'S ü' };
    expect(decodePageToken(encodePageToken(scope, cursor), scope)).toEqual(cursor);
    expect(decodePageToken('', scope)).toBeNull();
    expect(violationsOf(() => decodePageToken(encodePageToken(scope, cursor), parseForwardScope({ gtin: GTIN }))).fields).toEqual(['page_token']);
    expect(violationsOf(() => decodePageToken('not-a-token', scope)).code).toBe('trace-invalid-page');
  });
});
