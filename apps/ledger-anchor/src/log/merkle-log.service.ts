import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AnchorableRecord } from '@traceport/contracts';
import { copyRows } from '@traceport/database';
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

export interface AppendOutcome {
  /** Each item's leaf index, in the order given. */
  readonly leafIndices: number[];
  /** The record type of each leaf this append added, in leaf order: not those already in the log. */
  readonly appendedTypes: string[];
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
    const { leafIndices } = await this.appendMany(manager, [{ entry, eventId }]);
    return leafIndices[0]!;
  }

  /**
   * Appends records in order under one lock: the frontier is read once, every new leaf and the
   * subtrees it completes are written in two statements. A record whose key is already in the log
   * (a redelivery, or a repeat within the batch) keeps its first leaf. Returns each one's leaf index
   * and what was new.
   */
  async appendMany(manager: EntityManager, items: readonly { entry: AnchorableRecord; eventId: string }[]): Promise<AppendOutcome> {
    const size = await this.lockTreeSize(manager);
    const existing: { record_key: string; leaf_index: string }[] = await manager.query(
      `SELECT "record_key", "leaf_index"::text FROM "ledger"."leaves" WHERE "record_key" = ANY($1::text[])`,
      [items.map((item) => item.entry.recordKey)],
    );
    const indexOf = new Map(existing.map((row) => [row.record_key, Number(row.leaf_index)]));
    const fresh: { recordKey: string; recordType: string; recordJson: string; leaf: Uint8Array; eventId: string }[] = [];
    for (const { entry, eventId } of items) {
      if (indexOf.has(entry.recordKey)) continue;
      const recordJson = canonicalJson(entry.record);
      indexOf.set(entry.recordKey, size + fresh.length);
      fresh.push({ recordKey: entry.recordKey, recordType: entry.recordType, recordJson, leaf: leafHashOfBytes(utf8.encode(recordJson)), eventId });
    }
    if (fresh.length > 0) {
      const frontierIds = perfectDecomposition(0, size);
      const hashes = await readNodes(manager, frontierIds);
      const frontier = frontierIds.map((id) => ({ id, hash: hashes.get(nodeKey(id))! }));
      const { stored } = appendToFrontier(
        frontier,
        fresh.map((item) => item.leaf),
      );
      // COPY: the records' JSON goes in as text, escaped only where it holds a backslash, rather than
      // escaped again inside a JSON parameter that PostgreSQL then lexes byte by byte.
      await copyRows(
        manager,
        '"ledger"."leaves"',
        ['leaf_index', 'record_key', 'record_type', 'record_json', 'leaf_hash', 'event_id'],
        fresh.map((item, offset) => [size + offset, item.recordKey, item.recordType, item.recordJson, item.leaf, item.eventId]),
      );
      await writeNodes(manager, stored);
      await manager.query(`UPDATE "ledger"."log_state" SET "tree_size" = $1 WHERE "id" = 1`, [size + fresh.length]);
    }
    return { leafIndices: items.map((item) => indexOf.get(item.entry.recordKey)!), appendedTypes: fresh.map((item) => item.recordType) };
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
