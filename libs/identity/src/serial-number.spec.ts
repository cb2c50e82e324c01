import { describe, expect, it, vi } from 'vitest';
import { CSET_82 } from './application-identifiers.js';
import { buildDigitalLink } from './digital-link.js';
import { isWellFormedSerial, newSerial, newSerials, SERIAL_ALPHABET, SERIAL_ENTROPY_BITS, SERIAL_LENGTH } from './serial-number.js';

// Lets one test hand the generator chosen bytes; every other draw is the real CSPRNG.
const rigged = vi.hoisted(() => ({ bytes: undefined as Uint8Array | undefined }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  const randomFillSync = <T extends NodeJS.ArrayBufferView>(buffer: T): T => {
    const bytes = rigged.bytes;
    if (bytes === undefined) return actual.randomFillSync(buffer);
    rigged.bytes = undefined;
    new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).set(bytes.subarray(0, buffer.byteLength));
    return buffer;
  };
  return { ...actual, randomFillSync };
});

const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;

/** Pearson's chi-square statistic of observed counts against a uniform expectation. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe('serial numbers', () => {
  it('use 32 distinct symbols that are QR-alphanumeric, URI-unreserved and GS1 set 82, and none of I L O U', () => {
    expect(new Set(SERIAL_ALPHABET).size).toBe(32);
    expect(SERIAL_ALPHABET).toMatch(QR_ALPHANUMERIC);
    expect(SERIAL_ALPHABET).toMatch(/^[A-Za-z0-9\-._~]+$/);
    expect(SERIAL_ALPHABET).toMatch(CSET_82);
    expect(SERIAL_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('carry 80 bits in 16 characters, within the 20 that AI 21 allows', () => {
    expect(SERIAL_LENGTH).toBe(16);
    expect(SERIAL_ENTROPY_BITS).toBe(80);
    // A million serials issued for one GTIN: one guess hits one with probability < 10^-18.
    expect(1e6 / 2 ** SERIAL_ENTROPY_BITS).toBeLessThan(1e-18);
  });

  it('are well formed and need no percent-encoding in a Digital Link', () => {
    const serial = newSerial();
    expect(isWellFormedSerial(serial)).toBe(true);
    expect(buildDigitalLink({ gtin: '09506000134352', serial })).toBe(`https://id.gs1.org/01/09506000134352/21/${serial}`);
  });

  it('recognise only the alphabet at the right length', () => {
    expect(isWellFormedSerial('0123456789ABCDEF')).toBe(true);
    expect(isWellFormedSerial('0123456789abcdef')).toBe(false);
    expect(isWellFormedSerial('0123456789ABCDEI')).toBe(false);
    expect(isWellFormedSerial('0123456789ABCDEU')).toBe(false);
    expect(isWellFormedSerial('0123456789ABCDE')).toBe(false);
    expect(isWellFormedSerial('0123456789ABCDEFG')).toBe(false);
    expect(isWellFormedSerial('')).toBe(false);
  });

  it('come distinct and well formed in bulk', () => {
    const serials = newSerials(200_000);
    expect(serials).toHaveLength(200_000);
    expect(new Set(serials).size).toBe(200_000);
    expect(serials.every(isWellFormedSerial)).toBe(true);
    expect(newSerials(0)).toEqual([]);
    expect(newSerials(1)).toHaveLength(1);
  });

  it('are redrawn when a draw repeats a serial of the same call', () => {
    // Two serials from 48 bytes whose first 16 and next 16 are equal: the second must be redrawn.
    const repeated = Uint8Array.from({ length: 48 }, (_, index) => (index % 16) * 2);
    rigged.bytes = repeated;
    const [first, second] = newSerials(2);
    expect(first).toBe([...repeated.subarray(0, 16)].map((byte) => SERIAL_ALPHABET.charAt(byte % 32)).join(''));
    expect(second).not.toBe(first);
    expect(isWellFormedSerial(second ?? '')).toBe(true);
  });

  it('refuse a count that is no non-negative integer', () => {
    expect(() => newSerials(-1)).toThrow(RangeError);
    expect(() => newSerials(1.5)).toThrow(RangeError);
    expect(() => newSerials(Number.NaN)).toThrow(RangeError);
  });

  it('are uniform over symbols, and over symbols at each position (chi-square, false alarm < 10^-15)', () => {
    // 100,000 serials: 1.6 million symbols, 3,125 expected per (position, symbol) cell.
    const serials = newSerials(100_000);
    const bySymbol = new Array<number>(32).fill(0);
    const byPositionAndSymbol = new Array<number>(SERIAL_LENGTH * 32).fill(0);
    const index = new Map([...SERIAL_ALPHABET].map((symbol, position) => [symbol, position]));
    for (const serial of serials) {
      for (let position = 0; position < SERIAL_LENGTH; position += 1) {
        const symbol = index.get(serial.charAt(position)) ?? -1;
        bySymbol[symbol] = (bySymbol[symbol] ?? 0) + 1;
        byPositionAndSymbol[position * 32 + symbol] = (byPositionAndSymbol[position * 32 + symbol] ?? 0) + 1;
      }
    }
    // Bounds are the chi-square quantiles at z = 8 (Wilson–Hilferty): 31 degrees of freedom → 145;
    // 16 × 31 = 496 (each position's counts sum to the same total) → 792.
    expect(chiSquare(bySymbol)).toBeLessThan(145);
    let statistic = 0;
    for (let position = 0; position < SERIAL_LENGTH; position += 1) {
      statistic += chiSquare(byPositionAndSymbol.slice(position * 32, (position + 1) * 32));
    }
    expect(statistic).toBeLessThan(792);
  });

  it('the uniformity check would catch a modulo bias', () => {
    // What `byte % 36` into a 36-symbol alphabet would do: symbols 0-3 a seventh more likely.
    const biased = new Array<number>(36).fill(0);
    for (let draw = 0; draw < 1_600_000; draw += 1) {
      const symbol = (draw % 256) % 36;
      biased[symbol] = (biased[symbol] ?? 0) + 1;
    }
    expect(chiSquare(biased)).toBeGreaterThan(1000);
  });
});
