import { DomainException } from '@traceport/errors';

export const IdentityErrorCode = {
  invalidQuantity: 'invalid-quantity',
  invalidGtin: 'invalid-gtin',
  invalidIndex: 'invalid-index',
  lotNotFound: 'lot-not-found',
  overIssuance: 'over-issuance',
  issuanceNotFound: 'issuance-not-found',
  issuanceNotFinished: 'issuance-not-finished',
  identityNotFound: 'identity-not-found',
} as const;

export const MAX_ISSUANCE_QUANTITY = 5_000_000;

export const invalidQuantity = (quantity: unknown) =>
  new DomainException(IdentityErrorCode.invalidQuantity, 'invalid', `quantity must be a whole number from 1 to ${MAX_ISSUANCE_QUANTITY.toLocaleString('en')}, not ${String(quantity)}`, [
    { field: 'quantity', message: `1 to ${MAX_ISSUANCE_QUANTITY}` },
  ]);

export const lotNotFound = (lotId: string) => new DomainException(IdentityErrorCode.lotNotFound, 'not_found', `no lot with id ${lotId}`);

export const issuanceNotFound = (id: string) => new DomainException(IdentityErrorCode.issuanceNotFound, 'not_found', `no identity issuance ${id}`);

export const identityNotFound = (gtin: string, serial: string) =>
  new DomainException(IdentityErrorCode.identityNotFound, 'not_found', `no identity with GTIN ${gtin} and serial ${serial} was issued`);

export const issuanceNotFinished = (id: string, status: string) =>
  new DomainException(IdentityErrorCode.issuanceNotFinished, 'conflict', `identity issuance ${id} is ${status}: its identities can be read once it has succeeded`);

/** What was asked, what the lot allows, and what would make room. */
export function overIssuance(lot: { id: string; lotNumber: string; quantity: number }, alreadyIssued: number, requested: number) {
  const room = Math.max(0, lot.quantity - alreadyIssued);
  return new DomainException(
    IdentityErrorCode.overIssuance,
    'conflict',
    `lot ${lot.lotNumber} (${lot.id}) declares ${lot.quantity} units and ${alreadyIssued} identities are issued or being issued for it, ` +
      `so ${room === 0 ? 'no more can be issued' : `at most ${room} more can be issued`}, not ${requested}: one identity per unit. ` +
      'If the lot is larger, record a new version of the lot with its real quantity first.',
  );
}
