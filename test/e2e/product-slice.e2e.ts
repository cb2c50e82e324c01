import { readFileSync } from 'node:fs';
import { status, type ServiceError } from '@grpc/grpc-js';
import { RegistryClient } from '@traceport/chain';
import { fromHex, leafHash, toHex, verifyInclusion } from '@traceport/ledger';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrand } from '../support/archive-fixtures.js';
import { healthClient, listServicesByReflection, traceportClients, unary } from '../support/grpc-clients.js';
import { gatewayFetch } from '../support/gateway-client.js';

// The first vertical slice, through the platform `./traceport test` started: a product registered
// at the gateway by REST and by gRPC is stored, published, appended to the log, anchored on the
// chain, and comes back with a proof that checks against the chain without trusting Traceport.

const platform = testPlatform();
const grpc = traceportClients(platform.gatewayGrpc);
let registry: RegistryClient;
let brandId: string;

interface ProofJson {
  leaf_index: number;
  tree_size: number;
  leaf_hash: string;
  inclusion_path: string[];
  root_hash: string;
  status: 'anchored' | 'provisional';
  anchor: { chain_id: number; contract: string; tx_hash: string; block_number: number } | null;
}

function productInput(gtin = randomGtin()) {
  return { gtin, name: 'Alpine Honey 500 g', brandId, category: 'honey', hsCode: '040900', originCountry: 'CH' };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return gatewayFetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** What any third party does with a proof: recompute the leaf, walk the path, read the root on chain. */
async function expectVerifiesAgainstChain(record: unknown, proof: ProofJson): Promise<void> {
  const leaf = leafHash(record);
  expect(toHex(leaf)).toBe(proof.leaf_hash);
  const verdict = verifyInclusion({
    leafIndex: proof.leaf_index,
    treeSize: proof.tree_size,
    leafHash: leaf,
    inclusionPath: proof.inclusion_path.map((hash) => fromHex(hash)),
    rootHash: fromHex(proof.root_hash),
  });
  expect(verdict).toEqual({ valid: true });
  expect(proof.anchor?.contract).toBe(platform.registryAddress.toLowerCase());
  expect(await registry.rootAt(proof.tree_size)).toBe(`0x${proof.root_hash}`);
}

beforeAll(async () => {
  registry = await RegistryClient.connect({ rpcUrl: platform.chainRpcUrl, contract: platform.registryAddress });
  brandId = (await createBrand()).brandId;
});

afterAll(() => {
  grpc.archive.close();
  grpc.ledger.close();
});

describe('product slice over REST', () => {
  it('registers a product and returns it with a proof that verifies against the chain', async () => {
    const input = productInput();
    const created = await post('/v1/products', input);
    expect(created.status).toBe(201);
    const body = (await created.json()) as { type: string; record: { id: string; gtin: string }; record_key: string };
    expect(body.type).toBe('archive.product');
    expect(body.record.gtin).toBe(input.gtin);
    expect(created.headers.get('location')).toBe(`/v1/products/${body.record.id}`);

    const anchored = await eventually('the product anchored', async () => {
      const response = await gatewayFetch(`/v1/products/${body.record.id}`);
      const found = (await response.json()) as { record: unknown; proof: ProofJson | null };
      return found.proof?.status === 'anchored' ? found : undefined;
    });
    expect(anchored.record).toEqual(body.record);
    await expectVerifiesAgainstChain(anchored.record, anchored.proof!);

    const bundle = (await (await gatewayFetch(`/v1/proofs?record_key=${encodeURIComponent(body.record_key)}`)).json()) as {
      record: unknown;
      proof: ProofJson;
    };
    expect(bundle.record).toEqual(body.record);
    await expectVerifiesAgainstChain(bundle.record, bundle.proof);
  });

  it('refuses an invalid product with problem+json naming each field, and stores nothing', async () => {
    const input = productInput();
    const response = await post('/v1/products', { ...input, gtin: `${input.gtin.slice(0, 13)}${(Number(input.gtin[13]) + 1) % 10}`, originCountry: 'france' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { type: string; status: number; errors: { field: string }[]; correlationId: string };
    expect(problem).toMatchObject({ type: '/problems/invalid-product', status: 400 });
    expect(problem.errors.map((error) => error.field).sort()).toEqual(['gtin', 'originCountry']);
    expect(problem.correlationId).toBe(response.headers.get('x-correlation-id'));
    // Nothing was half-written: the same product, corrected, is new.
    expect((await post('/v1/products', input)).status).toBe(201);
  });

  it('answers malformed JSON, a duplicate GTIN and an unknown id with the right problem types', async () => {
    const malformed = await post('/v1/products', '{"gtin": ');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { type: string }).type).toBe('/problems/malformed-json');

    const input = productInput();
    expect((await post('/v1/products', input)).status).toBe(201);
    const duplicate = await post('/v1/products', input);
    expect(duplicate.status).toBe(409);
    expect(((await duplicate.json()) as { type: string }).type).toBe('/problems/gtin-already-registered');

    const byGtin = (await (await gatewayFetch(`/v1/products/gtin/${input.gtin}`)).json()) as { record: { gtin: string } };
    expect(byGtin.record.gtin).toBe(input.gtin);

    const unknown = await gatewayFetch(`/v1/products/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { type: string }).type).toBe('/problems/product-not-found');
  });

  it('carries one correlation id from the HTTP request through gRPC and Kafka to the ledger', async () => {
    const correlationId = `e2e-${Date.now()}`;
    const response = await post('/v1/products', productInput(), { 'x-correlation-id': correlationId });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-correlation-id')).toBe(correlationId);
    await eventually('the ledger logging the correlation id', async () => {
      const ledgerLog = readFileSync(`${platform.logDir}/ledger-anchor.log`, 'utf8');
      const dataLog = readFileSync(`${platform.logDir}/data-service.log`, 'utf8');
      return dataLog.includes(`"correlationId":"${correlationId}"`) && ledgerLog.includes(`"correlationId":"${correlationId}"`) ? true : undefined;
    });
  });
});

describe('product slice over gRPC', () => {
  it('registers and reads a product with its anchored proof', async () => {
    const input = productInput();
    const created = await unary<{ product: { id: string; gtin: string }; recordKey: string }>(grpc.archive, 'RegisterProduct', input);
    expect(created.product.gtin).toBe(input.gtin);
    expect(created.recordKey).toBe(`archive.product/${created.product.id}/v1`);

    const byGtin = await unary<{ product: unknown }>(grpc.archive, 'GetProduct', { gtin: input.gtin });
    expect(byGtin.product).toEqual(created.product);
    const found = await eventually('the product anchored', async () => {
      const response = await unary<{ product: unknown; proof: { status: string } | null }>(grpc.archive, 'GetProduct', { id: created.product.id });
      return response.proof?.status === 'anchored' ? response : undefined;
    });
    expect(found.product).toEqual(created.product);

    const proof = await unary<{ recordJson: string; leafIndex: number; treeSize: number; leafHash: string; inclusionPath: string[]; rootHash: string; anchor: { contract: string; chainId: number } }>(
      grpc.ledger,
      'GetRecordProof',
      { recordKey: created.recordKey },
    );
    await expectVerifiesAgainstChain(JSON.parse(proof.recordJson), {
      leaf_index: proof.leafIndex,
      tree_size: proof.treeSize,
      leaf_hash: proof.leafHash,
      inclusion_path: proof.inclusionPath,
      root_hash: proof.rootHash,
      status: 'anchored',
      anchor: { chain_id: proof.anchor.chainId, contract: proof.anchor.contract, tx_hash: '', block_number: 0 },
    });
  });

  it('answers INVALID_ARGUMENT with the error code and field violations in metadata', async () => {
    const error = await unary(grpc.archive, 'RegisterProduct', { ...productInput(), gtin: '123' }).catch((e: ServiceError) => e);
    expect((error as ServiceError).code).toBe(status.INVALID_ARGUMENT);
    const metadata = (error as ServiceError).metadata;
    expect(metadata.get('traceport-error-code')).toEqual(['invalid-product']);
    const violations = JSON.parse(metadata.get('traceport-field-violations-bin')[0]!.toString()) as { field: string }[];
    expect(violations.map((violation) => violation.field)).toEqual(['gtin']);
  });

  it('answers ALREADY_EXISTS for a GTIN taken, and NOT_FOUND for an unknown record', async () => {
    const input = productInput();
    await unary(grpc.archive, 'RegisterProduct', input);
    const duplicate = await unary(grpc.archive, 'RegisterProduct', input).catch((e: ServiceError) => e);
    expect((duplicate as ServiceError).code).toBe(status.ALREADY_EXISTS);
    const missing = await unary(grpc.ledger, 'GetRecordProof', { recordKey: 'archive.product/none/v1' }).catch((e: ServiceError) => e);
    expect((missing as ServiceError).code).toBe(status.NOT_FOUND);
  });

  it('describes itself through server reflection', async () => {
    const services = await listServicesByReflection(platform.gatewayGrpc);
    expect(services).toEqual(expect.arrayContaining(['traceport.v1.ArchiveService', 'traceport.v1.LedgerService']));
  });

  it('reports SERVING through grpc.health.v1', async () => {
    const health = healthClient(platform.gatewayGrpc);
    const response = await unary<{ status: string }>(health, 'Check', { service: 'traceport.v1.ArchiveService' });
    expect(response.status).toBe('SERVING');
    health.close();
  });
});

describe('operability', () => {
  it('has created the platform topics on the broker, each with its dead-letter topic', async () => {
    const admin = new Kafka({ clientId: 'e2e', brokers: platform.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toEqual(expect.arrayContaining(['archive.record.versioned.v1', 'archive.record.versioned.v1.dlt']));
  });

  it('exports the log size, anchored size and anchoring lag from the ledger-anchor', async () => {
    const metrics = await eventually('an anchored head in the metrics', async () => {
      const text = await (await fetch(`${platform.ledgerUrl}/metrics`)).text();
      return /traceport_ledger_anchored_tree_size\{[^}]*\} [1-9]/.test(text) ? text : undefined;
    });
    expect(metrics).toMatch(/traceport_ledger_tree_size\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/traceport_ledger_anchoring_lag_seconds\{[^}]*\} [\d.]+/);
  });

  it('exports each service\'s database pool', async () => {
    const metrics = await (await fetch(`${platform.dataServiceUrl}/metrics`)).text();
    expect(metrics).toMatch(/traceport_db_pool_connections\{state="total",service="data-service"\} [1-9]/);
    expect(metrics).toMatch(/traceport_db_pool_connections\{state="waiting",service="data-service"\} \d+/);
  });

  it('serves /metrics on the gateway with request metrics', async () => {
    const metrics = await (await gatewayFetch(`/metrics`)).text();
    expect(metrics).toMatch(/traceport_request_duration_seconds_count\{.*service="interaction-gateway"/);
  });
});
