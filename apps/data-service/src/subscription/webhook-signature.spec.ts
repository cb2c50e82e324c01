import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureOf, verifySignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  const token = '13df38d8275b13f05704629e5f1cf3d45d6132d5';
  const body = '{"type":"EPCISQueryDocument","epcisBody":{}}';

  it('is HMAC-SHA256 of the body keyed with the signatureToken, hex after sha256=', () => {
    expect(signatureOf(token, body)).toBe(`sha256=${createHmac('sha256', token).update(body).digest('hex')}`);
  });

  it('verifies the exact body and token only', () => {
    const header = signatureOf(token, body);
    expect(verifySignature(token, body, header)).toBe(true);
    expect(verifySignature(token, `${body} `, header)).toBe(false);
    expect(verifySignature('another token', body, header)).toBe(false);
    expect(verifySignature(token, body, undefined)).toBe(false);
    expect(verifySignature(token, body, header.replace('sha256=', 'sha1='))).toBe(false);
  });
});
