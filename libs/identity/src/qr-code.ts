/**
 * QR codes for Digital Link URIs (ISO/IEC 18004, through the `qrcode` package).
 *
 * Error correction level M restores up to ~15 % of damaged codewords: GS1 recommends at least M
 * for a Digital Link QR code on packaging, where labels get scuffed, curved and wrapped in film.
 * L (7 %) is too fragile there, and Q or H would each cost a bigger symbol (smaller modules on the
 * same label) for damage a retail item rarely sees.
 *
 * Size: `qrcode` splits the text into the cheapest mix of numeric, alphanumeric and byte segments.
 * QR alphanumeric mode (5.5 bits a character) holds only `0-9 A-Z space $ % * + - . / :`, so a
 * Digital Link written as `HTTPS://ID.GS1.ORG/01/{gtin}/21/{serial}` — scheme and host are
 * case-insensitive (RFC 3986 §3.1, §3.2.2), the serial is upper-case alphanumeric, and the builder's
 * percent-encodings use upper-case hex — needs no byte mode at all: with a 16-character serial that
 * is version 3 (29 × 29 modules) instead of version 4 in lower case. `qrFriendlyUri` does that.
 */
import QRCode, { type QRCodeSegment } from 'qrcode';
import { buildDigitalLink, type DigitalLinkKeys, type DigitalLinkOptions } from './digital-link.js';
import { optimalQrSegments } from './qr-segments.js';

export const QR_ERROR_CORRECTION = 'M';
/** The quiet zone ISO/IEC 18004 requires around a QR code, in modules. */
export const QR_QUIET_ZONE = 4;

export interface QrSvgOptions {
  /** Quiet zone in modules (default 4, the standard's minimum). */
  readonly margin?: number;
}

export interface QrPngOptions {
  /** Pixels per module (default 8). */
  readonly scale?: number;
  /** Quiet zone in modules (default 4, the standard's minimum). */
  readonly margin?: number;
}

/** A QR code's module matrix, for drawing it as vectors. */
export interface QrSymbol {
  readonly version: number;
  /** Modules per side, without quiet zone. */
  readonly size: number;
  /** The encoding modes chosen, in order, e.g. `['Alphanumeric', 'Numeric', 'Alphanumeric']`. */
  readonly modes: readonly string[];
  /** Row-major, `size × size`, 1 for a dark module. */
  readonly modules: Uint8Array;
}

export function qrSymbol(text: string): QrSymbol {
  const code = QRCode.create(qrContent(text), { errorCorrectionLevel: QR_ERROR_CORRECTION });
  return {
    version: code.version,
    size: code.modules.size,
    modes: code.segments.map((segment) => segment.mode.id),
    modules: code.modules.data,
  };
}

/** An SVG (viewBox in modules, no fixed size: it scales to its box), error correction M. */
export async function qrSvg(uri: string, options: QrSvgOptions = {}): Promise<string> {
  return QRCode.toString(qrContent(uri), { type: 'svg', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: checkedMargin(options.margin) });
}

/** A PNG, error correction M. */
export async function qrPng(uri: string, options: QrPngOptions = {}): Promise<Buffer> {
  const scale = options.scale ?? 8;
  if (!Number.isInteger(scale) || scale < 1 || scale > 100) throw new RangeError(`scale must be an integer 1..100, not ${scale}`);
  return QRCode.toBuffer(qrContent(uri), { type: 'png', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: checkedMargin(options.margin), scale });
}

/**
 * The same URI with scheme and host in upper case, which keeps a QR code in alphanumeric mode.
 * Path and query are left alone: they are case-sensitive. Other URIs are returned unchanged.
 */
export function qrFriendlyUri(uri: string): string {
  const parts = /^(https?:\/\/)([^/?#@]+)([/?#].*)?$/is.exec(uri);
  return parts ? `${(parts[1] ?? '').toUpperCase()}${(parts[2] ?? '').toUpperCase()}${parts[3] ?? ''}` : uri;
}

/** The text to put in a Digital Link QR code: the built link, scheme and host upper-cased. */
export function digitalLinkQrText(keys: DigitalLinkKeys, options: DigitalLinkOptions = {}): string {
  return qrFriendlyUri(buildDigitalLink(keys, options));
}

export async function qrSvgForDigitalLink(keys: DigitalLinkKeys, options: DigitalLinkOptions & QrSvgOptions = {}): Promise<string> {
  return qrSvg(digitalLinkQrText(keys, options), options);
}

export async function qrPngForDigitalLink(keys: DigitalLinkKeys, options: DigitalLinkOptions & QrPngOptions = {}): Promise<Buffer> {
  return qrPng(digitalLinkQrText(keys, options), options);
}

/** Segments found here for ASCII text (much faster than `qrcode`'s own search, same size). */
function qrContent(text: string): string | QRCodeSegment[] {
  return optimalQrSegments(text) ?? text;
}

function checkedMargin(margin: number | undefined): number {
  const checked = margin ?? QR_QUIET_ZONE;
  if (!Number.isInteger(checked) || checked < 0 || checked > 40) throw new RangeError(`margin must be an integer 0..40, not ${checked}`);
  return checked;
}
