import type { CertificationFacts, DecisionContext, PartyStatistics } from './decision-context.js';

/**
 * How each field of DecisionContext is typed in CEL. Objects are message types (so an unknown field
 * is a type error), counts are `int` (so `merchant.stats.lotsReceived == 0` type-checks: CEL has no
 * `double == int`) and rates are `double`; CEL compares int with double (`lot.quantity > 1000.5`)
 * but does not mix them in arithmetic.
 */
export type CelScalar = 'string' | 'bool' | 'int' | 'double';
export interface CelMessage {
  /** The type's name in CEL, shown in type errors (`no such overload: Lot > string`). */
  readonly message: string;
  readonly fields: Readonly<Record<string, CelType>>;
}
export interface CelList {
  readonly list: CelType;
}
/** A map with string keys. */
export interface CelMap {
  readonly map: CelType;
}
export type CelType = CelScalar | CelMessage | CelList | CelMap;

/** The CEL type a TypeScript field may take: the compiler rejects a schema that drifts from DecisionContext. */
type CelTypeOf<T> = T extends string
  ? 'string'
  : T extends boolean
    ? 'bool'
    : T extends number
      ? 'int' | 'double'
      : T extends readonly (infer Item)[]
        ? { readonly list: CelTypeOf<Item> }
        : string extends keyof T
          ? { readonly map: CelTypeOf<T[string & keyof T]> }
          : { readonly message: string; readonly fields: { readonly [K in keyof T]-?: CelTypeOf<T[K]> } };

const partyStatistics = {
  message: 'PartyStatistics',
  fields: { lotsReceived: 'int', lotsInspected: 'int', passed: 'int', failed: 'int', passRate: 'double', passRateLowerBound: 'double' },
} as const satisfies CelTypeOf<PartyStatistics>;

const certification = {
  message: 'Certification',
  fields: { type: 'string', issuer: 'string', number: 'string', validFrom: 'string', validTo: 'string', valid: 'bool' },
} as const satisfies CelTypeOf<CertificationFacts>;

/** Every variable a condition may name, with its CEL type. */
export const decisionContextCelSchema = {
  message: 'DecisionContext',
  fields: {
    lot: {
      message: 'Lot',
      fields: { id: 'string', lotNumber: 'string', quantity: 'int', productionDate: 'string', expiryDate: 'string', daysToExpiry: 'int' },
    },
    product: {
      message: 'Product',
      fields: { id: 'string', gtin: 'string', name: 'string', category: 'string', hsCode: 'string', originCountry: 'string' },
    },
    brand: { message: 'Brand', fields: { id: 'string', name: 'string' } },
    merchant: { message: 'Merchant', fields: { id: 'string', legalName: 'string', country: 'string', stats: partyStatistics } },
    factory: {
      message: 'Factory',
      fields: {
        id: 'string',
        name: 'string',
        country: 'string',
        certifications: { list: certification },
        expiredCertifications: 'int',
        stats: partyStatistics,
      },
    },
    origin: 'string',
    category: { message: 'Category', fields: { name: 'string', stats: partyStatistics } },
    customs: {
      message: 'Customs',
      fields: { exportDeclared: 'bool', importDeclared: 'bool', importStatus: 'string', port: 'string', quarantineCertificateNumber: 'string' },
    },
    supplier: { message: 'Supplier', fields: { state: 'string' } },
    random: 'double',
    today: 'string',
    tables: { map: { map: 'double' } },
  },
} as const satisfies CelTypeOf<DecisionContext>;

/** The CEL type string of a schema type (`int`, `Lot`, `list<Certification>`, `map<string, double>`). */
export function celTypeName(type: CelType): string {
  if (typeof type === 'string') return type;
  if ('message' in type) return type.message;
  if ('list' in type) return `list<${celTypeName(type.list)}>`;
  return `map<string, ${celTypeName(type.map)}>`;
}

/** Every message type reachable from `root`, each once, innermost first (the order CEL needs to register them). */
export function messageTypesOf(root: CelMessage): CelMessage[] {
  const found = new Map<string, CelMessage>();
  const visit = (type: CelType): void => {
    if (typeof type === 'string') return;
    if ('list' in type) return visit(type.list);
    if ('map' in type) return visit(type.map);
    for (const field of Object.values(type.fields)) visit(field);
    const known = found.get(type.message);
    if (known !== undefined && known !== type) throw new Error(`two CEL message types are named ${type.message}`);
    found.set(type.message, type);
  };
  for (const field of Object.values(root.fields)) visit(field);
  return [...found.values()];
}
