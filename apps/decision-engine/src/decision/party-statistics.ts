import { wilsonLowerBound, type PartyStatistics } from '@traceport/sampling';
import type { EntityManager } from 'typeorm';
import { DECISION_ENGINE_SCHEMA } from '../config.js';

interface CountsRow {
  party: 'factory' | 'merchant' | 'category';
  received: number;
  inspected: number;
  passed: number;
  failed: number;
}

const EMPTY: PartyStatistics = { lotsReceived: 0, lotsInspected: 0, passed: 0, failed: 0, passRate: 0, passRateLowerBound: 0 };

function statisticsOf(row: CountsRow | undefined): PartyStatistics {
  if (row === undefined) return EMPTY;
  const judged = row.passed + row.failed;
  return {
    lotsReceived: row.received,
    lotsInspected: row.inspected,
    passed: row.passed,
    failed: row.failed,
    passRate: judged === 0 ? 0 : row.passed / judged,
    passRateLowerBound: wilsonLowerBound(row.passed, judged),
  };
}

/**
 * Lots received, inspected, passed and failed for a lot's factory, merchant and category, from the
 * outcomes of every lot the engine has received: read in the deciding transaction, so a result
 * recorded a moment ago already counts. The pass rate's Wilson lower bound keeps one lucky lot from
 * looking like a perfect record.
 */
export async function partyStatistics(
  manager: EntityManager,
  parties: { factoryId: string | null; merchantId: string | null; category: string },
): Promise<{ factory: PartyStatistics; merchant: PartyStatistics; category: PartyStatistics }> {
  const counts = (party: string, where: string) =>
    `SELECT '${party}' AS "party", count(*)::int AS "received", count("result")::int AS "inspected",
       (count(*) FILTER (WHERE "result" = 'passed'))::int AS "passed", (count(*) FILTER (WHERE "result" = 'failed'))::int AS "failed"
     FROM "${DECISION_ENGINE_SCHEMA}"."lot_outcomes" WHERE ${where}`;
  const rows: CountsRow[] = await manager.query(
    [counts('factory', '"factory_id" = $1'), counts('merchant', '"merchant_id" = $2'), counts('category', '"category" = $3')].join(' UNION ALL '),
    [parties.factoryId, parties.merchantId, parties.category],
  );
  const byParty = new Map(rows.map((row) => [row.party, row]));
  return {
    factory: parties.factoryId === null ? EMPTY : statisticsOf(byParty.get('factory')),
    merchant: parties.merchantId === null ? EMPTY : statisticsOf(byParty.get('merchant')),
    category: statisticsOf(byParty.get('category')),
  };
}
