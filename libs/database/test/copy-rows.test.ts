import { freshDatabase } from '@traceport/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows, JsonText, type CopyValue } from '../src/copy-rows.js';

// Round trips through the real PostgreSQL: what copyRows writes must read back exactly as given,
// for the awkward values an EPCIS document can carry in identifiers, arrays and bodies.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataSource: DataSource;

beforeAll(async () => {
  database = await freshDatabase('traceport_it_copy_rows');
  dataSource = new DataSource({ type: 'postgres', url: database.url });
  await dataSource.initialize();
  await dataSource.query(`CREATE TABLE "copied" ("id" bigint PRIMARY KEY, "name" text, "flag" boolean, "at" timestamptz, "tags" text[], "body" jsonb, "hash" bytea)`);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

const COLUMNS = ['id', 'name', 'flag', 'at', 'tags', 'body', 'hash'];

describe('copyRows', () => {
  it('writes rows that read back exactly, whatever characters they hold', async () => {
    const awkward = ['tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', 'quote"s', 'comma,s', '{brace}', 'NULL', '', ' spaced ', '汉字 ✓'];
    const body = { text: awkward.join('|'), nested: { list: awkward, number: 1.5, nothing: null } };
    const rows: CopyValue[][] = [
      [1, awkward.join(''), true, new Date(Date.UTC(2026, 10, 26, 12, 0, 0, 5)), awkward, new JsonText(JSON.stringify(body)), new Uint8Array([0, 9, 10, 92, 255])],
      [2, null, false, null, [], new JsonText('{}'), null],
    ];
    await dataSource.transaction((manager) => copyRows(manager, '"copied"', COLUMNS, rows));

    const read: { id: string; name: string | null; flag: boolean; at: Date | null; tags: string[]; body: unknown; hash: Buffer | null }[] = await dataSource.query(
      `SELECT "id"::text AS "id", "name", "flag", "at", "tags", "body", "hash" FROM "copied" ORDER BY "id"`,
    );
    expect(read).toEqual([
      { id: '1', name: awkward.join(''), flag: true, at: new Date(Date.UTC(2026, 10, 26, 12, 0, 0, 5)), tags: awkward, body, hash: Buffer.from([0, 9, 10, 92, 255]) },
      { id: '2', name: null, flag: false, at: null, tags: [], body: {}, hash: null },
    ]);
  });

  it('belongs to the caller’s transaction: a rollback leaves nothing', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await copyRows(manager, '"copied"', COLUMNS, [[3, 'gone', true, null, [], new JsonText('{}'), null]]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await dataSource.query(`SELECT 1 FROM "copied" WHERE "id" = 3`)).toEqual([]);
  });

  it('refuses to write outside a transaction', async () => {
    await expect(copyRows(dataSource.manager, '"copied"', COLUMNS, [[4, 'x', true, null, [], new JsonText('{}'), null]])).rejects.toThrow(/transaction/);
  });

  it('fails whole on a bad row, and the transaction with it', async () => {
    await expect(
      dataSource.transaction((manager) => copyRows(manager, '"copied"', COLUMNS, [[5, 'ok', true, null, [], new JsonText('{}'), null], [6, 'bad', true, null, [], new JsonText('{not json'), null]])),
    ).rejects.toThrow(/json/i);
    expect(await dataSource.query(`SELECT 1 FROM "copied" WHERE "id" IN (5, 6)`)).toEqual([]);
  });
});
