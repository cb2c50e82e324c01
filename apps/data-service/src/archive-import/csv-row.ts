import { RecordTypes } from '@traceport/contracts';

/**
 * One CSV file can carry every kind of archive row — merchants, brands, factories, products and
 * lots — one per line, in dependency order. Columns are the records' field names; references use
 * natural keys instead of ids, so a file can be written without knowing any id:
 *
 *   type      | reference column → resolved to
 *   brand     | ownerMerchant = "<country>:<registrationNumber>" → ownerMerchantId
 *   product   | brand = brand name → brandId;  factory = factory GLN → factoryId
 *   lot       | product = GTIN → productId
 *
 * Empty cells are absent fields. Numeric fields are converted; everything else stays text.
 */
export const IMPORT_TYPES = {
  merchant: RecordTypes.merchant,
  brand: RecordTypes.brand,
  factory: RecordTypes.factory,
  product: RecordTypes.product,
  lot: RecordTypes.lot,
} as const;
export type ImportType = keyof typeof IMPORT_TYPES;

const NUMERIC_FIELDS = new Set(['quantity', 'shelfLifeDays']);
const REFERENCE_COLUMNS: Record<ImportType, readonly string[]> = {
  merchant: [],
  brand: ['ownerMerchant'],
  factory: [],
  product: ['brand', 'factory'],
  lot: ['product'],
};

export interface CsvRow {
  /** 1-based line in the file, header included, as a spreadsheet shows it. */
  readonly line: number;
  readonly type: ImportType;
  readonly fields: Record<string, unknown>;
  readonly references: Readonly<Record<string, string>>;
}

export type RowProblem = { readonly line: number; readonly field: string; readonly message: string };

/** Splits a parsed CSV line into its type, plain fields and natural-key references. */
export function readRow(cells: Record<string, string>, line: number): CsvRow | RowProblem {
  const type = (cells['type'] ?? '').trim() as ImportType;
  if (!(type in IMPORT_TYPES)) {
    return { line, field: 'type', message: `type must be one of ${Object.keys(IMPORT_TYPES).join(', ')}` };
  }
  const fields: Record<string, unknown> = {};
  const references: Record<string, string> = {};
  for (const [column, raw] of Object.entries(cells)) {
    const value = raw.trim();
    if (column === 'type' || value === '') continue;
    if (REFERENCE_COLUMNS[type].includes(column)) references[column] = value;
    else if (NUMERIC_FIELDS.has(column)) fields[column] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    else fields[column] = value;
  }
  return { line, type, fields, references };
}
