import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IdentityMessage } from '@traceport/contracts';
import { invalid } from '@traceport/errors';
import { buildDigitalLink, DigitalLinkException, parseGtin } from '@traceport/identity';
import { toHex } from '@traceport/ledger';
import { DataSource } from 'typeorm';
import { identityNotFound, IdentityErrorCode, issuanceNotFinished, issuanceNotFound } from './identity.exception.js';
import { isUuid, issuanceRecordKey, readSerialNodes } from './identity-issuance.service.js';
import { serialLeafHash, serialProofPlan } from './serial-tree.js';

/** Identities per StreamIdentities message, and per database page. */
export const STREAM_PAGE = 1_000;

/** What an identity shares with its issuance. */
interface IssuanceFacts {
  id: string;
  lot_id: string;
  lot_number: string;
  gtin: string;
  expiry_date: string | null;
  quantity: number;
  serials_root: Buffer;
  issued_at: string;
}

const FACTS = `s."id", s."lot_id", s."lot_number", s."gtin", to_char(s."expiry_date", 'YYYY-MM-DD') AS "expiry_date", s."quantity", s."serials_root",
  s."record"->>'issuedAt' AS "issued_at"`;

/** AI 17 (YYMMDD) of an ISO date. */
const yymmdd = (isoDate: string) => `${isoDate.slice(2, 4)}${isoDate.slice(5, 7)}${isoDate.slice(8, 10)}`;

/** The identity's GS1 Digital Link on GS1's canonical resolver: GTIN, lot, serial and, when the lot has one, expiry. */
export function digitalLinkOf(gtin: string, lotNumber: string, serial: string, expiryDate: string | null): string {
  const keys = { gtin, lot: lotNumber, serial };
  if (expiryDate === null) return buildDigitalLink(keys);
  try {
    return buildDigitalLink({ ...keys, expiry: yymmdd(expiryDate) });
  } catch (error) {
    // GS1 reads a two-digit year within 49 years back and 50 ahead; an expiry further out cannot be written.
    if (error instanceof DigitalLinkException) return buildDigitalLink(keys);
    throw error;
  }
}

function identityOf(facts: IssuanceFacts, serial: string, index: number): IdentityMessage {
  return {
    gtin: facts.gtin,
    serial,
    lotId: facts.lot_id,
    lotNumber: facts.lot_number,
    expiryDate: facts.expiry_date ?? '',
    issuanceId: facts.id,
    index,
    digitalLink: digitalLinkOf(facts.gtin, facts.lot_number, serial, facts.expiry_date),
    issuedAt: facts.issued_at,
    issuanceProof: null,
  };
}

/**
 * Issued identities: one with its proof of issuance, or all of an issuance in index order. Only
 * identities of succeeded issuances exist for readers: until its record is written, an
 * issuance's serials have no root to be proven against.
 */
@Injectable()
export class IdentityService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The identity and an RFC 9162 inclusion proof of its leaf under the issuance's serials root,
   * built from its block of at most 1,024 leaves and O(log n) stored nodes.
   */
  async get(gtinInput: string, serial: string): Promise<IdentityMessage> {
    const parsed = parseGtin(gtinInput);
    if (!parsed.ok) throw invalid(IdentityErrorCode.invalidGtin, `not a GTIN: ${parsed.message}`, [{ field: 'gtin', message: parsed.message }]);
    const gtin = parsed.gtin14;
    const rows: (IssuanceFacts & { index: number })[] = await this.dataSource.query(
      `SELECT i."index", ${FACTS}
       FROM "data_service"."identities" i JOIN "data_service"."identity_issuances" s ON s."id" = i."issuance_id"
       WHERE i."gtin" = $1 AND i."serial" = $2 AND s."status" = 'succeeded'`,
      [gtin, serial],
    );
    const found = rows[0];
    if (found === undefined) throw identityNotFound(gtin, serial);
    const plan = serialProofPlan(found.index, found.quantity);
    const [stored, block] = await Promise.all([
      readSerialNodes(this.dataSource, found.id, plan.storedNodes),
      this.dataSource.query(`SELECT "serial" FROM "data_service"."identities" WHERE "issuance_id" = $1 AND "index" >= $2 AND "index" < $3 ORDER BY "index"`, [
        found.id,
        plan.block.start,
        plan.block.end,
      ]) as Promise<{ serial: string }[]>,
    ]);
    const path = plan.assemble(
      stored,
      block.map((row) => serialLeafHash(gtin, row.serial)),
    );
    return {
      ...identityOf(found, serial, found.index),
      issuanceProof: {
        recordKey: issuanceRecordKey(found.id),
        serialsRoot: found.serials_root.toString('hex'),
        leafIndex: found.index,
        treeSize: found.quantity,
        inclusionPath: path.map(toHex),
        leafHash: toHex(serialLeafHash(gtin, serial)),
      },
    };
  }

  /**
   * The identities of a succeeded issuance from `fromIndex`, at most `limit` (0: all), in pages of
   * STREAM_PAGE read by index range, so memory stays flat whatever the issuance's size. Checks
   * the issuance before the first page, so a bad request fails before anything is streamed.
   */
  async open(issuanceId: string, fromIndex: number, limit: number): Promise<AsyncIterable<IdentityMessage[]>> {
    if (!Number.isSafeInteger(fromIndex) || fromIndex < 0) throw invalid(IdentityErrorCode.invalidIndex, `from_index must be a non-negative integer, not ${fromIndex}`);
    const rows: (IssuanceFacts & { status: string })[] = isUuid(issuanceId)
      ? await this.dataSource.query(`SELECT s."status", ${FACTS} FROM "data_service"."identity_issuances" s WHERE s."id" = $1`, [issuanceId])
      : [];
    const facts = rows[0];
    if (facts === undefined) throw issuanceNotFound(issuanceId);
    if (facts.status !== 'succeeded') throw issuanceNotFinished(issuanceId, facts.status);
    if (fromIndex > 0 && fromIndex >= facts.quantity) {
      throw invalid(IdentityErrorCode.invalidIndex, `from_index ${fromIndex} is past the last identity of the issuance (${facts.quantity - 1})`);
    }
    const end = limit > 0 ? Math.min(facts.quantity, fromIndex + limit) : facts.quantity;
    return this.pages(facts, fromIndex, end);
  }

  private async *pages(facts: IssuanceFacts, from: number, end: number): AsyncGenerator<IdentityMessage[]> {
    for (let start = from; start < end; start += STREAM_PAGE) {
      const stop = Math.min(start + STREAM_PAGE, end);
      const rows: { serial: string }[] = await this.dataSource.query(
        `SELECT "serial" FROM "data_service"."identities" WHERE "issuance_id" = $1 AND "index" >= $2 AND "index" < $3 ORDER BY "index"`,
        [facts.id, start, stop],
      );
      if (rows.length !== stop - start) throw new Error(`issuance ${facts.id} holds ${rows.length} identities in [${start}, ${stop}), not ${stop - start}`);
      yield rows.map((row, offset) => identityOf(facts, row.serial, start + offset));
    }
  }
}
