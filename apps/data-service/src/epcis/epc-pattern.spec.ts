import { describe, expect, it } from 'vitest';
import { EpcPatternProblem, identifierSelectionOf, type IdentifierKind } from './epc-pattern.js';
import { canonicalIdentifier } from './gs1-identifier.js';

/** Whether a MATCH_ value selects an identifier (as stored: canonical). The expressions are plain enough for JavaScript's RegExp too. */
function selects(value: string, identifier: string, kind: IdentifierKind = 'instance'): boolean {
  const stored = canonicalIdentifier(identifier).canonical;
  const selection = identifierSelectionOf(value, kind);
  return selection.exact.includes(stored) || selection.patterns.some((pattern) => new RegExp(pattern).test(stored));
}

describe('EPC pure identity patterns (TDS §8) over canonical identifiers', () => {
  it.each([
    // Every serial of one GTIN, whichever form the item was captured in.
    ['urn:epc:idpat:sgtin:0614141.112345.*', 'urn:epc:id:sgtin:0614141.112345.400', true],
    ['urn:epc:idpat:sgtin:0614141.112345.*', 'https://example.com/01/10614141123459/21/A%2F1', true],
    ['urn:epc:idpat:sgtin:0614141.112345.*', 'urn:epc:id:sgtin:0614141.112346.400', false],
    // Every GTIN of one company prefix, with any indicator digit; not a prefix that merely shares digits.
    ['urn:epc:idpat:sgtin:0614141.*.*', 'urn:epc:id:sgtin:0614141.812345.6789', true],
    ['urn:epc:idpat:sgtin:0614141.*.*', 'urn:epc:id:sgtin:0614142.812345.6789', false],
    ['urn:epc:idpat:sgtin:0614141.*.*', 'urn:epc:id:sgtin:061414.1812345.6789', false],
    ['urn:epc:idpat:sgtin:*.*.*', 'urn:epc:id:sgtin:4012345.011111.987', true],
    ['urn:epc:idpat:sgtin:*.*.*', 'urn:epc:id:sscc:0614141.1234567890', false],
    // SSCCs of one company prefix, whatever their extension digit.
    ['urn:epc:idpat:sscc:0614141.*', 'urn:epc:id:sscc:0614141.1234567890', true],
    ['urn:epc:idpat:sscc:0614141.*', 'urn:epc:id:sscc:0614141.9234567890', true],
    ['urn:epc:idpat:sscc:0614141.*', 'urn:epc:id:sscc:0614142.1234567890', false],
    ['urn:epc:idpat:sscc:*.*', 'https://id.gs1.org/00/106141412345678908', true],
    // Locations: one GLN with or without an extension, or all of a company's.
    ['urn:epc:idpat:sgln:0614141.07346.*', 'urn:epc:id:sgln:0614141.07346.1234', true],
    ['urn:epc:idpat:sgln:0614141.07346.*', 'urn:epc:id:sgln:0614141.07346.0', true],
    ['urn:epc:idpat:sgln:0614141.07346.*', 'urn:epc:id:sgln:0614141.07347.0', false],
    ['urn:epc:idpat:sgln:0614141.*.*', 'urn:epc:id:sgln:0614141.00777.0', true],
    // Assets and documents.
    ['urn:epc:idpat:grai:4012345.55555.*', 'urn:epc:id:grai:4012345.55555.987', true],
    ['urn:epc:idpat:grai:4012345.*.*', 'urn:epc:id:grai:4012345.55556.1', true],
    ['urn:epc:idpat:grai:4012345.55555.*', 'urn:epc:id:grai:4012345.55556.987', false],
    ['urn:epc:idpat:giai:4000001.*', 'urn:epc:id:giai:4000001.12345', true],
    ['urn:epc:idpat:giai:4000001.*', 'urn:epc:id:giai:4000002.12345', false],
    ['urn:epc:idpat:gdti:0614141.12345.*', 'urn:epc:id:gdti:0614141.12345.006847', true],
    ['urn:epc:idpat:pgln:0614141.*', 'urn:epc:id:pgln:0614141.00777', true],
    ['urn:epc:idpat:cpi:0614141.123ABC.*', 'urn:epc:id:cpi:0614141.123ABC.123456789', true],
    ['urn:epc:idpat:cpi:0614141.*.*', 'urn:epc:id:cpi:0614142.123ABC.123456789', false],
    // Schemes kept as EPC URNs match as URNs.
    ['urn:epc:idpat:gid:95100000.12345.*', 'urn:epc:id:gid:95100000.12345.400', true],
    ['urn:epc:idpat:gid:95100000.12345.*', 'urn:epc:id:gid:95100000.12346.400', false],
    // No star: one identifier.
    ['urn:epc:idpat:sgtin:0614141.112345.400', 'https://id.gs1.org/01/10614141123459/21/400', true],
    ['urn:epc:idpat:sgtin:0614141.112345.400', 'https://id.gs1.org/01/10614141123459/21/401', false],
  ])('%s selects %s: %s', (pattern, identifier, expected) => {
    expect(selects(pattern, identifier)).toBe(expected);
  });

  it('takes a GTIN-only Digital Link, on any domain, as the GTIN-level pattern', () => {
    expect(selects('https://brand.example.com/01/10614141123459', 'urn:epc:id:sgtin:0614141.112345.400')).toBe(true);
    expect(selects('https://id.gs1.org/01/10614141123459', 'urn:epc:id:sgtin:0614141.112346.400')).toBe(false);
    // A serialised or lot-level Digital Link is one identifier, not a pattern.
    expect(identifierSelectionOf('https://id.gs1.org/01/10614141123459/21/400', 'instance').patterns).toEqual([]);
  });

  it('matches classes at GTIN level: the GTIN and each of its lots, not its serials', () => {
    for (const value of ['urn:epc:idpat:sgtin:0614141.112345.*', 'https://id.gs1.org/01/10614141123459']) {
      expect(selects(value, 'urn:epc:class:lgtin:0614141.112345.LOT-7', 'class')).toBe(true);
      expect(selects(value, 'https://id.gs1.org/01/10614141123459', 'class')).toBe(true);
      expect(selects(value, 'urn:epc:class:lgtin:0614141.112346.LOT-7', 'class')).toBe(false);
      expect(selects(value, 'urn:epc:id:sgtin:0614141.112345.400', 'class')).toBe(false);
    }
    expect(selects('urn:epc:idpat:sgtin:0614141.*.*', 'urn:epc:class:lgtin:0614141.112346.LOT-7', 'class')).toBe(true);
  });

  it.each([
    ['urn:epc:idpat:sgtin:0614141.*.400', 'only trailing components may be *'],
    ['urn:epc:idpat:sgtin:06141.*.*', 'a GS1 company prefix is 6 to 12 digits'],
    ['urn:epc:idpat:sgtin:0614141.11234.*', 'company prefix and item reference must be 13 digits together'],
    ['urn:epc:idpat:sscc:0614141.*.*', 'has 2 components, not 3'],
    ['urn:epc:idpat:sgln:0614141.0734.*', '12 digits together'],
  ])('refuses %s', (pattern, message) => {
    expect(() => identifierSelectionOf(pattern, 'instance')).toThrow(EpcPatternProblem);
    expect(() => identifierSelectionOf(pattern, 'instance')).toThrow(message);
  });
});
