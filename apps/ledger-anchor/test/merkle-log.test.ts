import 'reflect-metadata';
import { openServiceDataSource } from '@traceport/database';
import {
  canonicalJson,
  consistencyProof,
  inclusionProof,
  leafHash,
  rootHash,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from '@traceport/ledger';
import { MESSAGING_ENTITIES } from '@traceport/messaging';
import { freshDatabase } from '@traceport/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_SCHEMA } from '../src/config.js';
import { LEDGER_MIGRATIONS } from '../src/database/migrations/index.js';
import { MerkleLogService } from '../src/log/merkle-log.service.js';

// The log against the real PostgreSQL: concurrent appenders, redelivered records, and proofs read
// from stored subtrees that must equal the RFC 9162 reference computed from scratch.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataSource: DataSource;
let log: MerkleLogService;

const record = (n: number) => ({
  recordType: 'test.item',
  recordKey: `test.item/${n}/v1`,
  record: { id: `item-${n}`, version: 1, weightKg: n / 10, note: n % 7 === 0 ? '中文 ✓' : 'plain' },
});

beforeAll(async () => {
  database = await freshDatabase('traceport_it_ledger');
  dataSource = await openServiceDataSource({
    url: database.url,
    schema: LEDGER_SCHEMA,
    applicationName: 'ledger-it',
    entities: [...MESSAGING_ENTITIES],
    migrations: LEDGER_MIGRATIONS,
    poolMax: 12,
  });
  log = new MerkleLogService(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('MerkleLogService on PostgreSQL', () => {
  const total = 150;

  it('gives concurrent appends gapless, unique leaf indices', async () => {
    // 10 writers race; each append is its own transaction, as consumer partitions would do.
    const writers = Array.from({ length: 10 }, (_, writer) =>
      (async () => {
        for (let n = writer; n < total; n += 10) {
          await dataSource.transaction((manager) => log.append(manager, record(n), `event-${n}`));
        }
      })(),
    );
    await Promise.all(writers);
    const rows: { leaf_index: string }[] = await dataSource.query(`SELECT "leaf_index"::text FROM "ledger"."leaves" ORDER BY "leaf_index"`);
    expect(rows.map((row) => Number(row.leaf_index)).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(await log.treeSize()).toBe(total);
  });

  it('appends a redelivered record once', async () => {
    const again = await dataSource.transaction((manager) => log.append(manager, record(3), 'event-3-redelivered'));
    const leaf = await log.findLeaf('test.item/3/v1');
    expect(again).toBe(leaf?.leafIndex);
    expect(await log.treeSize()).toBe(total);
  });

  it('appends a batch in order under one lock, keeping the first leaf of a repeated record', async () => {
    const batch = [record(total), record(3), record(total + 1), record(total)].map((entry, n) => ({ entry, eventId: `batch-${n}` }));
    const outcome = await dataSource.transaction((manager) => log.appendMany(manager, batch));
    const three = (await log.findLeaf('test.item/3/v1'))!.leafIndex;
    expect(outcome.leafIndices).toEqual([total, three, total + 1, total]);
    expect(outcome.appendedTypes).toEqual(['test.item', 'test.item']);
    expect(await log.treeSize()).toBe(total + 2);
  });

  it('stores the JCS text of each record and its RFC 9162 leaf hash', async () => {
    const leaf = await log.findLeaf('test.item/7/v1');
    expect(leaf?.recordJson).toBe(canonicalJson(record(7).record));
    expect(toHex(leaf!.leafHash)).toBe(toHex(leafHash(record(7).record)));
  });

  it('serves roots, inclusion and consistency proofs equal to the reference tree', async () => {
    const rows: { leaf_hash: Buffer }[] = await dataSource.query(`SELECT "leaf_hash" FROM "ledger"."leaves" ORDER BY "leaf_index"`);
    const leaves = rows.map((row) => new Uint8Array(row.leaf_hash));
    for (const size of [1, 2, 3, 64, 65, 127, total, total + 2]) {
      const root = await log.rootHash(size);
      expect(toHex(root)).toBe(toHex(rootHash(leaves.slice(0, size))));
      for (const index of [0, Math.floor(size / 2), size - 1]) {
        const path = await log.inclusionPath(index, size);
        expect(path.map(toHex)).toEqual(inclusionProof(index, leaves.slice(0, size)).map(toHex));
        expect(verifyInclusion({ leafIndex: index, treeSize: size, leafHash: leaves[index]!, inclusionPath: path, rootHash: root }).valid).toBe(true);
      }
    }
    for (const [size1, size2] of [[1, total], [64, 65], [100, total], [3, 127], [total, total + 2]] as const) {
      const proof = await log.consistencyProof(size1, size2);
      expect(proof.map(toHex)).toEqual(consistencyProof(size1, leaves.slice(0, size2)).map(toHex));
      const verdict = verifyConsistency({ size1, size2, root1: await log.rootHash(size1), root2: await log.rootHash(size2), proof });
      expect(verdict.valid).toBe(true);
    }
  });

  it('keeps no more stored nodes than leaves × 2', async () => {
    const rows: { count: string }[] = await dataSource.query(`SELECT count(*)::text AS count FROM "ledger"."tree_nodes"`);
    expect(Number(rows[0]!.count)).toBeLessThan(2 * (total + 2));
  });
});
