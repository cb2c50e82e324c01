import { describe, expect, it } from 'vitest';
import { copyText, copyTextField, JsonText } from './copy-rows.js';

describe('COPY text format', () => {
  it('writes NULL, booleans, numbers and timestamps as PostgreSQL reads them', () => {
    expect(copyTextField(null)).toBe('\\N');
    expect(copyTextField(true)).toBe('t');
    expect(copyTextField(false)).toBe('f');
    expect(copyTextField(42)).toBe('42');
    expect(copyTextField(new Date(Date.UTC(2026, 10, 26, 12, 0, 0, 5)))).toBe('2026-11-26T12:00:00.005Z');
  });

  it('escapes the backslash and the characters that would end a field or a row', () => {
    expect(copyTextField('plain urn:epc:id:sgtin:0614141.107346.2017')).toBe('plain urn:epc:id:sgtin:0614141.107346.2017');
    expect(copyTextField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // "\N" as text is two characters, not NULL
    expect(copyTextField('\\N')).toBe('\\\\N');
  });

  it('quotes every array element, so that commas, braces, spaces and "NULL" stay text', () => {
    expect(copyTextField([])).toBe('{}');
    expect(copyTextField(['a,b', '{c}', ' d ', 'NULL'])).toBe('{"a,b","{c}"," d ","NULL"}');
    // the element escape (\") and then the field escape (\\)
    expect(copyTextField(['say "hi"', 'back\\slash'])).toBe('{"say \\\\"hi\\\\"","back\\\\\\\\slash"}');
  });

  it('sends JSON text as it is, escaped only for the field', () => {
    expect(copyTextField(new JsonText('{"a":"tab\\there"}'))).toBe('{"a":"tab\\\\there"}');
  });

  it('writes bytes in the hex form of bytea', () => {
    expect(copyTextField(new Uint8Array([0, 0xab, 0xff]))).toBe('\\\\x00abff');
    expect(copyTextField(Buffer.from('hi'))).toBe('\\\\x6869');
  });

  it('ends every row with a newline and separates fields with a tab', () => {
    expect(copyText([['x', 1], [null, false]])).toBe('x\t1\n\\N\tf\n');
  });
});
