import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AnchorableRecord } from '@traceport/contracts';
import {
  appendToFrontier,
  canonicalJson,
  leafHashOfBytes,
  perfectDecomposition,
  readInclusionProof,
  readRootHash,
  readConsistencyProof,
  nodeKey,
} from '@traceport/ledger';
import { DataSource, type EntityManager } from 'typeorm';
import { readNodes, writeNodes } from './node-store.js';

export interface LeafRow {
  readonly leafIndex: number;
  readonly recordKey: string;
  readonly recordType: string;
  readonly recordJson: string;
  readonly leafHash: Uint8Array;
}

const utf8 = new TextEncoder();

/**
 * The one global RFC 9162 log. Appends are serialised by a row lock on the log size, so leaf
 * indices have no gaps or duplicates however many consumers run; each append stores the leaf and
 * every subtree it completes, which is all a proof ever reads.
 */
@Injectable()
export class MerkleLogService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends the record unless this version of it is already in the log; returns its leaf index. */
  async append(manager: EntityManager, entry: AnchorableRecord, eventId: string): Promise<number> {
    const size = await this.lockTreeSize(manager);
    const existing: { leaf_index: string }[] = await manager.query(
      `SELECT "leaf_index"::text FROM "ledger"."leaves" WHERE "record_key" = $1`,
      [entry.recordKey],
    );
    if (existing[0] !== undefined) return Number(existing[0].leaf_index);

    const recordJson = canonicalJson(entry.record);
    const leaf = leafHashOfBytes(utf8.encode(recordJson));
    const frontierIds = perfectDecomposition(0, size);
    const hashes = await readNodes(manager, frontierIds);
    const frontier = frontierIds.map((id) => ({ id, hash: hashes.get(nodeKey(id))! }));
    const { stored } = appendToFrontier(frontier, [leaf]);
    await manager.query(
      `INSERT INTO "ledger"."leaves" ("leaf_index", "record_key", "record_type", "record_json", "leaf_hash", "event_id")
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [size, entry.recordKey, entry.recordType, recordJson, Buffer.from(leaf), eventId],
    );
    await writeNodes(manager, stored);
    await manager.query(`UPDATE "ledger"."log_state" SET "tree_size" = $1 WHERE "id" = 1`, [size + 1]);
    return size;
  }

  async treeSize(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: { tree_size: string }[] = await manager.query(`SELECT "tree_size"::text FROM "ledger"."log_state" WHERE "id" = 1`);
    return Number(rows[0]?.tree_size ?? 0);
  }

  async findLeaf(recordKey: string): Promise<LeafRow | null> {
    const rows: { leaf_index: string; record_key: string; record_type: string; record_json: string; leaf_hash: Buffer }[] =
      await this.dataSource.query(
        `SELECT "leaf_index"::text, "record_key", "record_type", "record_json", "leaf_hash" FROM "ledger"."leaves" WHERE "record_key" = $1`,
        [recordKey],
      );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      leafIndex: Number(row.leaf_index),
      recordKey: row.record_key,
      recordType: row.record_type,
      recordJson: row.record_json,
      leafHash: new Uint8Array(row.leaf_hash),
    };
  }

  rootHash(treeSize: number, manager: EntityManager = this.dataSource.manager): Promise<Uint8Array> {
    return readRootHash(treeSize, (ids) => readNodes(manager, ids));
  }

  inclusionPath(leafIndex: number, treeSize: number): Promise<Uint8Array[]> {
    return readInclusionProof(leafIndex, treeSize, (ids) => readNodes(this.dataSource.manager, ids));
  }

  consistencyProof(size1: number, size2: number, manager: EntityManager = this.dataSource.manager): Promise<Uint8Array[]> {
    return readConsistencyProof(size1, size2, (ids) => readNodes(manager, ids));
  }

  private async lockTreeSize(manager: EntityManager): Promise<number> {
    const rows: { tree_size: string }[] = await manager.query(
      `SELECT "tree_size"::text FROM "ledger"."log_state" WHERE "id" = 1 FOR UPDATE`,
    );
    return Number(rows[0]!.tree_size);
  }
}
