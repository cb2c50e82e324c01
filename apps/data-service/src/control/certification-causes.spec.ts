import { describe, expect, it } from 'vitest';
import { certificationCausesOf, validCertificationReferences } from './certification-causes.js';

const FACTORY = '5d1c8f36-8c0e-4a44-9d51-6e0f3c7b9a10';
const iso = (type: string, number: string, validFrom: string, validTo: string, extra: Record<string, string> = {}) => ({ type, issuer: 'BSI', number, validFrom, validTo, ...extra });

describe('certificationCausesOf', () => {
  it('finds nothing while every certificate is valid', () => {
    expect(certificationCausesOf(FACTORY, { certifications: [iso('ISO 22000', 'A-1', '2025-01-01', '2027-01-01')] }, '2026-06-01')).toEqual([]);
  });

  it('names a revocation from its date on, with its reason', () => {
    const record = { certifications: [iso('GMP', 'G-7', '2025-01-01', '2027-01-01', { revokedAt: '2026-06-01', revocationReason: 'audit failed' })] };
    expect(certificationCausesOf(FACTORY, record, '2026-05-31')).toEqual([]);
    const [cause] = certificationCausesOf(FACTORY, record, '2026-06-01');
    expect(cause).toEqual({
      key: `certification-revoked:${FACTORY}/GMP/G-7`,
      kind: 'certification-revoked',
      reason: 'GMP certificate G-7 (BSI) was revoked on 2026-06-01: audit failed',
      reference: `${FACTORY}/GMP/G-7`,
    });
  });

  it('names an expiry the day after validTo, unless a renewal of the same type is valid', () => {
    const expired = iso('ISO 9001', 'Q-1', '2023-01-01', '2026-05-31');
    expect(certificationCausesOf(FACTORY, { certifications: [expired] }, '2026-05-31')).toEqual([]);
    expect(certificationCausesOf(FACTORY, { certifications: [expired] }, '2026-06-01').map((cause) => cause.kind)).toEqual(['certification-expired']);
    const renewed = iso('ISO 9001', 'Q-2', '2026-05-01', '2029-05-31');
    expect(certificationCausesOf(FACTORY, { certifications: [expired, renewed] }, '2026-06-01')).toEqual([]);
  });

  it('names the certifications valid on a day, which an expiry later needs to have been seen', () => {
    const record = {
      certifications: [iso('ISO 22000', 'A-1', '2025-01-01', '2027-01-01'), iso('GMP', 'G-1', '2023-01-01', '2025-06-14'), iso('HACCP', 'H-1', '2025-01-01', '2027-01-01', { revokedAt: '2026-01-01' })],
    };
    expect(validCertificationReferences(FACTORY, record, '2026-06-01')).toEqual([`${FACTORY}/ISO 22000/A-1`]);
  });
});
