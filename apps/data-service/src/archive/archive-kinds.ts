import { RecordTypes, type ArchiveRecordType } from '@traceport/contracts';

/** Another record a field points at; it must exist (current version) when the record is written. */
export interface ArchiveReference {
  readonly field: string;
  readonly recordType: ArchiveRecordType;
  /** The field holds an array of ids. */
  readonly many?: boolean;
}

/** What the archive needs to know about a record type beyond its field schema. */
export interface ArchiveKind {
  readonly recordType: ArchiveRecordType;
  /** REST collection under /v1 and the noun used in messages. */
  readonly collection: string;
  readonly noun: string;
  readonly references: readonly ArchiveReference[];
  /** Unique index (see the migration) → the error a duplicate gets. */
  readonly naturalKeys: Readonly<Record<string, { readonly code: string; readonly message: string }>>;
  /** Top-level fields a search may filter on by equality. */
  readonly filters: readonly string[];
  /** The field `q` searches (case-insensitive substring). */
  readonly textField: string;
}

export const ARCHIVE_KINDS: readonly ArchiveKind[] = [
  {
    recordType: RecordTypes.merchant,
    collection: 'merchants',
    noun: 'merchant',
    references: [],
    naturalKeys: { archive_merchant_registration_key: { code: 'merchant-already-registered', message: 'a merchant with this country and registration number is registered' } },
    filters: ['country', 'registrationNumber'],
    textField: 'legalName',
  },
  {
    recordType: RecordTypes.brand,
    collection: 'brands',
    noun: 'brand',
    references: [{ field: 'ownerMerchantId', recordType: RecordTypes.merchant }],
    naturalKeys: { archive_brand_name_key: { code: 'brand-already-registered', message: 'a brand with this name is registered' } },
    filters: ['ownerMerchantId'],
    textField: 'name',
  },
  {
    recordType: RecordTypes.factory,
    collection: 'factories',
    noun: 'factory',
    references: [],
    naturalKeys: { archive_factory_gln_key: { code: 'factory-already-registered', message: 'a factory with this GLN is registered' } },
    filters: ['country', 'gln'],
    textField: 'name',
  },
  {
    recordType: RecordTypes.product,
    collection: 'products',
    noun: 'product',
    references: [
      { field: 'brandId', recordType: RecordTypes.brand },
      { field: 'factoryId', recordType: RecordTypes.factory },
    ],
    naturalKeys: { archive_product_gtin_key: { code: 'gtin-already-registered', message: 'a product with this GTIN is registered' } },
    filters: ['gtin', 'brandId', 'factoryId', 'category', 'originCountry', 'hsCode'],
    textField: 'name',
  },
  {
    recordType: RecordTypes.inspectionStandard,
    collection: 'inspection-standards',
    noun: 'inspection standard',
    references: [],
    naturalKeys: { archive_inspection_standard_category_key: { code: 'standard-already-defined', message: 'this category has an inspection standard; update it instead' } },
    filters: ['category', 'defaultLevel'],
    textField: 'category',
  },
  {
    recordType: RecordTypes.lot,
    collection: 'lots',
    noun: 'lot',
    references: [{ field: 'productId', recordType: RecordTypes.product }],
    naturalKeys: { archive_lot_number_key: { code: 'lot-already-declared', message: 'this product has a lot with this number' } },
    filters: ['productId', 'lotNumber'],
    textField: 'lotNumber',
  },
  {
    recordType: RecordTypes.customsDeclaration,
    collection: 'customs-declarations',
    noun: 'customs declaration',
    references: [{ field: 'lotIds', recordType: RecordTypes.lot, many: true }],
    naturalKeys: { archive_customs_declaration_number_key: { code: 'declaration-already-filed', message: 'a declaration with this direction and number is filed' } },
    // lotIds matches the declarations that list the lot (a filter on a list field means "contains").
    filters: ['direction', 'declarationNumber', 'status', 'port', 'lotIds'],
    textField: 'declarationNumber',
  },
];

const byType = new Map(ARCHIVE_KINDS.map((kind) => [kind.recordType, kind]));
const byCollection = new Map(ARCHIVE_KINDS.map((kind) => [kind.collection, kind]));

export function kindOfType(recordType: string): ArchiveKind | undefined {
  return byType.get(recordType as ArchiveRecordType);
}

export function kindOfCollection(collection: string): ArchiveKind | undefined {
  return byCollection.get(collection);
}
