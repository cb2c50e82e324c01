import { describe, expect, it } from 'vitest';
import { canonicalCbv, STANDARD_PREFIXES } from './cbv-vocabulary.js';

describe('canonicalCbv', () => {
  it.each(['shipping', 'urn:epcglobal:cbv:bizstep:shipping', 'cbv:BizStep-shipping', 'https://ref.gs1.org/cbv/BizStep-shipping'])(
    'reads %s as the GS1 Web URI',
    (value) => {
      expect(canonicalCbv('BizStep', value, STANDARD_PREFIXES)).toBe('https://ref.gs1.org/cbv/BizStep-shipping');
    },
  );

  it('keeps private vocabulary as written', () => {
    expect(canonicalCbv('BizStep', 'http://epcis.example.org/hc/bizstep/summarising_discharge')).toBe(
      'http://epcis.example.org/hc/bizstep/summarising_discharge',
    );
    expect(canonicalCbv('Disp', 'urn:epcglobal:cbv:disp:in_transit')).toBe('https://ref.gs1.org/cbv/Disp-in_transit');
  });
});
