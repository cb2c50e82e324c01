import { createHash, randomBytes } from 'node:crypto';

// Reproducible randomness for sampling decisions: anyone holding a decision's seed can redraw the
// same units and the same `random` value, on any platform and Node version. The stream is SHA-256
// in counter mode over a length-prefixed (context, seed, counter) message, so distinct uses of one
// seed (the draw, each labelled uniform) never share bytes; integers are made unbiased by rejection.

export interface SampleDrawRequest {
  /** Hex, at least 128 bits (32 hex digits), as stored with the decision. */
  readonly seed: string;
  readonly populationSize: number;
  readonly sampleSize: number;
}

const MIN_SEED_HEX_DIGITS = 32;
const DRAW_CONTEXT = 'traceport/sample-draw/v1';
const UNIFORM_CONTEXT = 'traceport/uniform/v1';

function seedBytes(seed: string): Buffer {
  if (typeof seed !== 'string' || seed.length < MIN_SEED_HEX_DIGITS || seed.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(seed)) {
    throw new RangeError(`seed must be an even number of hex digits, at least ${MIN_SEED_HEX_DIGITS} (128 bits)`);
  }
  return Buffer.from(seed, 'hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(bytes.length);
  return Buffer.concat([prefix, bytes]);
}

/** SHA-256(len‖context ‖ len‖seed ‖ counter as 64-bit big-endian), block after block. */
class HashCounterStream {
  private readonly prefix: Buffer;
  private counter = 0n;
  private block = Buffer.alloc(0);
  private offset = 0;

  constructor(context: string, seed: Buffer) {
    this.prefix = Buffer.concat([lengthPrefixed(Buffer.from(context, 'utf8')), lengthPrefixed(seed)]);
  }

  /** The next 64 bits of the stream as an unsigned integer. */
  nextUint64(): bigint {
    if (this.offset + 8 > this.block.length) {
      const counter = Buffer.alloc(8);
      counter.writeBigUInt64BE(this.counter);
      this.counter += 1n;
      this.block = createHash('sha256').update(this.prefix).update(counter).digest();
      this.offset = 0;
    }
    const value = this.block.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  /** Uniform in [0, bound) for 1 ≤ bound ≤ 2^53: the top bits of a 64-bit word, redrawn when ≥ bound. */
  nextBelow(bound: number): number {
    // Exact integer arithmetic: Math.log2 may round differently between engines.
    let bits = 1;
    while (2 ** bits < bound) bits++;
    const shift = BigInt(64 - bits);
    for (;;) {
      const candidate = Number(this.nextUint64() >> shift);
      if (candidate < bound) return candidate;
    }
  }
}

/**
 * `sampleSize` distinct unit indices in [0, populationSize), sorted ascending, chosen uniformly
 * among all subsets by Floyd's algorithm: memory in proportion to the sample, not to the lot.
 */
export function drawSample(request: SampleDrawRequest): number[] {
  const { seed, populationSize, sampleSize } = request;
  const stream = new HashCounterStream(DRAW_CONTEXT, seedBytes(seed));
  if (!Number.isSafeInteger(populationSize) || populationSize < 1) {
    throw new RangeError(`populationSize must be a positive integer, got ${String(populationSize)}`);
  }
  if (!Number.isSafeInteger(sampleSize) || sampleSize < 0 || sampleSize > populationSize) {
    throw new RangeError(`sampleSize must be an integer from 0 to populationSize (${populationSize}), got ${String(sampleSize)}`);
  }
  if (sampleSize === populationSize) return Array.from({ length: populationSize }, (_, index) => index);
  const chosen = new Set<number>();
  for (let top = populationSize - sampleSize; top < populationSize; top++) {
    const candidate = stream.nextBelow(top + 1);
    chosen.add(chosen.has(candidate) ? top : candidate);
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * A double in [0, 1) with 53 random bits, derived from the seed and a label (e.g. the rule
 * engine's `random` variable), independent of the draw and of other labels.
 */
export function uniformFromSeed(seed: string, label: string): number {
  if (typeof label !== 'string') throw new RangeError('label must be a string');
  const stream = new HashCounterStream(`${UNIFORM_CONTEXT}\u0000${label}`, seedBytes(seed));
  return Number(stream.nextUint64() >> 11n) / 2 ** 53;
}

/** A fresh 128-bit seed for a decision, as 32 lowercase hex digits. */
export function newDecisionSeed(): string {
  return randomBytes(16).toString('hex');
}
