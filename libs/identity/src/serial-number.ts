/**
 * Unguessable GTIN serial numbers (AI 21) from the operating system's CSPRNG.
 *
 * Alphabet: Crockford's base 32 — digits and upper-case letters less I, L, O and U, which a person
 * reading a label confuses with 1 and 0 (and U avoids accidental words). Every character is
 * - URI-unreserved, so a serial is never percent-encoded in a Digital Link, and
 * - in QR alphanumeric mode (0-9 A-Z space $ % * + - . / :), so an upper-case Digital Link
 *   (`HTTPS://ID.GS1.ORG/01/.../21/...`) encodes at 5.5 bits a character rather than 8.
 *
 * Length 16: 16 × log2(32) = 80 bits. With a million serials issued for a GTIN, one guess hits a
 * valid one with probability 10^6 / 2^80 ≈ 8 × 10^-19; a billion guesses, ≈ 8 × 10^-10. It is a
 * GS1 AI 21 value (at most 20 characters of set 82) with room to spare.
 *
 * Unbiased: each random byte is accepted only below the largest multiple of the alphabet size
 * (rejection sampling), then reduced modulo it. With 32 symbols that multiple is 256, so no byte is
 * ever rejected; the rule keeps the draw uniform should the alphabet change.
 */
import { randomFillSync } from 'node:crypto';

export const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SERIAL_LENGTH = 16;
/** Entropy of one serial in bits (80). */
export const SERIAL_ENTROPY_BITS = SERIAL_LENGTH * Math.log2(SERIAL_ALPHABET.length);

const ALPHABET_CODES = Buffer.from(SERIAL_ALPHABET, 'latin1');
const ACCEPT_BELOW = 256 - (256 % SERIAL_ALPHABET.length);
const WELL_FORMED = new RegExp(`^[${SERIAL_ALPHABET}]{${SERIAL_LENGTH}}$`);
/** Random bytes drawn at a time: bounds the scratch memory of a large call. */
const RANDOM_CHUNK = 1 << 20;

export function newSerial(): string {
  return newSerials(1)[0] ?? '';
}

/**
 * `count` serials, distinct within the call. A repeat has probability ≈ count² / 2^81 (4 × 10^-13
 * for a million) but is redrawn all the same; it is found with a hash table over the symbols rather
 * than a Set of strings, which took most of the time.
 */
export function newSerials(count: number): string[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, not ${count}`);
  const symbols = new Uint8Array(count * SERIAL_LENGTH);
  fillWithSymbols(symbols);
  const slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * count + 1))).fill(-1);
  for (let serial = 0; serial < count; serial += 1) {
    while (!claimSlot(slots, symbols, serial)) fillWithSymbols(symbols.subarray(serial * SERIAL_LENGTH, (serial + 1) * SERIAL_LENGTH));
  }
  const characters = Buffer.allocUnsafe(symbols.length);
  for (let index = 0; index < symbols.length; index += 1) characters[index] = ALPHABET_CODES[symbols[index] ?? 0] ?? 0;
  const serials = new Array<string>(count);
  for (let serial = 0; serial < count; serial += 1) {
    serials[serial] = characters.toString('latin1', serial * SERIAL_LENGTH, (serial + 1) * SERIAL_LENGTH);
  }
  return serials;
}

export function isWellFormedSerial(serial: string): boolean {
  return WELL_FORMED.test(serial);
}

/** Fills `target` with uniform symbol indices: bytes at or above ACCEPT_BELOW are rejected. */
function fillWithSymbols(target: Uint8Array): void {
  const random = Buffer.allocUnsafe(Math.min(RANDOM_CHUNK, target.length + 16));
  let filled = 0;
  while (filled < target.length) {
    randomFillSync(random);
    for (let index = 0; index < random.length && filled < target.length; index += 1) {
      const byte = random[index] ?? 0;
      if (byte < ACCEPT_BELOW) {
        target[filled] = byte % SERIAL_ALPHABET.length;
        filled += 1;
      }
    }
  }
}

/** Records serial `serial` in the open-addressing table `slots`, or returns false if it repeats one. */
function claimSlot(slots: Int32Array, symbols: Uint8Array, serial: number): boolean {
  const offset = serial * SERIAL_LENGTH;
  // The first six symbols (30 uniform bits) are the hash.
  let slot = 0;
  for (let index = 0; index < 6; index += 1) slot = slot * 32 + (symbols[offset + index] ?? 0);
  for (slot &= slots.length - 1; ; slot = (slot + 1) & (slots.length - 1)) {
    const other = slots[slot] ?? -1;
    if (other < 0) {
      slots[slot] = serial;
      return true;
    }
    if (sameSerial(symbols, other * SERIAL_LENGTH, offset)) return false;
  }
}

function sameSerial(symbols: Uint8Array, first: number, second: number): boolean {
  for (let index = 0; index < SERIAL_LENGTH; index += 1) if (symbols[first + index] !== symbols[second + index]) return false;
  return true;
}
