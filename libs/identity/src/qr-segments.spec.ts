import fc from 'fast-check';
import QRCode, { type QRCode as QrCode } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { buildDigitalLink } from './digital-link.js';
import { qrFriendlyUri } from './qr-code.js';
import { optimalQrSegments } from './qr-segments.js';
import { newSerials } from './serial-number.js';

/** Data bits of a symbol's segments at versions 1-9: mode, character count and data. */
function dataBits(code: QrCode): number {
  return code.segments.reduce((bits, segment) => bits + 4 + (segment.mode.ccBits[0] ?? 0) + segment.getBitsLength(), 0);
}

function text(segments: ReturnType<typeof optimalQrSegments>): string {
  return (segments ?? []).map((segment) => (typeof segment.data === 'string' ? segment.data : Buffer.from(segment.data as Uint8Array).toString('latin1'))).join('');
}

describe('optimalQrSegments', () => {
  it('splits a Digital Link into alphanumeric, numeric and byte runs', () => {
    const segments = optimalQrSegments('HTTPS://ID.GS1.ORG/01/09506000134352/21/ABC?17=271231');
    expect(segments?.map((segment) => segment.mode)).toEqual(['alphanumeric', 'numeric', 'alphanumeric', 'byte', 'numeric']);
    expect(text(segments)).toBe('HTTPS://ID.GS1.ORG/01/09506000134352/21/ABC?17=271231');
  });

  it('leaves non-ASCII and empty text to qrcode', () => {
    expect(optimalQrSegments('https://例え.jp/01/1')).toBeUndefined();
    expect(optimalQrSegments('')).toBeUndefined();
  });

  it('never takes more bits, nor a bigger version, than qrcode finds itself', () => {
    const links = newSerials(200).flatMap((serial) => {
      const link = buildDigitalLink({ gtin: '09506000134352', lot: 'L0T-7/a', serial, expiry: '271200' });
      return [link, qrFriendlyUri(link)];
    });
    const arbitrary = fc.sample(fc.stringMatching(/^[a-zA-Z0-9 $%*+\-./:?=&#~]{1,150}$/), { numRuns: 400, seed: 7 });
    for (const sample of [...links, ...arbitrary]) {
      const segments = optimalQrSegments(sample);
      expect(text(segments)).toBe(sample);
      const ours = QRCode.create(segments ?? sample, { errorCorrectionLevel: 'M' });
      const theirs = QRCode.create(sample, { errorCorrectionLevel: 'M' });
      expect(ours.version).toBeLessThanOrEqual(theirs.version);
      if (theirs.version <= 9) expect(dataBits(ours)).toBeLessThanOrEqual(dataBits(theirs));
    }
  });
});
