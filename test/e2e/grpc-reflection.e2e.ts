import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { credentials, loadPackageDefinition, Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { PROTO_ROOT } from '@traceport/contracts';
import { testPlatform } from '@traceport/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminMetadata } from '../support/gateway-client.js';
import { healthClient, unary } from '../support/grpc-clients.js';
import { fileDescriptorSet, ReflectionSession } from '../support/grpc-reflection.js';

// A generic gRPC client, as grpcurl is one: it knows nothing of Traceport's .proto files. It asks
// the gateway's server reflection which services there are and for their descriptors, builds its
// stubs from those, and calls one read-only RPC of each service over a real connection.

const platform = testPlatform();

/** The services the package declares that the gateway must not serve: internal RPCs, with why. */
const INTERNAL_SERVICES: Readonly<Record<string, string>> = {
  'traceport.v1.ScanService': 'the data-service records scans for the resolver; a public RecordScan would let anyone forge scan history',
  'traceport.v1.RecordDigestService': "the store audit's digest streams between the services; the audit itself is POST /v1/ledger/audit/stores",
};

type ServiceConstructor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client;
type UnaryStub = (request: unknown, metadata: Metadata, options: { deadline: number }, callback: (error: ServiceError | null, response?: unknown) => void) => void;

/** Stubs of the named services, built only from what reflection told. */
function stubsOf(definition: PackageDefinition, names: readonly string[], address: string): Map<string, Client & Record<string, UnaryStub>> {
  const grpcObject = loadPackageDefinition(definition);
  return new Map(
    names.map((name) => {
      const constructor = name.split('.').reduce<unknown>((scope, part) => (scope as Record<string, unknown>)[part], grpcObject) as ServiceConstructor;
      return [name, new constructor(address, credentials.createInsecure()) as Client & Record<string, UnaryStub>];
    }),
  );
}

function call<T>(stub: Record<string, UnaryStub>, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    stub[method]!(request, adminMetadata(), { deadline: Date.now() + 15_000 }, (error, response) => (error ? reject(error) : resolve(response as T)));
  });
}

type StreamStub = (request: unknown, metadata: Metadata, options: { deadline: number }) => NodeJS.EventEmitter;

/** The status a server-streaming call ends with; a stream that ends without one is a failure of the test. */
function streamFailureOf(stub: Record<string, StreamStub>, method: string): Promise<ServiceError> {
  return new Promise((resolve, reject) => {
    const stream = stub[method]!({}, adminMetadata(), { deadline: Date.now() + 15_000 });
    stream.on('data', () => undefined);
    stream.on('error', (error: ServiceError) => resolve(error));
    stream.on('end', () => reject(new Error(`${method} answered instead of failing`)));
  });
}

async function failureOf(promise: Promise<unknown>): Promise<ServiceError> {
  const outcome = await promise.then(
    (response) => ({ response }),
    (error: ServiceError) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a gRPC error, got ${JSON.stringify(outcome.response)}`);
  return outcome.error;
}

/** Every .proto file of libs/contracts/proto (package traceport.v1). */
function protoFiles(): string[] {
  return readdirSync(`${PROTO_ROOT}traceport/v1/`)
    .filter((file) => file.endsWith('.proto'))
    .map((file) => `traceport/v1/${file}`);
}

/** The services declared in libs/contracts/proto, read from the .proto files themselves. */
function declaredServices(): string[] {
  const definition = loadSync(protoFiles(), { includeDirs: [PROTO_ROOT] });
  return Object.entries(definition)
    .filter(([, value]) => !('format' in value))
    .map(([name]) => name)
    .sort();
}

const reflection = new ReflectionSession(platform.gatewayGrpc);
let listed: string[] = [];
let reflected: PackageDefinition = {};
let stubs = new Map<string, Client & Record<string, UnaryStub>>();

beforeAll(async () => {
  listed = await reflection.listServices();
  const traceportServices = listed.filter((name) => name.startsWith('traceport.'));
  const files = await reflection.descriptorsOf(traceportServices);
  reflected = loadFileDescriptorSetFromBuffer(fileDescriptorSet(files.values()), { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
  stubs = stubsOf(reflected, traceportServices, platform.gatewayGrpc);
});

afterAll(() => {
  reflection.close();
  for (const stub of stubs.values()) stub.close();
});

const stub = (service: string) => {
  const found = stubs.get(`traceport.v1.${service}`);
  if (found === undefined) throw new Error(`reflection did not list traceport.v1.${service}`);
  return found;
};

describe("the gateway's gRPC server reflection", () => {
  it('lists exactly the services declared in libs/contracts/proto', () => {
    expect(listed).toEqual(declaredServices());
  });

  it('describes every RPC as the .proto files declare it, so that a client can be built from reflection alone', () => {
    const local = loadSync(protoFiles(), { includeDirs: [PROTO_ROOT] });
    const shape = (definition: PackageDefinition, service: string) =>
      Object.entries(definition[service] as Record<string, { path: string; requestStream: boolean; responseStream: boolean; requestType: { type: { name: string } }; responseType: { type: { name: string } } }>).map(
        ([method, rpc]) => ({ method, path: rpc.path, requestStream: rpc.requestStream, responseStream: rpc.responseStream, request: rpc.requestType.type.name, response: rpc.responseType.type.name }),
      );
    for (const service of declaredServices()) expect(shape(reflected, service), service).toEqual(shape(local, service));
  });
});

// One read-only call per service, through the stubs reflection built.
describe('one call per service over a real connection', () => {
  it('traceport.v1.ArchiveService SearchRecords answers a page', async () => {
    const page = await call<{ records: unknown[]; nextPageToken: string }>(stub('ArchiveService'), 'SearchRecords', { recordType: 'archive.merchant', query: 'no merchant is called this', pageSize: 1 });
    expect(page.records).toEqual([]);
    expect(page.nextPageToken).toBe('');
  });

  it('traceport.v1.StatisticsService GetStatistics answers groups, and INVALID_ARGUMENT for an unknown dimension', async () => {
    const report = await call<{ groups: unknown[] }>(stub('StatisticsService'), 'GetStatistics', { dimension: 'factory' });
    expect(Array.isArray(report.groups)).toBe(true);
    expect((await failureOf(call(stub('StatisticsService'), 'GetStatistics', { dimension: 'planet' }))).code).toBe(status.INVALID_ARGUMENT);
  });

  it('traceport.v1.LedgerService GetRecordProof answers NOT_FOUND for an unknown record', async () => {
    const error = await failureOf(call(stub('LedgerService'), 'GetRecordProof', { recordKey: `archive.merchant/${randomUUID()}/v1` }));
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('traceport.v1.TraceService QueryEvents answers events', async () => {
    const page = await call<{ events: unknown[] }>(stub('TraceService'), 'QueryEvents', { parameters: [{ name: 'MATCH_anyEPC', value: `https://id.gs1.org/01/09506000000000/21/${randomUUID()}` }] });
    expect(page.events).toEqual([]);
  });

  it('traceport.v1.TraceGraphService TraceForward answers NOT_FOUND for an unknown factory', async () => {
    const error = await failureOf(call(stub('TraceGraphService'), 'TraceForward', { factoryId: randomUUID() }));
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('traceport.v1.IdentityService GetIssuance answers NOT_FOUND for an unknown issuance', async () => {
    const error = await failureOf(call(stub('IdentityService'), 'GetIssuance', { id: randomUUID() }));
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('traceport.v1.SamplingService GetPlan answers the ISO 2859-1 plan', async () => {
    const plan = await call<Record<string, unknown>>(stub('SamplingService'), 'GetPlan', { lotSize: 2000, level: 'II', aql: 1.0, severity: 'normal' });
    expect(plan).toMatchObject({ codeLetter: 'K', sampleSize: 125, ac: 3, re: 4 });
  });

  it('traceport.v1.RuleSetService ListRuleSets answers the versions', async () => {
    const list = await call<{ versions: { version: number; status: string }[] }>(stub('RuleSetService'), 'ListRuleSets', {});
    expect(Array.isArray(list.versions)).toBe(true);
    for (const version of list.versions) expect(version.version).toBeGreaterThan(0);
  });

  it('traceport.v1.WhitelistService ListEntries answers the entries', async () => {
    const list = await call<{ entries: unknown[] }>(stub('WhitelistService'), 'ListEntries', { subjectType: 'factory', subjectId: randomUUID(), includeInactive: true });
    expect(list.entries).toEqual([]);
  });

  it('traceport.v1.InspectionService GetOrder answers NOT_FOUND for an unknown order', async () => {
    const error = await failureOf(call(stub('InspectionService'), 'GetOrder', { id: randomUUID() }));
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('traceport.v1.ProductControlService GetRecall answers NOT_FOUND for an unknown recall', async () => {
    const error = await failureOf(call(stub('ProductControlService'), 'GetRecall', { id: randomUUID() }));
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it('traceport.v1.EpcisSubscriptionService GetQuery answers NOT_FOUND for an unknown named query', async () => {
    const error = await failureOf(call(stub('EpcisSubscriptionService'), 'GetQuery', { name: `no-such-query-${randomUUID()}` }));
    expect(error.code).toBe(status.NOT_FOUND);
  });

  it.each(Object.entries(INTERNAL_SERVICES))('%s is described but not served: UNIMPLEMENTED (%s)', async (service) => {
    const methods = Object.keys(Object.getPrototypeOf(stubs.get(service)!) as object);
    const method = methods.find((name) => /^Get/.test(name)) ?? methods[0]!;
    const stub = stubs.get(service)!;
    const streaming = (stub.constructor as unknown as { service: Record<string, { responseStream: boolean }> }).service[method]?.responseStream === true;
    const error = streaming ? await streamFailureOf(stub as unknown as Record<string, StreamStub>, method) : await failureOf(call(stub, method, {}));
    expect(error.code).toBe(status.UNIMPLEMENTED);
  });

  it('calls every declared public service above', () => {
    const called = ['ArchiveService', 'StatisticsService', 'LedgerService', 'TraceService', 'TraceGraphService', 'IdentityService', 'SamplingService', 'RuleSetService', 'WhitelistService', 'InspectionService', 'ProductControlService', 'EpcisSubscriptionService'].map((name) => `traceport.v1.${name}`);
    expect([...called, ...Object.keys(INTERNAL_SERVICES)].sort()).toEqual(declaredServices());
  });

  it('grpc.health.v1 Check reports every public service SERVING', async () => {
    const health = healthClient(platform.gatewayGrpc);
    try {
      for (const service of declaredServices().filter((name) => INTERNAL_SERVICES[name] === undefined)) {
        expect(await unary<{ status: string }>(health, 'Check', { service }), service).toEqual({ status: 'SERVING' });
      }
      expect(await unary<{ status: string }>(health, 'Check', { service: '' })).toEqual({ status: 'SERVING' });
    } finally {
      health.close();
    }
  });
});
