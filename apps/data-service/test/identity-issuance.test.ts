import 'reflect-metadata';
import { RecordTypes, SERIALS_ROOT_ALGORITHM, type IssuanceMessage } from '@traceport/contracts';
import { openServiceDataSource } from '@traceport/database';
import { DomainException } from '@traceport/errors';
import { isWellFormedSerial, newSerials, parseDigitalLink } from '@traceport/identity';
import { fromHex, inclusionProof, rootHash, toHex, verifyInclusion } from '@traceport/ledger';
import { MESSAGING_ENTITIES, OutboxRelay } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import { freshDatabase, randomGtin, testPlatform } from '@traceport/testing';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kindOfType } from '../src/archive/archive-kinds.js';
import { ArchiveMetrics } from '../src/archive/archive.metrics.js';
import { ArchiveService } from '../src/archive/archive.service.js';
import { DATA_SERVICE_SCHEMA } from '../src/config.js';
import { DATA_SERVICE_MIGRATIONS } from '../src/database/migrations/index.js';
import { IdentityIssuanceService, type IssuanceOptions } from '../src/identity/identity-issuance.service.js';
import { IdentityMetrics } from '../src/identity/identity.metrics.js';
import { IdentityService, STREAM_PAGE } from '../src/identity/identity.service.js';
import { BLOCK_SIZE, serialLeafHash } from '../src/identity/serial-tree.js';

// Bulk issuance against the real PostgreSQL: chunks committed with their progress, a job resumed
// after a chunk died half-way, serials unique per GTIN even when the draw collides, and proofs of
// issuance that verify for any position of trees of any size.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataSource: DataSource;
let relay: OutboxRelay;
let archive: ArchiveService;
let identities: IdentityService;
const metrics = new Metrics('data-service');
const identityMetrics = new IdentityMetrics(metrics);
const CHUNK = 2 * BLOCK_SIZE;

beforeAll(async () => {
  database = await freshDatabase('traceport_it_identity');
  dataSource = await openServiceDataSource({
    url: database.url,
    schema: DATA_SERVICE_SCHEMA,
    applicationName: 'identity-it',
    entities: [...MESSAGING_ENTITIES],
    migrations: DATA_SERVICE_MIGRATIONS,
    poolMax: 8,
  });
  // The relay is real but not started: these tests read the outbox rows it would publish.
  const kafka = new Kafka({ clientId: 'identity-it', brokers: testPlatform().kafkaBrokers, logLevel: logLevel.NOTHING });
  relay = new OutboxRelay(dataSource, kafka.producer(), { schema: DATA_SERVICE_SCHEMA, logger: pino({ level: 'silent' }) });
  archive = new ArchiveService(dataSource, relay, new ArchiveMetrics(metrics));
  identities = new IdentityService(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

/** A job runner as a (re)started service has it: not bootstrapped, driven step by step. */
function issuer(options: Partial<IssuanceOptions> = {}): IdentityIssuanceService {
  return new IdentityIssuanceService(dataSource, relay, identityMetrics, { chunkSize: CHUNK, newSerials, ...options });
}

async function runToEnd(service: IdentityIssuanceService): Promise<number> {
  let steps = 0;
  while (await service.work()) steps += 1;
  return steps;
}

const kind = (type: string) => kindOfType(type)!;

/** A new product and a lot of it (quantity, expiry) in the archive. */
async function lotOf(quantity: number): Promise<{ lotId: string; gtin: string; lotNumber: string }> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const merchant = await archive.create(kind(RecordTypes.merchant), { legalName: `Importer ${suffix}`, country: 'CN', registrationNumber: `REG${suffix}` });
  const brand = await archive.create(kind(RecordTypes.brand), { name: `Brand ${suffix}`, ownerMerchantId: merchant.record.id });
  const gtin = randomGtin();
  const product = await archive.create(kind(RecordTypes.product), { gtin, name: 'Manuka honey', brandId: brand.record.id, category: 'honey', hsCode: '040900', originCountry: 'NZ' });
  const lotNumber = `L${suffix}`;
  const lot = await archive.create(kind(RecordTypes.lot), { productId: product.record.id, lotNumber, quantity, productionDate: '2026-01-10', expiryDate: '2028-01-31' });
  return { lotId: lot.record.id, gtin, lotNumber };
}

async function issued(issuanceId: string): Promise<{ serial: string; index: number }[]> {
  return dataSource.query(`SELECT "serial", "index" FROM data_service.identities WHERE "issuance_id" = $1 ORDER BY "index"`, [issuanceId]);
}

async function rejection(promise: Promise<unknown>): Promise<DomainException> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainException);
  return error as DomainException;
}

/** Issues `quantity` identities for a new lot and runs the job to the end. */
async function issueAll(quantity: number, options: Partial<IssuanceOptions> = {}) {
  const lot = await lotOf(Math.max(quantity, 10));
  const service = issuer(options);
  const job = await service.start(lot.lotId, quantity);
  await runToEnd(service);
  return { lot, job: await service.get(job.id) };
}

describe('bulk issuance', () => {
  it('issues in chunks, each committed with the progress, then records the issuance through the outbox', async () => {
    const lot = await lotOf(10_000);
    const service = issuer();
    const job = await service.start(lot.lotId, 5_000);
    expect(job).toMatchObject({ status: 'queued', total: 5_000, issued: 0, lotId: lot.lotId, gtin: lot.gtin, lotNumber: lot.lotNumber, expiryDate: '2028-01-31', recordKey: '' });

    const progress: Pick<IssuanceMessage, 'status' | 'issued'>[] = [];
    while (await service.work()) {
      const { status, issued: count } = await service.get(job.id);
      progress.push({ status, issued: count });
    }
    expect(progress).toEqual([
      { status: 'running', issued: 2_048 },
      { status: 'running', issued: 4_096 },
      { status: 'running', issued: 5_000 },
      { status: 'succeeded', issued: 5_000 },
    ]);

    const rows = await issued(job.id);
    expect(rows.map((row) => row.index)).toEqual(Array.from({ length: 5_000 }, (_, index) => index));
    expect(rows.every((row) => isWellFormedSerial(row.serial))).toBe(true);
    const expectedRoot = toHex(rootHash(rows.map((row) => serialLeafHash(lot.gtin, row.serial))));

    const done = await service.get(job.id);
    expect(done).toMatchObject({ status: 'succeeded', issued: 5_000, serialsRoot: expectedRoot, recordKey: `identity.issuance/${job.id}/v1` });
    expect(done.identitiesPerSecond).toBeGreaterThan(0);
    expect(done.finishedAt >= done.startedAt).toBe(true);
    const record = JSON.parse(done.recordJson) as Record<string, unknown>;
    expect(record).toEqual({
      id: job.id,
      lotId: lot.lotId,
      lotVersion: 1,
      gtin: lot.gtin,
      lotNumber: lot.lotNumber,
      expiryDate: '2028-01-31',
      count: 5_000,
      serialsRoot: expectedRoot,
      algorithm: SERIALS_ROOT_ALGORITHM,
      issuedAt: done.finishedAt,
    });

    // Binary content mode: the message value is the event's data, its type a ce_type header.
    const outbox: { message_key: string; value: string; headers: Record<string, string> }[] = await dataSource.query(
      `SELECT "message_key", "value", "headers" FROM data_service.outbox WHERE "topic" = 'identity.issuance.recorded.v1' AND "value"::jsonb->>'recordKey' = $1`,
      [done.recordKey],
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.message_key).toBe(lot.lotId);
    expect(outbox[0]!.headers['ce_type']).toBe('io.traceport.identity.issuance.recorded.v1');
    const data = JSON.parse(outbox[0]!.value) as { recordType: string; record: unknown };
    expect(data.recordType).toBe('identity.issuance');
    expect(data.record).toEqual(record);

    // About two stored nodes per block of 1,024 leaves, not one per identity.
    const [{ nodes }] = (await dataSource.query(`SELECT count(*)::int AS nodes FROM data_service.identity_serial_nodes WHERE "issuance_id" = $1`, [job.id])) as [{ nodes: number }];
    expect(nodes).toBeLessThan(20);
  });

  it('resumes an interrupted job where it stopped: a chunk that died half-way left nothing behind', async () => {
    const lot = await lotOf(6_000);
    const first = issuer();
    const job = await first.start(lot.lotId, 6_000);
    expect(await first.work()).toBe(true);
    expect((await first.get(job.id)).issued).toBe(2_048);

    // The second chunk dies after its identities were inserted, before the tree and the progress were.
    await dataSource.query(`
      CREATE FUNCTION data_service.crash_chunk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$;
      CREATE TRIGGER crash_chunk BEFORE INSERT ON data_service.identity_serial_nodes FOR EACH STATEMENT EXECUTE FUNCTION data_service.crash_chunk();`);
    await expect(first.work()).rejects.toThrow(/simulated crash/);
    await dataSource.query(`DROP TRIGGER crash_chunk ON data_service.identity_serial_nodes; DROP FUNCTION data_service.crash_chunk();`);
    expect(await first.get(job.id)).toMatchObject({ status: 'running', issued: 2_048 });
    expect(await issued(job.id)).toHaveLength(2_048);
    const before = (await issued(job.id)).map((row) => row.serial);

    // A restarted service (a new runner) continues at index 2,048 and finishes.
    const restarted = issuer();
    expect(await runToEnd(restarted)).toBe(3);
    const rows = await issued(job.id);
    expect(rows.map((row) => row.index)).toEqual(Array.from({ length: 6_000 }, (_, index) => index));
    expect(rows.slice(0, 2_048).map((row) => row.serial)).toEqual(before);
    const done = await restarted.get(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.serialsRoot).toBe(toHex(rootHash(rows.map((row) => serialLeafHash(lot.gtin, row.serial)))));
  });

  it('keeps serials unique per GTIN: a drawn serial already issued, or drawn twice, is drawn again', async () => {
    const { lot, job: earlier } = await issueAll(1_500);
    const taken = (await issued(earlier.id)).map((row) => row.serial);
    // The database refuses the same (GTIN, serial) twice, whatever the issuance.
    await expect(
      dataSource.query(`INSERT INTO data_service.identities ("gtin", "serial", "issuance_id", "index") VALUES ($1, $2, $3, 99999)`, [lot.gtin, taken[0], earlier.id]),
    ).rejects.toThrow(/duplicate key/);

    // A second lot of the same product: its first draw repeats 3 serials of the first lot and one of its own.
    const [product] = (await dataSource.query(
      `SELECT "record"->>'productId' AS "productId" FROM data_service.archive_records WHERE "id" = $1`,
      [lot.lotId],
    )) as [{ productId: string }];
    const secondLot = await archive.create(kind(RecordTypes.lot), { productId: product.productId, lotNumber: `B${Date.now() % 1e8}`, quantity: 3_000, productionDate: '2026-02-01', expiryDate: '2028-02-28' });
    let draws = 0;
    const colliding = (count: number) => {
      draws += 1;
      const fresh = newSerials(count);
      if (draws === 1) {
        fresh[0] = taken[0]!;
        fresh[1] = taken[700]!;
        fresh[2_047] = taken[1_499]!;
        fresh[5] = fresh[4]!;
      }
      return fresh;
    };
    const service = issuer({ newSerials: colliding });
    const job = await service.start(secondLot.record.id, 3_000);
    await runToEnd(service);
    const rows = await issued(job.id);
    expect(rows).toHaveLength(3_000);
    expect(new Set([...rows.map((row) => row.serial), ...taken]).size).toBe(4_500);
    const done = await service.get(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.serialsRoot).toBe(toHex(rootHash(rows.map((row) => serialLeafHash(lot.gtin, row.serial)))));
    // The colliding positions got new serials; the rest of the first draw was kept.
    expect(draws).toBeGreaterThanOrEqual(3);
  });

  it('refuses a bad quantity, an unknown lot, and more identities than the lot has units', async () => {
    const lot = await lotOf(1_000);
    const service = issuer();
    for (const quantity of [0, -1, 1.5, 5_000_001, Number.NaN]) {
      expect((await rejection(service.start(lot.lotId, quantity))).code).toBe('invalid-quantity');
    }
    expect((await rejection(service.start(crypto.randomUUID(), 10))).kind).toBe('not_found');
    expect((await rejection(service.start('not-a-uuid', 10))).code).toBe('lot-not-found');

    // Two concurrent requests for 600 of 1,000 units: exactly one is accepted.
    const outcomes = await Promise.allSettled([service.start(lot.lotId, 600), service.start(lot.lotId, 600)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected')!.reason as DomainException;
    expect(refused.code).toBe('over-issuance');
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toMatch(/declares 1000 units and 600 identities are issued or being issued for it, so at most 400 more can be issued, not 600/);
    await service.start(lot.lotId, 400);
    expect((await rejection(service.start(lot.lotId, 1))).message).toMatch(/no more can be issued/);
    await runToEnd(service);
    expect((await service.listForLot(lot.lotId)).map((job) => [job.total, job.status])).toEqual([
      [600, 'succeeded'],
      [400, 'succeeded'],
    ]);
    expect((await rejection(service.listForLot(crypto.randomUUID()))).code).toBe('lot-not-found');
    expect((await rejection(service.get(crypto.randomUUID()))).code).toBe('issuance-not-found');
  });

  it('does not count a failed issuance against the lot', async () => {
    const lot = await lotOf(100);
    const service = issuer();
    const job = await service.start(lot.lotId, 100);
    await dataSource.query(`UPDATE data_service.identity_issuances SET "status" = 'failed', "failure" = 'test' WHERE "id" = $1`, [job.id]);
    expect((await service.start(lot.lotId, 100)).status).toBe('queued');
    await runToEnd(service);
  });
});

describe('proofs of issuance', () => {
  const sizes = [1, 2, 3, 1_023, 1_024, 1_025, 2_048, 4_096, 5_000, 7 * BLOCK_SIZE + 513];
  it(`prove first, last, middle and random identities of issuances of ${sizes.join(', ')}`, async () => {
    for (const size of sizes) {
      const { lot, job } = await issueAll(size);
      const rows = await issued(job.id);
      const leaves = rows.map((row) => serialLeafHash(lot.gtin, row.serial));
      const root = fromHex(job.serialsRoot);
      expect(toHex(rootHash(leaves))).toBe(job.serialsRoot);
      const positions = new Set([0, size - 1, Math.floor(size / 2), ...Array.from({ length: 4 }, () => Math.floor(Math.random() * size))]);
      for (const index of positions) {
        const identity = await identities.get(lot.gtin, rows[index]!.serial);
        expect(identity).toMatchObject({ gtin: lot.gtin, serial: rows[index]!.serial, lotId: lot.lotId, lotNumber: lot.lotNumber, issuanceId: job.id, index, issuedAt: job.finishedAt });
        const proof = identity.issuanceProof!;
        expect(proof).toMatchObject({ recordKey: job.recordKey, serialsRoot: job.serialsRoot, leafIndex: index, treeSize: size, leafHash: toHex(leaves[index]!) });
        expect(proof.inclusionPath).toEqual(inclusionProof(index, leaves).map(toHex));
        const verdict = verifyInclusion({ leafIndex: index, treeSize: size, leafHash: leaves[index]!, inclusionPath: proof.inclusionPath.map((hash) => fromHex(hash)), rootHash: root });
        expect(verdict, `index ${index} of ${size}`).toEqual({ valid: true });
      }
    }
  });

  it('answers the identity with its Digital Link: GTIN, lot, serial and expiry', async () => {
    const { lot, job } = await issueAll(3);
    const [row] = await issued(job.id);
    const identity = await identities.get(lot.gtin.replace(/^0/, ''), row!.serial);
    expect(identity.digitalLink).toBe(`https://id.gs1.org/01/${lot.gtin}/10/${lot.lotNumber}/21/${row!.serial}?17=280131`);
    expect(parseDigitalLink(identity.digitalLink)).toMatchObject({ gtin: lot.gtin, lot: lot.lotNumber, serial: row!.serial, expiry: '280131' });
  });

  it('has no proof for a fabricated code, nor for one whose issuance has not finished', async () => {
    const { lot } = await issueAll(2);
    expect((await rejection(identities.get(lot.gtin, newSerials(1)[0]!))).code).toBe('identity-not-found');
    expect((await rejection(identities.get('12345', 'X'))).code).toBe('invalid-gtin');

    const pending = await lotOf(5_000);
    const service = issuer();
    const job = await service.start(pending.lotId, 5_000);
    expect(await service.work()).toBe(true);
    const [first] = await issued(job.id);
    expect((await rejection(identities.get(pending.gtin, first!.serial))).kind).toBe('not_found');
    expect((await rejection(identities.open(job.id, 0, 0))).code).toBe('issuance-not-finished');
    await runToEnd(service);
    expect((await identities.get(pending.gtin, first!.serial)).index).toBe(0);
  });
});

describe('identities in order, for labels', () => {
  it('streams an issuance a page at a time in index order, from an index, up to a limit', async () => {
    const { lot, job } = await issueAll(2_500);
    const rows = await issued(job.id);
    const pages: number[] = [];
    const streamed: string[] = [];
    for await (const page of await identities.open(job.id, 0, 0)) {
      pages.push(page.length);
      for (const identity of page) {
        expect(identity.index).toBe(streamed.length);
        expect(identity.gtin).toBe(lot.gtin);
        streamed.push(identity.serial);
      }
    }
    expect(pages).toEqual([STREAM_PAGE, STREAM_PAGE, 500]);
    expect(streamed).toEqual(rows.map((row) => row.serial));

    const window: number[] = [];
    for await (const page of await identities.open(job.id, 1_990, 15)) window.push(...page.map((identity) => identity.index));
    expect(window).toEqual(Array.from({ length: 15 }, (_, offset) => 1_990 + offset));
    expect((await rejection(identities.open(crypto.randomUUID(), 0, 0))).code).toBe('issuance-not-found');
  });
});
