import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { credentials, loadPackageDefinition, Metadata, status, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { RegistryClient } from '@traceport/chain';
import { PROTO_FILES, PROTO_ROOT } from '@traceport/contracts';
import { newSerial, qrFriendlyUri } from '@traceport/identity';
import { fromHex, leafHash, toHex, verifyInclusion } from '@traceport/ledger';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import jsQR from 'jsqr';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveRecord, createBrand } from '../support/archive-fixtures.js';
import { adminMetadata, gatewayFetch } from '../support/gateway-client.js';

// Bulk issuance of item identities through the gateway: a job with progress, identities whose
// proof of issuance verifies offline against the issuance record anchored on chain, QR codes,
// label sheets streamed as PDF, and the refusals a client can get.

const platform = testPlatform();
const QUANTITY = 25_000;
const LOT_QUANTITY = 30_000;

interface IssuanceJson {
  id: string;
  lot_id: string;
  lot_number: string;
  gtin: string;
  expiry_date: string | null;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  total: number;
  issued: number;
  progress: number;
  identities_per_second: number;
  started_at: string | null;
  finished_at: string | null;
  serials_root: string | null;
  record_key: string | null;
  record: Record<string, unknown> | null;
  labels: string | null;
}

interface IdentityJson {
  gtin: string;
  serial: string;
  lot_id: string;
  lot_number: string;
  expiry_date: string | null;
  issuance_id: string;
  index: number;
  digital_link: string;
  issued_at: string;
  issuance_proof: { record_key: string; serials_root: string; leaf_index: number; tree_size: number; leaf_hash: string; inclusion_path: string[] };
}

interface Problem {
  type: string;
  status: number;
  detail: string;
}

/** The public IdentityService at the gateway, with a plain grpc-js client as an integrator would write it. */
function identityClient() {
  const definition = loadPackageDefinition(
    loadSync(
      PROTO_FILES.map((file) => `${PROTO_ROOT}${file}`),
      { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] },
    ),
  ) as unknown as { traceport: { v1: { IdentityService: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } } };
  return new definition.traceport.v1.IdentityService(platform.gatewayGrpc, credentials.createInsecure()) as Client & {
    streamIdentities(request: unknown, metadata: Metadata): ClientReadableStream<{ identities: { serial: string; index: number }[] }>;
    getIdentity(request: unknown, metadata: Metadata, callback: (error: ServiceError | null, response?: unknown) => void): void;
  };
}

/** Decodes the PNG with pngjs (what `qrcode` writes PNGs with) and reads its QR code with jsQR. */
function readQrPng(png: Buffer): string | undefined {
  const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } } };
  const image = PNG.sync.read(png);
  return jsQR.default(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

async function post(path: string, body: unknown) {
  return gatewayFetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function problemOf(response: Response, statusCode: number, type: string): Promise<Problem> {
  expect(response.status).toBe(statusCode);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as Problem;
  expect(problem.type).toBe(`/problems/${type}`);
  return problem;
}

let client: ReturnType<typeof identityClient>;
let registry: RegistryClient;
let gtin: string;
let lot: { id: string; lotNumber: string };
let issuance: IssuanceJson;
let serials: string[];

beforeAll(async () => {
  client = identityClient();
  registry = await RegistryClient.connect({ rpcUrl: platform.chainRpcUrl, contract: platform.registryAddress });
  const { brandId } = await createBrand();
  gtin = randomGtin();
  const product = await createArchiveRecord('products', { gtin, name: 'Manuka Honey UMF 10+ 250 g', brandId, category: 'honey', hsCode: '040900', originCountry: 'NZ' });
  const lotNumber = `MH${Date.now() % 1e8}`;
  const created = await createArchiveRecord('lots', { productId: product.id, lotNumber, quantity: LOT_QUANTITY, productionDate: '2026-03-01', expiryDate: '2029-02-28' });
  lot = { id: created.id, lotNumber };
});

afterAll(() => {
  client?.close();
});

describe('bulk issuance through the gateway', () => {
  it(`issues ${QUANTITY} identities for a lot as a job whose progress can be watched`, async () => {
    const response = await post(`/v1/lots/${lot.id}/identities`, { quantity: QUANTITY });
    expect(response.status).toBe(202);
    const queued = (await response.json()) as IssuanceJson;
    expect(response.headers.get('location')).toBe(`/v1/identity-issuances/${queued.id}`);
    expect(queued).toMatchObject({ lot_id: lot.id, lot_number: lot.lotNumber, gtin, expiry_date: '2029-02-28', total: QUANTITY, record: null });

    const seen: number[] = [];
    issuance = await eventually(
      'the issuance finished',
      async () => {
        const job = (await (await gatewayFetch(`${response.headers.get('location')}`)).json()) as IssuanceJson;
        seen.push(job.issued);
        expect(job.status).not.toBe('failed');
        return job.status === 'succeeded' ? job : undefined;
      },
      120_000,
    );
    // Progress only grows, and ends at the total.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(issuance).toMatchObject({ issued: QUANTITY, progress: 1, labels: `/v1/identity-issuances/${issuance.id}/labels.pdf`, record_key: `identity.issuance/${issuance.id}/v1` });
    expect(issuance.identities_per_second).toBeGreaterThan(0);
    expect(issuance.record).toMatchObject({ id: issuance.id, lotId: lot.id, gtin, lotNumber: lot.lotNumber, expiryDate: '2029-02-28', count: QUANTITY, serialsRoot: issuance.serials_root });

    const listed = (await (await gatewayFetch(`/v1/lots/${lot.id}/identity-issuances`)).json()) as { issuances: IssuanceJson[] };
    expect(listed.issuances.map((job) => job.id)).toEqual([issuance.id]);
  });

  it('streams the identities in index order over the public gRPC API', async () => {
    const stream = client.streamIdentities({ issuanceId: issuance.id, fromIndex: 0, limit: 0 }, adminMetadata());
    serials = [];
    for await (const batch of stream) {
      for (const identity of batch.identities) {
        expect(identity.index).toBe(serials.length);
        serials.push(identity.serial);
      }
    }
    expect(serials).toHaveLength(QUANTITY);
    expect(new Set(serials).size).toBe(QUANTITY);

    // The same over REST, a page at a time.
    type Page = { identities: IdentityJson[]; next_from_index: number | null };
    const first = (await (await gatewayFetch(`/v1/identity-issuances/${issuance.id}/identities?limit=2`)).json()) as Page;
    expect(first.identities.map((identity) => [identity.index, identity.serial])).toEqual([
      [0, serials[0]],
      [1, serials[1]],
    ]);
    expect(first.next_from_index).toBe(2);
    expect(first.identities[0]!.issuance_proof).toBeNull();
    const last = (await (await gatewayFetch(`/v1/identity-issuances/${issuance.id}/identities?from_index=${QUANTITY - 10}&limit=20`)).json()) as Page;
    expect(last.identities.map((identity) => identity.serial)).toEqual(serials.slice(-10));
    expect(last.next_from_index).toBeNull();
    await problemOf(await gatewayFetch(`/v1/identity-issuances/${issuance.id}/identities?limit=1001`), 400, 'invalid-query');
    await problemOf(await gatewayFetch(`/v1/identity-issuances/${issuance.id}/identities?from_index=${QUANTITY}`), 400, 'invalid-index');
  });

  it('answers an identity with a proof of issuance that verifies offline, under a record anchored on chain', async () => {
    for (const index of [0, 12_345, QUANTITY - 1]) {
      const serial = serials[index]!;
      const response = await gatewayFetch(`/v1/identities/${gtin}/${serial}`);
      expect(response.status).toBe(200);
      const identity = (await response.json()) as IdentityJson;
      expect(identity).toMatchObject({ gtin, serial, lot_id: lot.id, lot_number: lot.lotNumber, expiry_date: '2029-02-28', issuance_id: issuance.id, index });
      expect(identity.digital_link).toBe(`${platform.gatewayUrl}/01/${gtin}/10/${lot.lotNumber}/21/${serial}?17=290228`);

      // Offline: the leaf is recomputed from the code alone, the root is the anchored record's.
      const proof = identity.issuance_proof;
      const leaf = leafHash({ gtin, serial });
      expect(proof).toMatchObject({ record_key: issuance.record_key, serials_root: issuance.serials_root, leaf_index: index, tree_size: QUANTITY, leaf_hash: toHex(leaf) });
      const verdict = verifyInclusion({ leafIndex: index, treeSize: QUANTITY, leafHash: leaf, inclusionPath: proof.inclusion_path.map((hash) => fromHex(hash)), rootHash: fromHex(proof.serials_root) });
      expect(verdict).toEqual({ valid: true });
    }

    // The issuance record itself is in the ledger, its head anchored on the chain.
    const bundle = await eventually(
      'the issuance record anchored',
      async () => {
        const response = await gatewayFetch(`/v1/proofs?record_key=${encodeURIComponent(issuance.record_key!)}`);
        if (response.status !== 200) return undefined;
        const body = (await response.json()) as { type: string; record: Record<string, unknown>; proof: { leaf_index: number; tree_size: number; leaf_hash: string; inclusion_path: string[]; root_hash: string; anchor: unknown } };
        return body.proof.anchor !== null ? body : undefined;
      },
      90_000,
    );
    expect(bundle.type).toBe('identity.issuance');
    expect(bundle.record).toEqual(issuance.record);
    expect(bundle.record['serialsRoot']).toBe(issuance.serials_root);
    const recordLeaf = leafHash(bundle.record);
    expect(toHex(recordLeaf)).toBe(bundle.proof.leaf_hash);
    expect(
      verifyInclusion({
        leafIndex: bundle.proof.leaf_index,
        treeSize: bundle.proof.tree_size,
        leafHash: recordLeaf,
        inclusionPath: bundle.proof.inclusion_path.map((hash) => fromHex(hash)),
        rootHash: fromHex(bundle.proof.root_hash),
      }),
    ).toEqual({ valid: true });
    expect(await registry.rootAt(bundle.proof.tree_size)).toBe(`0x${bundle.proof.root_hash}`);
  });

  it('draws the QR code of an identity as SVG and PNG, carrying its Digital Link', async () => {
    const serial = serials[7]!;
    const link = `${platform.gatewayUrl}/01/${gtin}/10/${lot.lotNumber}/21/${serial}?17=290228`;
    const svg = await gatewayFetch(`/v1/identities/${gtin}/${serial}/qr.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);

    const png = await gatewayFetch(`/v1/identities/${gtin}/${serial}/qr.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(readQrPng(bytes)).toBe(qrFriendlyUri(link));
  });

  it('streams the label sheet of the whole issuance as one PDF, a page per 24 labels', async () => {
    const response = await gatewayFetch(`${issuance.labels!}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="?labels-${issuance.id}\\.pdf"?$`));
    const started = Date.now();
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
    expect(pageCount(pdf)).toBe(Math.ceil(QUANTITY / 24));
    console.log(`labels.pdf: ${QUANTITY} labels, ${(pdf.length / 1e6).toFixed(1)} MB in ${Date.now() - started} ms`);

    const part = await gatewayFetch(`${issuance.labels!}?from_index=24000&limit=49`);
    expect(pageCount(Buffer.from(await part.arrayBuffer()))).toBe(3);
  });
});

describe('what the gateway refuses', () => {
  it('has no identity, no proof and no QR code for a fabricated serial (404 problem+json), over REST and gRPC', async () => {
    const fabricated = newSerial();
    const problem = await problemOf(await gatewayFetch(`/v1/identities/${gtin}/${fabricated}`), 404, 'identity-not-found');
    expect(problem.detail).toContain(fabricated);
    await problemOf(await gatewayFetch(`/v1/identities/${gtin}/${fabricated}/qr.png`), 404, 'identity-not-found');
    const error = await new Promise<ServiceError | null>((resolve) => client.getIdentity({ gtin, serial: fabricated }, adminMetadata(), (failure) => resolve(failure)));
    expect(error?.code).toBe(status.NOT_FOUND);
    await problemOf(await gatewayFetch(`/v1/identity-issuances/${crypto.randomUUID()}/labels.pdf`), 404, 'issuance-not-found');
    await problemOf(await gatewayFetch(`/v1/identity-issuances/${crypto.randomUUID()}`), 404, 'issuance-not-found');
  });

  it('refuses a bad quantity with 400 and an unknown lot with 404', async () => {
    for (const body of [{ quantity: 0 }, { quantity: 5_000_001 }, { quantity: 2.5 }, { quantity: '10' }, {}, { quantity: 10, lot: 'x' }, '[1]']) {
      const problem = await problemOf(await post(`/v1/lots/${lot.id}/identities`, body), 400, 'invalid-body');
      expect(problem.detail).toMatch(/quantity|not a field|JSON object/);
    }
    await problemOf(await post(`/v1/lots/${crypto.randomUUID()}/identities`, { quantity: 1 }), 404, 'lot-not-found');
  });

  it('refuses to issue more identities than the lot has units (409), saying how many are left', async () => {
    const problem = await problemOf(await post(`/v1/lots/${lot.id}/identities`, { quantity: LOT_QUANTITY - QUANTITY + 1 }), 409, 'over-issuance');
    expect(problem.detail).toContain(`declares ${LOT_QUANTITY} units and ${QUANTITY} identities are issued or being issued`);
    expect(problem.detail).toContain(`at most ${LOT_QUANTITY - QUANTITY} more`);
  });
});

describe('a crash in the middle of a job', () => {
  it('loses nothing: after kill -9 of the data-service, the job resumes where it stopped and every identity is issued once', async () => {
    const { brandId } = await createBrand();
    const crashGtin = randomGtin();
    const product = await createArchiveRecord('products', { gtin: crashGtin, name: 'Infant formula 800 g', brandId, category: 'infant-formula', hsCode: '190110', originCountry: 'NL' });
    const total = 300_000;
    const crashLot = await createArchiveRecord('lots', { productId: product.id, lotNumber: `IF${Date.now() % 1e8}`, quantity: total, productionDate: '2026-03-01', expiryDate: '2028-03-01' });
    const response = await post(`/v1/lots/${crashLot.id}/identities`, { quantity: total });
    expect(response.status).toBe(202);
    const location = response.headers.get('location')!;
    const job = async () => (await (await gatewayFetch(location)).json()) as IssuanceJson;

    const partly = await eventually('some chunks committed', async () => {
      const current = await job();
      return current.issued >= 32_768 ? current : undefined;
    });
    const state = JSON.parse(readFileSync(`${platform.root}/.run/${process.env['TRACEPORT_PROFILE'] ?? 'test'}/state.json`, 'utf8')) as { processes: Record<string, { pid: number | null }> };
    process.kill(state.processes['data-service']!.pid!, 'SIGKILL');
    expect(partly.status).toBe('running');

    // The supervisor restarts the service; its runner takes the job up at the first index not stored.
    const done = await eventually(
      'the job finished after the restart',
      async () => {
        const current = await job();
        return current.status === 'succeeded' ? current : undefined;
      },
      180_000,
    );
    expect(done.issued).toBe(total);
    const database = new pg.Client({ connectionString: platform.databaseUrl });
    await database.connect();
    try {
      const { rows } = await database.query<{ count: number; indices: number; last: number }>(
        `SELECT count(*)::int AS count, count(DISTINCT "index")::int AS indices, max("index") AS last FROM data_service.identities WHERE "issuance_id" = $1`,
        [done.id],
      );
      expect(rows[0]).toEqual({ count: total, indices: total, last: total - 1 });
    } finally {
      await database.end();
    }
    // An identity issued after the restart proves against the root of all of them.
    const stream = client.streamIdentities({ issuanceId: done.id, fromIndex: total - 5, limit: 1 }, adminMetadata());
    const [batch] = await stream.toArray() as { identities: { serial: string; index: number }[] }[];
    const identity = (await (await gatewayFetch(`/v1/identities/${crashGtin}/${batch!.identities[0]!.serial}`)).json()) as IdentityJson;
    const verdict = verifyInclusion({
      leafIndex: total - 5,
      treeSize: total,
      leafHash: leafHash({ gtin: crashGtin, serial: identity.serial }),
      inclusionPath: identity.issuance_proof.inclusion_path.map((hash) => fromHex(hash)),
      rootHash: fromHex(done.serials_root!),
    });
    expect(verdict).toEqual({ valid: true });
  }, 240_000);
});
