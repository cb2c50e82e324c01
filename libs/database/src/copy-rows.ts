import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

/**
 * A value as COPY's text format takes it: bytes go to a bytea column, and `JsonText` is JSON already
 * encoded (for a json or jsonb column), sent as is rather than encoded a second time.
 */
export type CopyValue = string | number | boolean | Date | null | readonly string[] | Uint8Array | JsonText;

export class JsonText {
  constructor(readonly json: string) {}
}

// COPY's text format: one line per row, tab between fields, `\N` for NULL, and a backslash escape for
// the backslash itself and for the three characters that would end a field or a row.
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escaped(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (character) => ESCAPES[character]!) : text;
}

/** A text[] literal: every element quoted, so that commas, braces, spaces and "NULL" stay text. */
function arrayLiteral(elements: readonly string[]): string {
  return `{${elements.map((element) => `"${/["\\]/.test(element) ? element.replace(/["\\]/g, '\\$&') : element}"`).join(',')}}`;
}

/** One field of a row in COPY's text format. */
export function copyTextField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return escaped(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof JsonText) return escaped(value.json);
  // bytea's hex form, \x…, with its backslash escaped for COPY
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  return escaped(arrayLiteral(value));
}

/** Rows in COPY's text format, each ending in a newline. */
export function copyText(rows: readonly (readonly CopyValue[])[]): string {
  let text = '';
  for (const row of rows) text += `${row.map(copyTextField).join('\t')}\n`;
  return text;
}

/**
 * Writes rows with COPY … FROM STDIN on the connection of the caller's transaction. A batch of a few
 * hundred rows costs PostgreSQL a fraction of an INSERT that unpacks the same rows from one JSON
 * parameter (json_to_recordset lexes every byte of every row, bodies included, before a row is
 * built). COPY returns nothing, so generated keys the caller needs are drawn beforehand.
 */
export async function copyRows(manager: EntityManager, table: string, columns: readonly string[], rows: readonly (readonly CopyValue[])[]): Promise<void> {
  if (rows.length === 0) return;
  const runner = manager.queryRunner;
  if (runner === undefined || !runner.isTransactionActive) throw new Error('copyRows writes in the caller’s transaction; call it inside one');
  const client = (await runner.connect()) as PoolClient;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.map((column) => `"${column}"`).join(', ')}) FROM STDIN`));
  // One write and the end, rather than a pipeline from a stream: stream.pipeline sets up an
  // AbortController per call and aborts it when done, building a DOMException with its stack each time.
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.once('finish', resolve);
    stream.end(copyText(rows));
  });
}
