import type { HoldCause } from './hold.service.js';

interface Certification {
  readonly type: string;
  readonly issuer: string;
  readonly number: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
}

/** A certification lapse or revocation of a factory: it fires once (key), holding the factory's lots. */
export interface CertificationCause extends HoldCause {
  readonly key: string;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function certificationsOf(record: Record<string, unknown>): Certification[] {
  const list = Array.isArray(record['certifications']) ? (record['certifications'] as Record<string, unknown>[]) : [];
  return list.map((certification) => ({
    type: str(certification['type']),
    issuer: str(certification['issuer']),
    number: str(certification['number']),
    validFrom: str(certification['validFrom']),
    validTo: str(certification['validTo']),
    ...(typeof certification['revokedAt'] === 'string' ? { revokedAt: certification['revokedAt'] } : {}),
    ...(typeof certification['revocationReason'] === 'string' ? { revocationReason: certification['revocationReason'] } : {}),
  }));
}

const referenceOf = (factoryId: string, certification: Certification) => `${factoryId}/${certification.type}/${certification.number}`;

const validOn = (certification: Certification, day: string) =>
  certification.validFrom <= day && day <= certification.validTo && (certification.revokedAt === undefined || day < certification.revokedAt);

/**
 * The certifications of a factory record valid on a day, by reference: an expiry acts only on a
 * certification Traceport once saw valid, so one already lapsed when it was registered (which the
 * decision rules judge at each receipt) holds nothing.
 */
export function validCertificationReferences(factoryId: string, record: Record<string, unknown>, today: string): string[] {
  return certificationsOf(record)
    .filter((certification) => validOn(certification, today))
    .map((certification) => referenceOf(factoryId, certification));
}

/**
 * The certification causes a factory record shows on a day: a certificate revoked on or before
 * that day; a certificate past its validTo, unless another certificate of the same type is valid
 * that day (a renewal). Dates are ISO dates (YYYY-MM-DD), compared as text.
 */
export function certificationCausesOf(factoryId: string, record: Record<string, unknown>, today: string): CertificationCause[] {
  const certifications = certificationsOf(record);
  const causes: CertificationCause[] = [];
  for (const certification of certifications) {
    const reference = referenceOf(factoryId, certification);
    const named = `${certification.type} certificate ${certification.number} (${certification.issuer})`;
    if (certification.revokedAt !== undefined && certification.revokedAt <= today) {
      const why = certification.revocationReason === undefined ? '' : `: ${certification.revocationReason}`;
      causes.push({ key: `certification-revoked:${reference}`, kind: 'certification-revoked', reason: `${named} was revoked on ${certification.revokedAt}${why}`, reference });
    } else if (certification.validTo < today && !certifications.some((other) => other.type === certification.type && validOn(other, today))) {
      causes.push({ key: `certification-expired:${reference}`, kind: 'certification-expired', reason: `${named} expired on ${certification.validTo}`, reference });
    }
  }
  return causes;
}
