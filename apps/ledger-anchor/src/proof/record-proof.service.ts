import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RecordProofMessage } from '@traceport/contracts';
import { invalid, notFound } from '@traceport/errors';
import { toHex } from '@traceport/ledger';
import { DataSource } from 'typeorm';
import { HeadAnchorer } from '../anchoring/head-anchorer.service.js';
import { HeadStore, type HeadRow } from '../anchoring/head-store.js';
import { MerkleLogService } from '../log/merkle-log.service.js';

/** What a proof lookup answers: traceport.v1.RecordProof. */
export type RecordProof = RecordProofMessage;

/**
 * A record's inclusion proof: against the latest anchored head when it covers the record (then it
 * checks against the chain), otherwise a provisional receipt against the current log size.
 */
@Injectable()
export class RecordProofService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: MerkleLogService,
    private readonly anchorer: HeadAnchorer,
  ) {}

  private cachedHead: { head: HeadRow | null; readAt: number } | null = null;

  /**
   * The latest anchored head changes every few seconds at most; reading it at most every 250 ms
   * keeps a query off every proof lookup, and any replica sees a new head within that time.
   */
  private async latestAnchoredHead(): Promise<HeadRow | null> {
    const now = Date.now();
    if (this.cachedHead === null || now - this.cachedHead.readAt > 250) {
      const head = await new HeadStore(this.dataSource.manager, this.anchorer.anchorTarget()).latestAnchored();
      this.cachedHead = { head, readAt: now };
    }
    return this.cachedHead.head;
  }

  async proofOf(recordKey: string): Promise<RecordProof> {
    const leaf = await this.log.findLeaf(recordKey);
    if (leaf === null) throw notFound('record-not-in-log', `no record ${recordKey} in the log (yet)`);
    const target = this.anchorer.anchorTarget();
    const head = await this.latestAnchoredHead();
    const anchored = head !== null && head.treeSize > leaf.leafIndex;
    const treeSize = anchored ? head.treeSize : await this.log.treeSize();
    const root = anchored ? head.rootHash : await this.log.rootHash(treeSize);
    const path = await this.log.inclusionPath(leaf.leafIndex, treeSize);
    return {
      recordKey: leaf.recordKey,
      recordType: leaf.recordType,
      recordJson: leaf.recordJson,
      leafIndex: leaf.leafIndex,
      treeSize,
      inclusionPath: path.map(toHex),
      rootHash: toHex(root),
      leafHash: toHex(leaf.leafHash),
      status: anchored ? 'anchored' : 'provisional',
      anchor: anchored
        ? { chainId: target.chainId, contract: target.contract, txHash: head.txHash!, blockNumber: head.blockNumber! }
        : null,
    };
  }

  /** An RFC 9162 consistency proof between two sizes of the log, with the log's roots at both. */
  async consistencyBetween(first: number, second: number) {
    const size = await this.log.treeSize();
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first >= second || second > size) {
      throw invalid('invalid-tree-sizes', `need 1 <= first < second <= ${size} (the log size); got first=${first}, second=${second}`, [
        { field: 'first', message: 'at least 1 and below second' },
        { field: 'second', message: `at most the log size, ${size}` },
      ]);
    }
    const [proof, firstRoot, secondRoot] = await Promise.all([
      this.log.consistencyProof(first, second),
      this.log.rootHash(first),
      this.log.rootHash(second),
    ]);
    return { first, second, proof: proof.map(toHex), firstRoot: toHex(firstRoot), secondRoot: toHex(secondRoot) };
  }
}
