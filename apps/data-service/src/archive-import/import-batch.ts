import { DomainException } from '@traceport/errors';
import { parseGtin } from '@traceport/identity';
import type { EntityManager } from 'typeorm';
import { kindOfType } from '../archive/archive-kinds.js';
import { parseArchiveFields } from '../archive/archive-fields.parser.js';
import type { ArchiveService, ArchiveView } from '../archive/archive.service.js';
import { IMPORT_TYPES, type CsvRow, type ImportType, type RowProblem } from './csv-row.js';

/** Natural keys: what makes a record the same record, and what references in a file point at. */
type KeySpace = 'merchant' | 'brand' | 'factory' | 'product' | 'lot';

function naturalKey(type: ImportType, fields: Record<string, unknown>): string | undefined {
  switch (type) {
    case 'merchant':
      return `${String(fields['country'])}:${String(fields['registrationNumber'])}`;
    case 'brand':
      return String(fields['name']).toLowerCase();
    case 'factory':
      return typeof fields['gln'] === 'string' ? fields['gln'] : undefined;
    case 'product':
      return String(fields['gtin']);
    case 'lot':
      return `${String(fields['productId'])}:${String(fields['lotNumber'])}`;
    default:
      return undefined;
  }
}

/** Current ids by natural key, for the keys a batch creates or refers to, read in one query per space. */
async function lookUp(manager: EntityManager, space: KeySpace, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const expression: Record<KeySpace, string> = {
    merchant: `("record"->>'country') || ':' || ("record"->>'registrationNumber')`,
    brand: `lower("record"->>'name')`,
    factory: `"record"->>'gln'`,
    product: `"record"->>'gtin'`,
    lot: `("record"->>'productId') || ':' || ("record"->>'lotNumber')`,
  };
  const rows: { id: string; key: string }[] = await manager.query(
    `SELECT "id", ${expression[space]} AS "key" FROM "data_service"."archive_records"
     WHERE "record_type" = $1 AND "superseded_at" IS NULL AND ${expression[space]} = ANY($2::text[])`,
    [IMPORT_TYPES[space], [...new Set(keys)]],
  );
  return new Map(rows.map((row) => [row.key, row.id]));
}

function gtin14(value: string): string {
  const parsed = parseGtin(value);
  return parsed.ok ? parsed.gtin14 : value;
}

export interface BatchOutcome {
  /** The records the batch stored, one per valid row. */
  readonly created: readonly ArchiveView[];
  readonly problems: RowProblem[];
}

/**
 * Stores one batch of rows in the caller's transaction: references resolved by natural key
 * (records already stored, or created earlier in the batch), each row validated like a single
 * write, duplicates refused; the valid rows are stored in one statement. A bad row is reported and
 * skipped; it never fails the batch.
 */
export async function importBatch(manager: EntityManager, archive: ArchiveService, rows: readonly (CsvRow | RowProblem)[]): Promise<BatchOutcome> {
  const problems: RowProblem[] = [];
  const valid = rows.filter((row): row is CsvRow => 'type' in row);
  problems.push(...rows.filter((row): row is RowProblem => !('type' in row)));

  const keysOf = (space: KeySpace) =>
    valid.flatMap((row) => {
      if (row.type === space) return [naturalKey(space, space === 'product' && typeof row.fields['gtin'] === 'string' ? { ...row.fields, gtin: gtin14(row.fields['gtin']) } : row.fields) ?? ''];
      if (space === 'merchant' && row.references['ownerMerchant']) return [row.references['ownerMerchant']];
      if (space === 'brand' && row.references['brand']) return [row.references['brand'].toLowerCase()];
      if (space === 'factory' && row.references['factory']) return [row.references['factory']];
      if (space === 'product' && row.references['product']) return [gtin14(row.references['product'])];
      return [];
    });
  const known: Record<KeySpace, Map<string, string>> = {
    merchant: await lookUp(manager, 'merchant', keysOf('merchant')),
    brand: await lookUp(manager, 'brand', keysOf('brand')),
    factory: await lookUp(manager, 'factory', keysOf('factory')),
    product: await lookUp(manager, 'product', keysOf('product')),
    lot: new Map(),
  };
  const lotKeys = valid.filter((row) => row.type === 'lot' && row.references['product']).map((row) => `${known.product.get(gtin14(row.references['product']!)) ?? ''}:${String(row.fields['lotNumber'])}`);
  known.lot = await lookUp(manager, 'lot', lotKeys);

  const entries: { kind: NonNullable<ReturnType<typeof kindOfType>>; id: string; fields: Record<string, unknown> }[] = [];
  for (const row of valid) {
    const kind = kindOfType(IMPORT_TYPES[row.type])!;
    const fields = { ...row.fields };
    const resolve = (column: string, space: KeySpace, field: string, key: string, noun: string) => {
      const id = known[space].get(key);
      if (id === undefined) problems.push({ line: row.line, field: column, message: `no ${noun} ${row.references[column]} in the archive or earlier in the file` });
      else fields[field] = id;
    };
    if (row.references['ownerMerchant'] !== undefined) resolve('ownerMerchant', 'merchant', 'ownerMerchantId', row.references['ownerMerchant'], 'merchant');
    if (row.references['brand'] !== undefined) resolve('brand', 'brand', 'brandId', row.references['brand'].toLowerCase(), 'brand');
    if (row.references['factory'] !== undefined) resolve('factory', 'factory', 'factoryId', row.references['factory'], 'factory with GLN');
    if (row.references['product'] !== undefined) resolve('product', 'product', 'productId', gtin14(row.references['product']), 'product with GTIN');
    if (problems.some((problem) => problem.line === row.line)) continue;

    let parsed: Record<string, unknown>;
    try {
      parsed = parseArchiveFields(kind, fields);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      for (const violation of error.violations) problems.push({ line: row.line, field: violation.field, message: violation.message });
      continue;
    }
    const key = naturalKey(row.type, parsed);
    if (key !== undefined && known[row.type].has(key)) {
      problems.push({ line: row.line, field: row.type, message: `${kind.noun} already in the archive (${Object.values(kind.naturalKeys)[0]?.message ?? 'duplicate'})` });
      continue;
    }
    const id = crypto.randomUUID();
    if (key !== undefined) known[row.type].set(key, id);
    entries.push({ kind, id, fields: parsed });
  }
  return { created: await archive.insertNew(manager, entries), problems };
}
