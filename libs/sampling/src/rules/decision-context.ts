/**
 * What a sampling rule's CEL condition sees when a lot is received into the bonded warehouse: the
 * lot and its archive records, customs data, the statistics of its factory, merchant and category,
 * the supplier's ISO 2859-1 switching state, the rule set's lookup tables, and a reproducible random
 * number. The decision engine builds one per decision; the rule compiler declares exactly these
 * variables and types, so a rule that names anything else is rejected when it is saved.
 *
 * Every field is always present (empty string, 0 or false when unknown), so conditions never need
 * presence tests. Integers are counts; dates are ISO 8601 `YYYY-MM-DD` strings, which compare
 * correctly as text (`factory.certifications.exists(c, c.validTo < today)`).
 *
 * In CEL (decision-context.cel-schema.ts) counts are `int` and rates, `random` and table values
 * `double`: `merchant.stats.lotsReceived == 0` and `lot.quantity > 1000.5` type-check, while
 * arithmetic mixing the two needs a conversion (`double(factory.stats.failed) / 10.0`).
 */
export interface PartyStatistics {
  /** Lots of this party received before the lot being decided. */
  readonly lotsReceived: number;
  readonly lotsInspected: number;
  readonly passed: number;
  readonly failed: number;
  /** passed / (passed + failed); 0 before any result. */
  readonly passRate: number;
  /** Wilson 95% lower bound of the pass rate (0 before any result): what thresholds compare with. */
  readonly passRateLowerBound: number;
}

export interface CertificationFacts {
  readonly type: string;
  readonly issuer: string;
  readonly number: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** Valid on the decision date. */
  readonly valid: boolean;
}

export interface DecisionContext {
  readonly lot: {
    readonly id: string;
    readonly lotNumber: string;
    readonly quantity: number;
    readonly productionDate: string;
    readonly expiryDate: string;
    /** Days from the decision date to expiry (negative once expired). */
    readonly daysToExpiry: number;
  };
  readonly product: {
    readonly id: string;
    readonly gtin: string;
    readonly name: string;
    readonly category: string;
    readonly hsCode: string;
    readonly originCountry: string;
  };
  readonly brand: { readonly id: string; readonly name: string };
  readonly merchant: { readonly id: string; readonly legalName: string; readonly country: string; readonly stats: PartyStatistics };
  readonly factory: {
    readonly id: string;
    readonly name: string;
    readonly country: string;
    readonly certifications: readonly CertificationFacts[];
    /** Certifications whose validity ended before the decision date. */
    readonly expiredCertifications: number;
    readonly stats: PartyStatistics;
  };
  /** The product's origin country (ISO 3166-1 alpha-2), at top level because hazard tables key on it. */
  readonly origin: string;
  readonly category: { readonly name: string; readonly stats: PartyStatistics };
  readonly customs: {
    readonly exportDeclared: boolean;
    readonly importDeclared: boolean;
    /** Status of the latest import declaration ('' when none): declared, under-inspection, cleared, rejected. */
    readonly importStatus: string;
    readonly port: string;
    readonly quarantineCertificateNumber: string;
  };
  /** ISO 2859-1 switching state of this supplier (factory × category): normal, tightened, reduced, discontinued. */
  readonly supplier: { readonly state: string };
  /** Uniform in [0, 1), derived from the decision's seed: `random < 0.05` selects 5% of lots, reproducibly. */
  readonly random: number;
  /** The decision date, `YYYY-MM-DD`. */
  readonly today: string;
  /** The rule set's lookup tables: table name → key → number (e.g. a category×origin hazard table of check frequencies). */
  readonly tables: Readonly<Record<string, Readonly<Record<string, number>>>>;
}
