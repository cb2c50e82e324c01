import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a notification's signature travels in (EPCIS 2.0 REST binding, query subscriptions). */
export const SIGNATURE_HEADER = 'GS1-Signature';
const SCHEME = 'sha256=';

/**
 * The GS1-Signature value of a notification: HMAC-SHA256 keyed with the subscription's
 * signatureToken over the exact bytes of the request body, hex, after "sha256=". The standard
 * leaves the algorithm to the implementation; this is the one docs/product-control.md documents.
 */
export function signatureOf(signatureToken: string, body: string): string {
  return `${SCHEME}${createHmac('sha256', signatureToken).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifySignature(signatureToken: string, body: string, header: string | null | undefined): boolean {
  if (header === null || header === undefined || !header.startsWith(SCHEME)) return false;
  const expected = Buffer.from(signatureOf(signatureToken, body));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
