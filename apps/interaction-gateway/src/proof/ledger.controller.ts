import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { invalid } from '@traceport/errors';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { LedgerState } from '../openapi/schemas/dashboard.schemas.js';
import { AuditReport, ConsistencyProof, StoreAuditReport } from '../openapi/schemas/ledger.schemas.js';
import { ledgerStateJson } from './ledger-state-json.js';
import { ProofGateway, type AuditReportMessage } from './proof.gateway.js';
import { StoreAudit } from './store-audit.js';

function treeSizeParam(name: string, value: unknown): number {
  const size = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(size) || size < 1) {
    throw invalid('invalid-tree-sizes', `query parameter ${name} must be a tree size (a positive integer)`, [{ field: name, message: 'a positive integer' }]);
  }
  return size;
}

/** BRIEF §5 names, snake_case. */
function auditJsonOf(report: AuditReportMessage) {
  return {
    checked_at: report.checkedAt,
    tree_size: report.treeSize,
    ok: report.ok,
    changed: report.changed.map((record) => ({ leaf_index: record.leafIndex, record_key: record.recordKey })),
    missing: report.missing,
    reordered: report.reordered.map((record) => ({ record_key: record.recordKey, stored_at: record.storedAt, belongs_at: record.belongsAt })),
    corrupt_nodes: report.corruptNodes,
    head_mismatches: report.headMismatches.map((head) => ({ tree_size: head.treeSize, on_chain: head.onChain || null, recomputed: head.recomputed })),
    heads_checked: report.headsChecked,
  };
}

/** The log itself: consistency between heads, and its audit. */
@ApiTags('Proofs and ledger')
@Controller('v1/ledger')
export class LedgerController {
  constructor(
    private readonly proofs: ProofGateway,
    private readonly storeAudit: StoreAudit,
  ) {}

  /** RFC 9162 consistency proof between two tree sizes; check the roots against the chain's rootAt. */
  @Get('consistency')
  @ApiDoc({
    summary: 'RFC 9162 consistency proof between two tree sizes',
    description: "Check both roots against the chain's rootAt(treeSize): the log only grew between them.",
    query: { schema: z.object({ first: z.number().int().min(1), second: z.number().int().min(1) }), describe: { first: 'The smaller tree size.', second: 'The larger tree size.' } },
    response: { status: 200, description: 'The proof with both roots.', schema: ConsistencyProof },
    problems: [400, 404],
  })
  async consistency(@Query('first') first: unknown, @Query('second') second: unknown) {
    const proof = await this.proofs.consistency(treeSizeParam('first', first), treeSizeParam('second', second));
    return { first: proof.first, second: proof.second, proof: proof.proof, first_root: proof.firstRoot, second_root: proof.secondRoot };
  }

  /** How far anchoring lags: the log's size against its newest anchored head (tree size, root, block). */
  @Get('state')
  @ApiDoc({ summary: "The log's size and its newest anchored head", response: { status: 200, description: 'The state, with the lag in records and seconds.', schema: LedgerState } })
  async state() {
    return ledgerStateJson(await this.proofs.ledgerState());
  }

  /** The latest audit of the stored log against what was anchored. */
  @Get('audit')
  @ApiDoc({ summary: 'The latest audit of the log', response: { status: 200, description: 'The latest audit report.', schema: AuditReport } })
  async latestAudit() {
    return auditJsonOf(await this.proofs.audit(false));
  }

  /** Audits now and answers the report. */
  @Post('audit')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Audit the log now',
    description: 'Recomputes every leaf and the anchored heads; reports exactly the records changed, missing or reordered.',
    response: { status: 200, description: 'The audit report.', schema: AuditReport },
  })
  async runAudit() {
    return auditJsonOf(await this.proofs.audit(true));
  }

  /** Compares every record the data-service stores with the leaf the log holds for it. */
  @Post('audit/stores')
  @HttpCode(200)
  @ApiDoc({
    summary: "Audit the data-service's store against the log now",
    description:
      'Streams the leaf hash of every archive record version and EPCIS event version as stored now, and every leaf of those types in the log, and merge-joins them: records changed (or swapped) after anchoring, deleted from the store, or not in the log. The log itself is audited by POST /v1/ledger/audit.',
    response: { status: 200, description: 'The store audit report.', schema: StoreAuditReport },
  })
  async runStoreAudit() {
    const report = await this.storeAudit.run();
    const listed = (found: { count: number; recordKeys: string[] }) => ({ count: found.count, record_keys: found.recordKeys });
    return {
      checked_at: report.checkedAt,
      store: report.store,
      record_types: report.recordTypes,
      records_checked: report.recordsChecked,
      leaves_checked: report.leavesChecked,
      ok: report.ok,
      changed: listed(report.changed),
      missing: listed(report.missing),
      not_in_log: listed(report.notInLog),
    };
  }
}
