import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findProtoBreaks, surfaceOfSources, type BreakKind, type ProtoSurface } from './proto-compatibility.js';
import { PROTO_PACKAGE, PROTO_ROOT } from './proto-root.js';

// The published traceport.v1 surface is proto/traceport/v1.lock.json; the .proto files may only
// add to it. To publish additions: node libs/contracts/scripts/proto-lock.ts --update.

const LOCK = new URL('../proto/traceport/v1.lock.json', import.meta.url);

function currentSources(): Record<string, string> {
  const dir = `${PROTO_ROOT}traceport/v1/`;
  return Object.fromEntries(readdirSync(dir).filter((file) => file.endsWith('.proto')).map((file) => [`traceport/v1/${file}`, readFileSync(`${dir}${file}`, 'utf8')]));
}

function lockedSurface(): ProtoSurface {
  const { $comment: _comment, ...surface } = JSON.parse(readFileSync(LOCK, 'utf8')) as ProtoSurface & { $comment: string };
  return surface;
}

describe('the published traceport.v1 protos', () => {
  it('change only compatibly: every published service, RPC, message, field and enum value is still there, as it was', () => {
    const breaks = findProtoBreaks(lockedSurface(), surfaceOfSources(currentSources(), PROTO_PACKAGE));
    expect(breaks.map((found) => `${found.kind}: ${found.message}`), 'undo the change, or publish it as a new package version').toEqual([]);
  });
});

// A small published package, and changes to it: each kind of break must be caught, and additions pass.
const PUBLISHED = `
syntax = "proto3";
package shop.v1;

service OrderService {
  rpc GetOrder(GetOrderRequest) returns (Order);
  rpc WatchOrders(WatchOrdersRequest) returns (stream Order);
}

message GetOrderRequest { string id = 1; }
message WatchOrdersRequest { string customer = 1; }

message Order {
  reserved 4, 9 to 11;
  reserved "legacy_total";
  string id = 1;
  Status status = 2;
  repeated Line lines = 3;
  map<string, string> labels = 5;
  optional string note = 6;
  oneof payment {
    string card = 7;
    string voucher = 8;
  }
  message Line { string sku = 1; uint32 quantity = 2; }
}

enum Status {
  reserved 3;
  STATUS_UNSPECIFIED = 0;
  STATUS_OPEN = 1;
  STATUS_SHIPPED = 2;
}
`;

const surface = (source: string) => surfaceOfSources({ 'shop/v1/shop.proto': source }, 'shop.v1');
const published = surface(PUBLISHED);

function breaksAfter(change: (source: string) => string): BreakKind[] {
  const changed = change(PUBLISHED);
  expect(changed, 'the change must apply').not.toBe(PUBLISHED);
  return findProtoBreaks(published, surface(changed)).map((found) => found.kind);
}

describe('the proto compatibility check', () => {
  it.each<[string, (source: string) => string, BreakKind]>([
    ['a removed field', (source) => source.replace('  Status status = 2;\n', ''), 'field-removed'],
    ['a renumbered field', (source) => source.replace('Status status = 2;', 'Status status = 12;'), 'field-renumbered'],
    ['a renamed field', (source) => source.replace('Status status = 2;', 'Status state = 2;'), 'field-renamed'],
    ['a changed scalar type', (source) => source.replace('string id = 1;\n  Status', 'bytes id = 1;\n  Status'), 'field-type-changed'],
    ['a changed message type', (source) => source.replace('repeated Line lines = 3;', 'repeated GetOrderRequest lines = 3;'), 'field-type-changed'],
    ['a changed map value type', (source) => source.replace('map<string, string> labels', 'map<string, uint32> labels'), 'field-type-changed'],
    ['a repeated field made singular', (source) => source.replace('repeated Line lines = 3;', 'Line lines = 3;'), 'field-label-changed'],
    ['a singular field made repeated', (source) => source.replace('Status status = 2;', 'repeated Status status = 2;'), 'field-label-changed'],
    ['a field losing explicit presence', (source) => source.replace('optional string note = 6;', 'string note = 6;'), 'field-label-changed'],
    ['a field moved out of its oneof', (source) => source.replace('    string voucher = 8;\n', '').replace('string id = 1;\n  Status', 'string id = 1;\n  string voucher = 8;\n  Status'), 'field-oneof-changed'],
    ['a reused reserved number', (source) => source.replace('reserved 4, 9 to 11;', 'reserved 9 to 11;').replace('string id = 1;\n  Status', 'string id = 1;\n  string coupon = 4;\n  Status'), 'reserved-number-reused'],
    ['a reused number of a reserved range', (source) => source.replace('reserved 4, 9 to 11;', 'reserved 4;').replace('string id = 1;\n  Status', 'string id = 1;\n  string coupon = 10;\n  Status'), 'reserved-number-reused'],
    ['a reused reserved name', (source) => source.replace('reserved "legacy_total";\n', '').replace('string id = 1;\n  Status', 'string id = 1;\n  string legacy_total = 20;\n  Status'), 'reserved-name-reused'],
    ['a dropped reservation', (source) => source.replace('reserved 4, 9 to 11;', 'reserved 4;'), 'reservation-removed'],
    ['a removed message', (source) => source.replace('message WatchOrdersRequest { string customer = 1; }', '').replace('rpc WatchOrders(WatchOrdersRequest) returns (stream Order);', ''), 'message-removed'],
    ['a removed nested message', (source) => source.replace('  message Line { string sku = 1; uint32 quantity = 2; }\n', '').replace('repeated Line lines = 3;', 'repeated string lines = 3;'), 'message-removed'],
    ['a removed service', (source) => source.replace(/service OrderService \{[^}]*\}/, ''), 'service-removed'],
    ['a removed RPC', (source) => source.replace('  rpc GetOrder(GetOrderRequest) returns (Order);\n', ''), 'method-removed'],
    ['a changed RPC request type', (source) => source.replace('rpc GetOrder(GetOrderRequest)', 'rpc GetOrder(WatchOrdersRequest)'), 'method-request-changed'],
    ['a changed RPC response type', (source) => source.replace('returns (Order);', 'returns (Order.Line);'), 'method-response-changed'],
    ['an RPC that stops streaming', (source) => source.replace('returns (stream Order)', 'returns (Order)'), 'method-streaming-changed'],
    ['an RPC that starts streaming its requests', (source) => source.replace('rpc GetOrder(GetOrderRequest)', 'rpc GetOrder(stream GetOrderRequest)'), 'method-streaming-changed'],
    ['a removed enum', (source) => source.replace(/enum Status \{[^}]*\}/, '').replace('Status status = 2;', 'string status = 2;'), 'enum-removed'],
    ['a removed enum value', (source) => source.replace('  STATUS_SHIPPED = 2;\n', ''), 'enum-value-removed'],
    ['a renumbered enum value', (source) => source.replace('STATUS_SHIPPED = 2;', 'STATUS_SHIPPED = 4;'), 'enum-value-renumbered'],
    ['a reused reserved enum number', (source) => source.replace('  reserved 3;\n', '').replace('STATUS_SHIPPED = 2;', 'STATUS_SHIPPED = 2;\n  STATUS_LOST = 3;'), 'reserved-number-reused'],
  ])('catches %s', (_what, change, kind) => {
    expect(breaksAfter(change)).toContain(kind);
  });

  it('passes compatible additions: fields, messages, enum values, RPCs, services, reservations', () => {
    const added = PUBLISHED.replace('optional string note = 6;', 'optional string note = 6;\n  string currency = 12;\n  repeated string tags = 13;')
      .replace('STATUS_SHIPPED = 2;', 'STATUS_SHIPPED = 2;\n  STATUS_RETURNED = 4;')
      .replace('rpc GetOrder(GetOrderRequest) returns (Order);', 'rpc GetOrder(GetOrderRequest) returns (Order);\n  rpc CancelOrder(GetOrderRequest) returns (Order);')
      .replace('reserved "legacy_total";', 'reserved "legacy_total", "old_note";\n  reserved 20 to 30;')
      .concat('\nservice ReportService { rpc Summary(GetOrderRequest) returns (Summary); }\nmessage Summary { uint32 orders = 1; }\n');
    expect(findProtoBreaks(published, surface(added))).toEqual([]);
  });

  it('names what broke', () => {
    const [found] = findProtoBreaks(published, surface(PUBLISHED.replace('Status status = 2;', 'Status status = 12;')));
    expect(found).toEqual({ kind: 'field-renumbered', element: '.shop.v1.Order.status', message: 'field status was renumbered from 2 to 12' });
  });

  it('describes fields by number, with resolved type names, labels, map keys and oneofs', () => {
    expect(published.messages['.shop.v1.Order']?.fields).toEqual({
      '1': { name: 'id', type: 'string', label: 'singular' },
      '2': { name: 'status', type: '.shop.v1.Status', label: 'singular' },
      '3': { name: 'lines', type: '.shop.v1.Order.Line', label: 'repeated' },
      '5': { name: 'labels', type: 'string', label: 'map', keyType: 'string' },
      '6': { name: 'note', type: 'string', label: 'optional' },
      '7': { name: 'card', type: 'string', label: 'singular', oneof: 'payment' },
      '8': { name: 'voucher', type: 'string', label: 'singular', oneof: 'payment' },
    });
    expect(published.services['.shop.v1.OrderService']?.methods['WatchOrders']).toEqual({ requestType: '.shop.v1.WatchOrdersRequest', responseType: '.shop.v1.Order', requestStream: false, responseStream: true });
  });
});
