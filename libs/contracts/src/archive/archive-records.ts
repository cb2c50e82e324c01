import { z } from 'zod';

// The archive's records as the API shows them and the ledger anchors them: every version of every
// merchant, brand, factory, product, inspection standard, lot and customs declaration. Records
// carry their id, version and recordedAt; references are ids of current records of another type.

const isoDate = z.iso.date();
const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in upper case, e.g. FR');
const reference = z.uuid();
const text = (max: number) => z.string().trim().min(1, 'required').max(max);

export const RecordTypes = {
  merchant: 'archive.merchant',
  brand: 'archive.brand',
  factory: 'archive.factory',
  product: 'archive.product',
  inspectionStandard: 'archive.inspection-standard',
  lot: 'archive.lot',
  customsDeclaration: 'customs.declaration',
} as const;
export type ArchiveRecordType = (typeof RecordTypes)[keyof typeof RecordTypes];

const recordBase = { id: z.uuid(), version: z.number().int().positive(), recordedAt: z.iso.datetime({ offset: true }) };

export const merchantFields = z.object({
  legalName: text(300),
  country,
  /** The registration that identifies the importer in its country (e.g. a unified social credit code). */
  registrationNumber: text(64),
  otherRegistrations: z.array(z.object({ scheme: text(64), number: text(64) })).max(20).default([]),
});

export const brandFields = z.object({
  name: text(200),
  ownerMerchantId: reference,
  trademarks: z.array(z.object({ office: text(64), number: text(64), classes: z.array(z.number().int().min(1).max(45)).max(45).default([]) })).max(50).default([]),
});

export const certificationSchema = z
  .object({
    type: text(64),
    issuer: text(200),
    number: text(64),
    validFrom: isoDate,
    validTo: isoDate,
    /** SHA-256 (hex) of the certificate document, so the archive commits to the very file. */
    documentHash: z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex SHA-256').optional(),
    /** Set when the issuer revoked the certificate before validTo; product control holds the factory's lots (docs/product-control.md). */
    revokedAt: isoDate.optional(),
    revocationReason: text(500).optional(),
  })
  .refine((certification) => certification.validFrom <= certification.validTo, { message: 'validTo is before validFrom', path: ['validTo'] });

export const factoryFields = z.object({
  name: text(300),
  country,
  address: text(500),
  /** GS1 Global Location Number, where the factory has one. */
  gln: z.string().regex(/^\d{13}$/, 'a GLN has 13 digits').optional(),
  certifications: z.array(certificationSchema).max(100).default([]),
});

export const productFields = z.object({
  gtin: z.string().regex(/^\d{14}$/),
  name: text(300),
  brandId: reference,
  factoryId: reference.optional(),
  category: text(100),
  hsCode: z.string().regex(/^\d{6,10}$/, 'an HS code has 6 to 10 digits'),
  originCountry: country,
  shelfLifeDays: z.number().int().positive().max(36_500).optional(),
});

export const INSPECTION_LEVELS = ['S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III'] as const;
/** ISO 2859-1's preferred AQL series (percent nonconforming or nonconformities per 100 items). */
export const AQL_VALUES = [0.01, 0.015, 0.025, 0.04, 0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10, 15, 25, 40, 65, 100, 150, 250, 400, 650, 1000] as const;

export const inspectionStandardFields = z.object({
  category: text(100),
  items: z
    .array(z.object({ name: text(200), method: text(300), limit: text(200) }))
    .min(1, 'an inspection standard lists at least one item')
    .max(200),
  defaultLevel: z.enum(INSPECTION_LEVELS),
  defaultAql: z.number().refine((value) => (AQL_VALUES as readonly number[]).includes(value), 'an AQL from the ISO 2859-1 preferred series'),
});

export const lotFields = z
  .object({
    productId: reference,
    lotNumber: z.string().trim().regex(/^[\x21-\x22\x25-\x2F\x30-\x39\x3A-\x3F\x41-\x5A\x5F\x61-\x7A]{1,20}$/, 'a GS1 AI (10) lot: 1 to 20 characters of GS1 AI encodable set 82'),
    quantity: z.number().int().positive(),
    productionDate: isoDate,
    expiryDate: isoDate,
  })
  .refine((lot) => lot.productionDate <= lot.expiryDate, { message: 'expiryDate is before productionDate', path: ['expiryDate'] });

export const CUSTOMS_STATUSES = ['declared', 'under-inspection', 'cleared', 'rejected'] as const;

export const customsDeclarationFields = z.object({
  direction: z.enum(['export', 'import']),
  declarationNumber: text(64),
  port: text(200),
  date: isoDate,
  status: z.enum(CUSTOMS_STATUSES),
  lotIds: z.array(reference).min(1, 'a declaration covers at least one lot').max(1_000),
  quarantineCertificateNumber: text(64).optional(),
});

/** Each record type's fields (what a client sends) — the record adds id, version and recordedAt. */
export const ArchiveFields = {
  [RecordTypes.merchant]: merchantFields,
  [RecordTypes.brand]: brandFields,
  [RecordTypes.factory]: factoryFields,
  [RecordTypes.product]: productFields,
  [RecordTypes.inspectionStandard]: inspectionStandardFields,
  [RecordTypes.lot]: lotFields,
  [RecordTypes.customsDeclaration]: customsDeclarationFields,
} as const satisfies Record<ArchiveRecordType, z.ZodType>;

export type ArchiveFieldsOf<T extends ArchiveRecordType> = z.infer<(typeof ArchiveFields)[T]>;
export type ArchiveRecord<T extends ArchiveRecordType = ArchiveRecordType> = ArchiveFieldsOf<T> & {
  id: string;
  version: number;
  recordedAt: string;
};

export const archiveRecordBaseSchema = z.object(recordBase).passthrough();

export const ARCHIVE_RECORD_TYPES = Object.values(RecordTypes);

/** REST collections under /v1 and the record type each holds. */
export const ARCHIVE_COLLECTIONS: Readonly<Record<string, ArchiveRecordType>> = {
  merchants: RecordTypes.merchant,
  brands: RecordTypes.brand,
  factories: RecordTypes.factory,
  products: RecordTypes.product,
  'inspection-standards': RecordTypes.inspectionStandard,
  lots: RecordTypes.lot,
  'customs-declarations': RecordTypes.customsDeclaration,
};
