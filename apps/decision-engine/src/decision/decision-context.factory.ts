import type { DecisionContext, PartyStatistics } from '@traceport/sampling';
import type { LotFacts } from './lot-facts.reader.js';

const DAY_MS = 86_400_000;

/**
 * The facts a rule sees, in the shape the rule compiler declares: every field present, counts as
 * numbers, dates as `YYYY-MM-DD`. Built from what the engine knows at the moment of deciding; the
 * same object is stored with the decision, so simulations replay exactly what the rules saw.
 */
export function decisionContextOf(input: {
  facts: LotFacts;
  statistics: { factory: PartyStatistics; merchant: PartyStatistics; category: PartyStatistics };
  supplierState: string;
  random: number;
  decidedAt: Date;
  tables: DecisionContext['tables'];
}): DecisionContext {
  const { lot, product, brand, merchant, factory, customs } = input.facts;
  const today = input.decidedAt.toISOString().slice(0, 10);
  const certifications = (factory?.certifications ?? []).map((certification) => ({
    type: certification.type,
    issuer: certification.issuer,
    number: certification.number,
    validFrom: certification.validFrom,
    validTo: certification.validTo,
    // A revoked certificate is not valid from its revocation on, whatever its validTo says.
    valid: certification.validFrom <= today && today <= certification.validTo && (certification.revokedAt === undefined || today < certification.revokedAt),
  }));
  // The latest import declaration speaks for the lot's customs status.
  const imports = customs.filter((declaration) => declaration.direction === 'import').sort((a, b) => b.date.localeCompare(a.date) || b.recordedAt.localeCompare(a.recordedAt));
  const latestImport = imports[0];
  return {
    lot: {
      id: lot.id,
      lotNumber: lot.lotNumber,
      quantity: lot.quantity,
      productionDate: lot.productionDate,
      expiryDate: lot.expiryDate,
      daysToExpiry: Math.floor((Date.parse(`${lot.expiryDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS),
    },
    product: { id: product.id, gtin: product.gtin, name: product.name, category: product.category, hsCode: product.hsCode, originCountry: product.originCountry },
    brand: { id: brand?.id ?? '', name: brand?.name ?? '' },
    merchant: { id: merchant?.id ?? '', legalName: merchant?.legalName ?? '', country: merchant?.country ?? '', stats: input.statistics.merchant },
    factory: {
      id: factory?.id ?? '',
      name: factory?.name ?? '',
      country: factory?.country ?? '',
      certifications,
      expiredCertifications: certifications.filter((certification) => certification.validTo < today).length,
      stats: input.statistics.factory,
    },
    origin: product.originCountry,
    category: { name: product.category, stats: input.statistics.category },
    customs: {
      exportDeclared: customs.some((declaration) => declaration.direction === 'export'),
      importDeclared: latestImport !== undefined,
      importStatus: latestImport?.status ?? '',
      port: latestImport?.port ?? '',
      quarantineCertificateNumber: latestImport?.quarantineCertificateNumber ?? '',
    },
    supplier: { state: input.supplierState },
    random: input.random,
    today,
    tables: input.tables,
  };
}
