import { Client, credentials, status, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { PROTO_FILES, PROTO_ROOT } from '@traceport/contracts';
import { testPlatform } from '@traceport/testing';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminMetadata } from '../support/gateway-client.js';
import { anyText, firstLine, serviceRestarts } from './arbitraries.js';
import { SERVICES, supervisedProcesses } from '../support/platform-processes.js';

let restartsBefore: Record<string, number>;
beforeAll(() => {
  restartsBefore = serviceRestarts(supervisedProcesses(), SERVICES);
});

// Property-based fuzzing of every public RPC on the gateway's gRPC port: messages generated from
// the .proto descriptors (every field of the right wire type, hostile contents, nested and repeated
// values), sent as the platform admin. The property: the answer is a response or a deliberate
// status (INVALID_ARGUMENT, NOT_FOUND, ...), never INTERNAL, UNKNOWN, DATA_LOSS, UNAVAILABLE (every service is up) or a deadline
// blown by a hang. FUZZ_RUNS (default 1,500 calls) and FUZZ_SEED reproduce or widen a run.

const platform = testPlatform();
const TOTAL_RUNS = Number(process.env['FUZZ_RUNS_GRPC'] ?? process.env['FUZZ_RUNS'] ?? 1_500);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
/** Internal RPCs the gateway does not serve (see test/e2e/grpc-reflection.e2e.ts). */
const INTERNAL = new Set(['traceport.v1.ScanService', 'traceport.v1.RecordDigestService']);
const FAILURES = new Set([status.INTERNAL, status.UNKNOWN, status.DATA_LOSS, status.UNIMPLEMENTED, status.DEADLINE_EXCEEDED, status.UNAVAILABLE]);

interface Rpc {
  path: string;
  requestType: protobuf.Type;
  serverStreaming: boolean;
}

let rpcs: Rpc[];
let client: Client;
const tally = { calls: 0, codes: new Map<string, number>() };

beforeAll(() => {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith(PROTO_ROOT) ? target : `${PROTO_ROOT}${target}`);
  root.loadSync(PROTO_FILES.map((file) => `${PROTO_ROOT}${file}`), { keepCase: false });
  root.resolveAll();
  const services = root.lookup('traceport.v1') as protobuf.Namespace;
  rpcs = services.nestedArray
    .filter((nested): nested is protobuf.Service => nested instanceof protobuf.Service && !INTERNAL.has(`traceport.v1.${nested.name}`))
    .flatMap((service) =>
      service.methodsArray.map((method) => ({
        path: `/traceport.v1.${service.name}/${method.name}`,
        requestType: method.resolvedRequestType!,
        serverStreaming: method.responseStream === true,
      })),
    );
  client = new Client(platform.gatewayGrpc, credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  const codes = [...tally.codes.entries()].map(([code, count]) => `${code}×${count}`).join(' ');
  console.info(`gRPC fuzz: ${tally.calls} calls over ${rpcs.length} RPCs; codes ${codes}`);
});

/** A message of `type`, every field generated for its wire type, sometimes absent. */
function messageArbitrary(type: protobuf.Type, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(type.fieldsArray.map((field) => [field.name, fieldArbitrary(field, depth)]));
  return fc.record(fields, { requiredKeys: [] });
}

function fieldArbitrary(field: protobuf.Field, depth: number): fc.Arbitrary<unknown> {
  const single = scalarArbitrary(field, depth);
  if (field.map) return fc.dictionary(anyText, single, { maxKeys: 3 });
  return field.repeated ? fc.array(single, { maxLength: 4 }) : single;
}

function scalarArbitrary(field: protobuf.Field, depth: number): fc.Arbitrary<unknown> {
  field.resolve();
  if (field.resolvedType instanceof protobuf.Type) return depth > 3 ? fc.constant({}) : messageArbitrary(field.resolvedType, depth + 1);
  if (field.resolvedType instanceof protobuf.Enum) return fc.constantFrom(...Object.values(field.resolvedType.values));
  switch (field.type) {
    case 'string':
      return anyText;
    case 'bool':
      return fc.boolean();
    case 'double':
    case 'float':
      return fc.oneof(fc.double(), fc.constantFrom(0, -1, 1e308, Number.NaN, Number.POSITIVE_INFINITY));
    case 'uint32':
    case 'fixed32':
      return fc.oneof(fc.nat(), fc.constantFrom(0, 1, 2 ** 32 - 1));
    case 'uint64':
    case 'fixed64':
      return fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 53 - 1));
    case 'bytes':
      return fc.uint8Array({ maxLength: 64 });
    default:
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31)));
  }
}

function callOnce(rpc: Rpc, message: Record<string, unknown>): Promise<number> {
  const serialize = (value: Record<string, unknown>) => Buffer.from(rpc.requestType.encode(rpc.requestType.fromObject(value)).finish());
  const deserialize = (bytes: Buffer) => bytes;
  const options = { deadline: Date.now() + 30_000 };
  const metadata: Metadata = adminMetadata();
  return new Promise((resolve) => {
    if (rpc.serverStreaming) {
      const stream = client.makeServerStreamRequest(rpc.path, serialize, deserialize, message, metadata, options);
      let received = 0;
      stream.on('data', () => {
        // A few batches show the stream works; the rest need not cross the wire.
        if (++received >= 3) stream.cancel();
      });
      stream.on('error', (error: ServiceError) => resolve(error.code === status.CANCELLED && received >= 3 ? status.OK : error.code));
      stream.on('end', () => resolve(status.OK));
      return;
    }
    client.makeUnaryRequest(rpc.path, serialize, deserialize, message, metadata, options, (error) => resolve(error === null ? status.OK : (error as ServiceError).code));
  });
}

describe('gRPC fuzz', () => {
  it(`answers generated messages to every public RPC with a response or a deliberate status, never INTERNAL or UNKNOWN`, async () => {
    const runsEach = Math.max(5, Math.ceil(TOTAL_RUNS / rpcs.length));
    // Every RPC is fuzzed even after one fails, so a run reports all of them at once.
    const failures: string[] = [];
    for (const rpc of rpcs) {
      await fc.assert(
        fc.asyncProperty(messageArbitrary(rpc.requestType), async (message) => {
          const code = await callOnce(rpc, message);
          tally.calls += 1;
          tally.codes.set(status[code] ?? String(code), (tally.codes.get(status[code] ?? String(code)) ?? 0) + 1);
          expect(FAILURES.has(code), `${rpc.path} answered ${status[code]} to ${JSON.stringify(message).slice(0, 500)}`).toBe(false);
        }),
        { numRuns: runsEach, seed: SEED, endOnFailure: true },
      ).catch((error: unknown) => failures.push(firstLine(error)));
    }
    expect(failures).toEqual([]);
    expect(tally.calls).toBeGreaterThanOrEqual(TOTAL_RUNS);
  }, 1_200_000);
});

describe('after the fuzzing', () => {
  it('no service crashed: the supervisor restarted none of them', () => {
    expect(serviceRestarts(supervisedProcesses(), SERVICES)).toEqual(restartsBefore);
  });
});
