// A deliberately naive RFC 9162 §2.1 Merkle tree, straight from the RFC's recursive definitions, so the
// registry's on-chain verifier is checked against an independent reading of the spec (the real log lives
// in libs/ledger).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export type Hex = `0x${string}`;

export function leafHash(data: Uint8Array): Uint8Array {
  return sha256(concat(Uint8Array.of(0x00), data));
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concat(Uint8Array.of(0x01), left, right));
}

/** Largest power of two strictly smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes. */
function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array());
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  const k = split(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** SUBPROOF(m, D[n], b), RFC 9162 §2.1.4.1. */
function subproof(m: number, leaves: readonly Uint8Array[], complete: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [mth(leaves)];
  const k = split(n);
  if (m <= k) return [...subproof(m, leaves.slice(0, k), complete), mth(leaves.slice(k))];
  return [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

// The Certificate Transparency reference entries (transparency-dev/merkle testonly), so the first eight roots
// and proofs can be checked against published values.
export const referenceEntries = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hexToBytes);

/** An append-only log: the eight reference entries, then `record-<i>`. */
export class TestLog {
  private readonly leaves: Uint8Array[] = [];

  constructor(size = 0) {
    this.grow(size);
  }

  grow(size: number): this {
    for (let i = this.leaves.length; i < size; i++) {
      this.leaves.push(leafHash(referenceEntries[i] ?? utf8ToBytes(`record-${i}`)));
    }
    return this;
  }

  root(size: number): Hex {
    return hex(mth(this.leaves.slice(0, size)));
  }

  consistencyProof(from: number, to: number): Hex[] {
    if (from <= 0 || from > to) throw new RangeError(`no consistency proof from ${from} to ${to}`);
    return subproof(from, this.leaves.slice(0, to), true).map(hex);
  }
}

export function hex(bytes: Uint8Array): Hex {
  return `0x${bytesToHex(bytes)}`;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
