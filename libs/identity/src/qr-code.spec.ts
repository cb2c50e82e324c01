import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { buildDigitalLink, parseDigitalLink, parseDigitalLinkPath } from './digital-link.js';
import { digitalLinkQrText, qrFriendlyUri, qrPng, qrPngForDigitalLink, qrSvg, qrSvgForDigitalLink, qrSymbol } from './qr-code.js';
import { newSerial } from './serial-number.js';

const GTIN = '09506000134352';

/** Decodes an 8-bit RGBA or RGB PNG (what `qrcode` writes) into RGBA pixels for jsQR. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8ClampedArray } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8]).toBe(8); // bit depth
      channels = ({ 6: 4, 2: 3 } as Record<number, number>)[body[9] ?? -1] ?? 0;
      expect(channels).toBeGreaterThan(0);
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x += 1) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
      const paeth = (): number => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, Math.floor((left + up) / 2), paeth()][filter ?? 0] ?? 0;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    for (let channel = 0; channel < 3; channel += 1) rgba[pixel * 4 + channel] = pixels[pixel * channels + channel] ?? 0;
    rgba[pixel * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

function decodeQr(png: Buffer): string | undefined {
  const { width, height, rgba } = decodePng(png);
  return jsQR.default(rgba, width, height)?.data;
}

describe('QR codes', () => {
  it('a PNG decodes back to the URI, in upper and lower case and with percent-encoding', async () => {
    const serial = newSerial();
    for (const uri of [
      digitalLinkQrText({ gtin: GTIN, serial }),
      buildDigitalLink({ gtin: GTIN, serial }),
      buildDigitalLink({ gtin: GTIN, lot: 'A/B(2)', serial: 'x!y', expiry: '271200' }, { resolver: 'http://127.0.0.1:8080' }),
    ]) {
      expect(decodeQr(await qrPng(uri))).toBe(uri);
    }
  });

  it('any printable ASCII text decodes back, whatever mix of modes it needs', async () => {
    const samples = fc.sample(fc.stringMatching(/^[\x20-\x7E]{1,120}$/), { numRuns: 40, seed: 11 });
    for (const sample of samples) expect(decodeQr(await qrPng(sample, { scale: 4 }))).toBe(sample);
  });

  it('a Digital Link PNG decodes to a URI the parsers read back to the same keys', async () => {
    const keys = { gtin: GTIN, lot: 'LOT7', serial: newSerial(), expiry: '271231' };
    const decoded = decodeQr(await qrPngForDigitalLink(keys)) ?? '';
    expect(decoded.startsWith('HTTPS://ID.GS1.ORG/01/')).toBe(true);
    expect(parseDigitalLink(decoded)).toEqual(keys);
    expect(parseDigitalLinkPath(decoded.slice('HTTPS://ID.GS1.ORG'.length))).toEqual(keys);
  });

  it('a typical serial link upper-cased is all alphanumeric/numeric mode, version 3 (29 × 29); lower case needs byte mode and version 4', () => {
    const keys = { gtin: GTIN, serial: newSerial() };
    const upper = qrSymbol(digitalLinkQrText(keys));
    expect(upper.modes).not.toContain('Byte');
    expect(upper).toMatchObject({ version: 3, size: 29 });
    const lower = qrSymbol(buildDigitalLink(keys));
    expect(lower.modes).toContain('Byte');
    expect(lower).toMatchObject({ version: 4, size: 33 });
    expect(upper.modules).toHaveLength(29 * 29);
  });

  it('PNG size follows scale and margin (the quiet zone defaults to 4 modules)', async () => {
    const uri = digitalLinkQrText({ gtin: GTIN, serial: newSerial() });
    expect(decodePng(await qrPng(uri)).width).toBe((29 + 8) * 8);
    expect(decodePng(await qrPng(uri, { scale: 3, margin: 2 })).width).toBe((29 + 4) * 3);
    await expect(qrPng(uri, { scale: 0 })).rejects.toThrow(RangeError);
    await expect(qrPng(uri, { margin: -1 })).rejects.toThrow(RangeError);
  });

  it('an SVG is a scalable path over the matrix plus quiet zone', async () => {
    const keys = { gtin: GTIN, serial: newSerial() };
    const svg = await qrSvgForDigitalLink(keys);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 37 37"/);
    expect(svg).toContain('<path');
    expect(svg).not.toMatch(/ width=| height=/);
    expect(await qrSvg(digitalLinkQrText(keys), { margin: 1 })).toContain('viewBox="0 0 31 31"');
    await expect(qrSvg('x', { margin: 1.5 })).rejects.toThrow(RangeError);
  });

  it('qrFriendlyUri upper-cases scheme and host only', () => {
    expect(qrFriendlyUri('https://id.gs1.org/01/09506000134352/10/abc?linkType=x')).toBe('HTTPS://ID.GS1.ORG/01/09506000134352/10/abc?linkType=x');
    expect(qrFriendlyUri('http://localhost:8080/01/1')).toBe('HTTP://LOCALHOST:8080/01/1');
    expect(qrFriendlyUri('https://user@host.example/x')).toBe('https://user@host.example/x');
    expect(qrFriendlyUri('urn:epc:id:sgtin:0614141.112345.400')).toBe('urn:epc:id:sgtin:0614141.112345.400');
  });
});
