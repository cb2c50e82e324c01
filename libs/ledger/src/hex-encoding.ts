// Hashes travel as lowercase hex in proofs (RFC 9162 names, BRIEF §5). Decoding is strict so
// that a malformed hash is reported where it enters instead of surfacing as a root mismatch.

const HEX_DIGITS = '0123456789abcdef';
const HEX_PATTERN = /^[0-9a-fA-F]*$/;

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX_DIGITS[byte >> 4] + HEX_DIGITS[byte & 0x0f];
  return out;
}

/**
 * Decodes hex (either case). Throws a TypeError on an odd length, a non-hex character, or, when
 * `expectedBytes` is given, a different decoded length (e.g. 32 for a SHA-256 hash).
 */
export function fromHex(hex: string, expectedBytes?: number): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError('fromHex: expected a string');
  if (hex.length % 2 !== 0) throw new TypeError(`fromHex: odd number of hex digits (${hex.length})`);
  if (!HEX_PATTERN.test(hex)) throw new TypeError('fromHex: not a hex string');
  if (expectedBytes !== undefined && hex.length !== expectedBytes * 2) {
    throw new TypeError(`fromHex: expected ${expectedBytes} bytes, got ${hex.length / 2}`);
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
