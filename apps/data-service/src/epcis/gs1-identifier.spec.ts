import { describe, expect, it } from 'vitest';
import { canonicalIdentifier, IdentifierProblem } from './gs1-identifier.js';

describe('canonicalIdentifier', () => {
  it.each([
    // EPC URNs (EPC Tag Data Standard) and the Digital Link URIs they are (GS1 Digital Link 1.2 §4.11).
    ['urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/10614141073464/21/2017'],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/998877'],
    ['urn:epc:idpat:sgtin:4012345.066666.*', 'https://id.gs1.org/01/04012345666663'],
    ['urn:epc:id:sscc:0614141.1234567890', 'https://id.gs1.org/00/106141412345678908'],
    ['urn:epc:id:sgln:0614141.07346.1234', 'https://id.gs1.org/414/0614141073467/254/1234'],
    ['urn:epc:id:sgln:0614141.00777.0', 'https://id.gs1.org/414/0614141007776'],
    ['urn:epc:id:pgln:0614141.00777', 'https://id.gs1.org/417/0614141007776'],
    ['urn:epc:id:grai:4012345.55555.987', 'https://id.gs1.org/8003/04012345555554987'],
    ['urn:epc:id:giai:4000001.12345', 'https://id.gs1.org/8004/400000112345'],
    // Digital Link on another domain, with a query, lot and serial, and a short GTIN.
    ['https://example.com/01/9506000134352/10/L1/21/A%2F1?linkType=all', 'https://id.gs1.org/01/09506000134352/21/A%2F1'],
    ['https://id.gs1.org/01/09506000134352', 'https://id.gs1.org/01/09506000134352'],
    // Not GS1 keys: kept as written.
    ['geo:47.506694,11.104301', 'geo:47.506694,11.104301'],
    ['https://accreditation.example.org/certificate/ABC', 'https://accreditation.example.org/certificate/ABC'],
    ['urn:epc:id:gid:95100000.12345.400', 'urn:epc:id:gid:95100000.12345.400'],
  ])('%s → %s', (input, canonical) => {
    expect(canonicalIdentifier(input).canonical).toBe(canonical);
  });

  it('gives URN and Digital Link forms of one item the same canonical form and keys', () => {
    const urn = canonicalIdentifier('urn:epc:id:sgtin:4012345.011111.987');
    const link = canonicalIdentifier('https://brand.example.com/gtin/04012345111118/lot/B7/ser/987');
    expect(link.canonical).toBe(urn.canonical);
    expect(urn).toMatchObject({ gtin: '04012345111118', serial: '987' });
    expect(link).toMatchObject({ gtin: '04012345111118', serial: '987', lot: 'B7' });
  });

  it('rejects a Digital Link whose GTIN, SSCC or GLN check digit is wrong, naming the right one', () => {
    expect(() => canonicalIdentifier('https://id.gs1.org/01/09506000134353/21/1')).toThrow(/check digit should be 2, not 3/);
    expect(() => canonicalIdentifier('https://id.gs1.org/00/106141412345678907')).toThrow(IdentifierProblem);
    expect(() => canonicalIdentifier('https://id.gs1.org/414/0614141073468')).toThrow(/should be 7/);
  });

  it('rejects a malformed EPC URN', () => {
    expect(() => canonicalIdentifier('urn:epc:id:sgtin:0614141.10734.2017')).toThrow(/13 digits/);
    expect(() => canonicalIdentifier('urn:epc:id:sgtin:0614141.107346')).toThrow(/3 dot-separated parts/);
  });
});
