import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSET_82 } from './application-identifiers.js';
import { buildDigitalLink, type DigitalLinkKeys, parseDigitalLink, parseDigitalLinkPath } from './digital-link.js';
import { DigitalLinkException, type DigitalLinkRefusal } from './digital-link.exception.js';
import { gs1CheckDigit } from './gtin.js';

const GTIN = '09506000134352'; // GS1's example GTIN in the Digital Link standard
const GS1 = 'https://id.gs1.org';

function refusal(action: () => unknown): DigitalLinkRefusal | 'no refusal' {
  try {
    action();
  } catch (error) {
    if (error instanceof DigitalLinkException) return error.reason;
    throw error;
  }
  return 'no refusal';
}

describe('buildDigitalLink', () => {
  it('builds the GS1 example with the default resolver', () => {
    expect(buildDigitalLink({ gtin: GTIN, serial: 'ABC' })).toBe(`${GS1}/01/${GTIN}/21/ABC`);
  });

  it('puts the qualifiers in the order 22, 10, 21 whatever the order of the keys, and the expiry in the query', () => {
    const keys: DigitalLinkKeys = { serial: 'XYZ', expiry: '271231', lot: 'ABC123', cpv: '2A', gtin: GTIN };
    expect(buildDigitalLink(keys)).toBe(`${GS1}/01/${GTIN}/22/2A/10/ABC123/21/XYZ?17=271231`);
    expect(buildDigitalLink({ gtin: GTIN, lot: 'L1' })).toBe(`${GS1}/01/${GTIN}/10/L1`);
    expect(buildDigitalLink({ gtin: GTIN })).toBe(`${GS1}/01/${GTIN}`);
  });

  it.each([
    ['96385074', '00000096385074'], // GTIN-8
    ['036000291452', '00036000291452'], // GTIN-12
    ['4006381333931', '04006381333931'], // GTIN-13
  ])('expresses GTIN %s as the GTIN-14 %s', (gtin, gtin14) => {
    expect(buildDigitalLink({ gtin, serial: '1' })).toBe(`${GS1}/01/${gtin14}/21/1`);
  });

  it('uses the resolver given, with or without a trailing slash or a path prefix', () => {
    expect(buildDigitalLink({ gtin: GTIN, serial: 'S' }, { resolver: 'http://127.0.0.1:8080/' })).toBe(`http://127.0.0.1:8080/01/${GTIN}/21/S`);
    expect(buildDigitalLink({ gtin: GTIN, serial: 'S' }, { resolver: 'https://brand.example/id' })).toBe(`https://brand.example/id/01/${GTIN}/21/S`);
    for (const resolver of ['id.gs1.org', 'ftp://id.gs1.org', 'https://', 'https://a.example/?x=1', 'https://a b.example']) {
      expect(refusal(() => buildDigitalLink({ gtin: GTIN }, { resolver }))).toBe('bad-resolver');
    }
  });

  it('percent-encodes every set-82 character but A-Z a-z 0-9 - . _, in upper-case hex', () => {
    const specials = '!"%&\'()*+,/:;<=>?';
    const expected = '%21%22%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F';
    expect(buildDigitalLink({ gtin: GTIN, lot: specials })).toBe(`${GS1}/01/${GTIN}/10/${expected}`);
    expect(buildDigitalLink({ gtin: GTIN, serial: 'a-Z.9_' })).toBe(`${GS1}/01/${GTIN}/21/a-Z.9_`);
    expect(buildDigitalLink({ gtin: GTIN, attributes: { '90': 'A/B' } })).toBe(`${GS1}/01/${GTIN}?90=A%2FB`);
  });

  it('emits other data attributes after the expiry, by AI', () => {
    expect(buildDigitalLink({ gtin: GTIN, serial: 'S', expiry: '271200', attributes: { '3103': '000189', '15': '271130' } })).toBe(
      `${GS1}/01/${GTIN}/21/S?17=271200&15=271130&3103=000189`,
    );
  });

  it.each<[string, DigitalLinkKeys, DigitalLinkRefusal]>([
    ['a short GTIN', { gtin: '1234567' }, 'bad-gtin'],
    ['a GTIN with letters', { gtin: '0950600013435A' }, 'bad-gtin'],
    ['a wrong check digit', { gtin: '09506000134353' }, 'bad-check-digit'],
    ['an empty serial', { gtin: GTIN, serial: '' }, 'empty-value'],
    ['a serial with a space', { gtin: GTIN, serial: 'A B' }, 'bad-characters'],
    ['a serial outside ASCII', { gtin: GTIN, serial: 'Ä1' }, 'bad-characters'],
    ['a serial with #', { gtin: GTIN, serial: 'A#1' }, 'bad-characters'],
    ['a 21-character serial', { gtin: GTIN, serial: 'S'.repeat(21) }, 'too-long'],
    ['a 21-character lot', { gtin: GTIN, lot: 'L'.repeat(21) }, 'too-long'],
    ['a 21-character CPV', { gtin: GTIN, cpv: 'V'.repeat(21) }, 'too-long'],
    ['month 13', { gtin: GTIN, expiry: '271332' }, 'bad-expiry'],
    ['30 February', { gtin: GTIN, expiry: '270230' }, 'bad-expiry'],
    ['a 4-digit expiry', { gtin: GTIN, expiry: '2712' }, 'bad-expiry'],
    ['an unknown attribute', { gtin: GTIN, attributes: { '9999': '1' } }, 'unknown-ai'],
    ['an attribute in the wrong format', { gtin: GTIN, attributes: { '3103': '12' } }, 'bad-format'],
    ['an impossible best-before date', { gtin: GTIN, attributes: { '15': '271340' } }, 'bad-format'],
    ['a serial passed as attribute', { gtin: GTIN, attributes: { '21': 'S' } }, 'duplicate-ai'],
  ])('refuses %s', (_, keys, reason) => {
    expect(refusal(() => buildDigitalLink(keys))).toBe(reason);
  });

  it('accepts 20 characters, the longest lot, serial and CPV', () => {
    const twenty = 'A'.repeat(20);
    expect(parseDigitalLink(buildDigitalLink({ gtin: GTIN, cpv: twenty, lot: twenty, serial: twenty }))).toEqual({
      gtin: GTIN,
      cpv: twenty,
      lot: twenty,
      serial: twenty,
    });
  });
});

describe('parseDigitalLink', () => {
  it('parses every key, from any domain', () => {
    expect(parseDigitalLink(`https://brand.example/01/${GTIN}/22/2A/10/ABC123/21/XYZ?17=271231`)).toEqual({
      gtin: GTIN,
      cpv: '2A',
      lot: 'ABC123',
      serial: 'XYZ',
      expiry: '271231',
    });
  });

  it('accepts an upper-case scheme and host, as QR alphanumeric mode writes them', () => {
    expect(parseDigitalLink(`HTTPS://ID.GS1.ORG/01/${GTIN}/21/ABC`)).toEqual({ gtin: GTIN, serial: 'ABC' });
    expect(parseDigitalLink(`Http://Localhost:8080/01/${GTIN}/21/ABC`)).toEqual({ gtin: GTIN, serial: 'ABC' });
  });

  it('skips a custom path prefix, even one holding 01, and a fragment', () => {
    expect(parseDigitalLink(`https://brand.example/2024/01/x/01/${GTIN}/21/01#top`)).toEqual({ gtin: GTIN, serial: '01' });
  });

  it('normalises GTIN-8, -12 and -13 to GTIN-14', () => {
    expect(parseDigitalLinkPath('/01/96385074/21/A').gtin).toBe('00000096385074');
    expect(parseDigitalLinkPath('/01/036000291452').gtin).toBe('00036000291452');
    expect(parseDigitalLinkPath('/01/4006381333931').gtin).toBe('04006381333931');
  });

  it('decodes percent-encoding in either hex case', () => {
    expect(parseDigitalLinkPath(`/01/${GTIN}/10/A%2fB%2FC%21/21/%41`)).toEqual({ gtin: GTIN, lot: 'A/B/C!', serial: 'A' });
  });

  it('keeps other GS1 data attributes, ignores non-GS1 parameters, and takes ; as a separator', () => {
    expect(parseDigitalLinkPath(`/01/${GTIN}/21/S?linkType=gs1:pip&3103=000189;15=271200&context=x&17=280229`)).toEqual({
      gtin: GTIN,
      serial: 'S',
      expiry: '280229',
      attributes: { '3103': '000189', '15': '271200' },
    });
  });

  it('takes the lot from the query string when the path has none, as the grammar allows', () => {
    expect(parseDigitalLinkPath(`/01/${GTIN}/21/S?10=LOT%2F7`)).toEqual({ gtin: GTIN, serial: 'S', lot: 'LOT/7' });
  });

  it.each([
    ['271231', true],
    ['271332', false], // month 13
    ['271200', true], // DD 00: the end of the month
    ['270229', false],
    ['280229', true], // 2028 is a leap year
    ['270001', false], // month 00
    ['27123', false],
    ['2712311', false],
    ['27I231', false],
  ])('checks the expiry 17=%s (valid: %s)', (expiry, valid) => {
    const uri = `${GS1}/01/${GTIN}/21/S?17=${expiry}`;
    if (valid) expect(parseDigitalLink(uri).expiry).toBe(expiry);
    else expect(refusal(() => parseDigitalLink(uri))).toBe('bad-expiry');
  });

  it.each<[string, string, DigitalLinkRefusal]>([
    ['an ftp URI', `ftp://id.gs1.org/01/${GTIN}`, 'not-digital-link'],
    ['a URI without path', GS1, 'not-digital-link'],
    ['a path without 01', `${GS1}/00/106141412345678908`, 'not-digital-link'],
    ['a dangling AI', `${GS1}/01/${GTIN}/21`, 'not-digital-link'],
    ['a trailing slash', `${GS1}/01/${GTIN}/21/S/`, 'not-digital-link'],
    ['a space', `${GS1}/01/${GTIN}/21/A B`, 'not-digital-link'],
    ['a 9-digit GTIN', `${GS1}/01/123456789`, 'bad-gtin'],
    ['a wrong check digit', `${GS1}/01/09506000134353/21/S`, 'bad-check-digit'],
    ['an unknown path AI', `${GS1}/01/${GTIN}/999/X`, 'unknown-ai'],
    ['an internal attribute in the path', `${GS1}/01/${GTIN}/99/X`, 'bad-order'],
    ['AI 235, which this codec does not issue', `${GS1}/01/${GTIN}/235/X`, 'unknown-ai'],
    ['an unknown query AI', `${GS1}/01/${GTIN}?9999=1`, 'unknown-ai'],
    ['21 before 10', `${GS1}/01/${GTIN}/21/S/10/L`, 'bad-order'],
    ['10 before 22', `${GS1}/01/${GTIN}/10/L/22/V`, 'bad-order'],
    ['an attribute in the path', `${GS1}/01/${GTIN}/17/271231`, 'bad-order'],
    ['a serial in the query', `${GS1}/01/${GTIN}?21=S`, 'bad-order'],
    ['a CPV in the query', `${GS1}/01/${GTIN}/21/S?22=V`, 'bad-order'],
    ['a repeated qualifier', `${GS1}/01/${GTIN}/10/A/10/B`, 'duplicate-ai'],
    ['a repeated attribute', `${GS1}/01/${GTIN}?17=271231&17=271231`, 'duplicate-ai'],
    ['a lot in path and query', `${GS1}/01/${GTIN}/10/A?10=A`, 'duplicate-ai'],
    ['a GTIN in the query', `${GS1}/01/${GTIN}?01=${GTIN}`, 'duplicate-ai'],
    ['an empty serial', `${GS1}/01/${GTIN}/21/?17=271231`, 'empty-value'],
    ['an attribute without value', `${GS1}/01/${GTIN}?3103`, 'empty-value'],
    ['an unencoded !', `${GS1}/01/${GTIN}/21/A!B`, 'bad-characters'],
    ['an unencoded (', `${GS1}/01/${GTIN}/10/A(1)`, 'bad-characters'],
    ['an unencoded + in the query', `${GS1}/01/${GTIN}?10=A+B`, 'bad-characters'],
    ['an encoded space', `${GS1}/01/${GTIN}/21/A%20B`, 'bad-characters'],
    ['an encoded #', `${GS1}/01/${GTIN}/21/A%23B`, 'bad-characters'],
    ['a non-ASCII byte', `${GS1}/01/${GTIN}/21/A%C3%A4`, 'bad-characters'],
    ['a malformed escape', `${GS1}/01/${GTIN}/21/A%G1`, 'bad-characters'],
    ['a truncated escape', `${GS1}/01/${GTIN}/21/A%2`, 'bad-characters'],
    ['a ~, unreserved in URIs but not in set 82', `${GS1}/01/${GTIN}/21/A~B`, 'bad-characters'],
    ['a 21-character serial', `${GS1}/01/${GTIN}/21/${'S'.repeat(21)}`, 'too-long'],
    ['a 21-character lot, counted decoded', `${GS1}/01/${GTIN}/10/${'%2F'.repeat(21)}`, 'too-long'],
    ['an impossible expiry', `${GS1}/01/${GTIN}?17=271332`, 'bad-expiry'],
    ['a net weight of 2 digits', `${GS1}/01/${GTIN}?3103=12`, 'bad-format'],
  ])('refuses %s', (_, uri, reason) => {
    expect(refusal(() => parseDigitalLink(uri))).toBe(reason);
  });

  it('says why in the message', () => {
    expect(() => parseDigitalLink(`${GS1}/01/${GTIN}/21/S/10/L`)).toThrow('AI 10 comes after AI 21: the path order is 22, 10, 21');
    expect(() => parseDigitalLink(`${GS1}/01/09506000134353`)).toThrow('check digit should be 2, not 3');
  });
});

describe('parseDigitalLinkPath', () => {
  it('parses what a resolver receives', () => {
    expect(parseDigitalLinkPath(`/01/${GTIN}/21/ABC?17=271231`)).toEqual({ gtin: GTIN, serial: 'ABC', expiry: '271231' });
  });

  it('refuses what is no path', () => {
    expect(refusal(() => parseDigitalLinkPath(`01/${GTIN}`))).toBe('not-digital-link');
    expect(refusal(() => parseDigitalLinkPath(`${GS1}/01/${GTIN}`))).toBe('not-digital-link');
  });
});

describe('round trips', () => {
  const set82Value = fc
    .array(fc.constantFrom(...[...Array(128).keys()].map((code) => String.fromCharCode(code)).filter((c) => CSET_82.test(c))), {
      minLength: 1,
      maxLength: 20,
    })
    .map((characters) => characters.join(''));
  const gtin14 = fc.stringMatching(/^\d{13}$/).map((body) => `${body}${gs1CheckDigit(body)}`);
  const expiry = fc
    .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2049, 11, 31)), noInvalidDate: true })
    .map((date) => date.toISOString().slice(2, 10).replaceAll('-', ''));

  it('parse(build(keys)) is keys, for any GTIN, set-82 qualifiers and valid expiry', () => {
    fc.assert(
      fc.property(
        fc.record(
          { gtin: gtin14, cpv: set82Value, lot: set82Value, serial: set82Value, expiry },
          { requiredKeys: ['gtin'] },
        ),
        (keys) => {
          const uri = buildDigitalLink(keys);
          expect(parseDigitalLink(uri)).toEqual(keys);
          expect(parseDigitalLinkPath(uri.slice(GS1.length))).toEqual(keys);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('build(parse(uri)) is uri for canonical URIs', () => {
    const uri = `${GS1}/01/${GTIN}/22/V%2F1/10/L-1.2_3/21/S%28x%29?17=271200&3103=000189`;
    expect(buildDigitalLink(parseDigitalLink(uri))).toBe(uri);
  });
});
