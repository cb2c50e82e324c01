import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

// RFC 9162 §2.1.1 hashing with SHA-256. The one-byte prefixes keep a leaf from ever being
// mistaken for an interior node (second-preimage protection).

export const HASH_SIZE = 32;
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

const utf8 = new TextEncoder();
const LEAF = Uint8Array.of(LEAF_PREFIX);
const NODE = Uint8Array.of(NODE_PREFIX);

// OpenSSL's SHA-256 (node:crypto), fed the prefix and the parts in turn rather than a copy of them
// joined: the ledger hashes every record and every subtree it completes, and a JavaScript SHA-256
// was the largest part of an append's own CPU.
const sha256 = (...parts: Uint8Array[]): Uint8Array => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};

/** MTH({}) = SHA-256 of the empty string: the root of the empty log. */
export const emptyRoot: Uint8Array = sha256();

/** SHA-256(0x00 || data): the leaf hash of raw leaf bytes. */
export function leafHashOfBytes(data: Uint8Array): Uint8Array {
  return sha256(LEAF, data);
}

/** SHA-256(0x00 || UTF-8(JCS(record))): the leaf hash of an anchorable record (BRIEF §5). */
export function leafHash(record: unknown): Uint8Array {
  return leafHashOfBytes(utf8.encode(canonicalJson(record)));
}

/** SHA-256(0x01 || left || right): an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE, left, right);
}

/**
 * The hash of consecutive perfect subtrees of strictly decreasing size, left to right (a
 * compact range, or the tail of one): RFC 9162 splits such a range at its first subtree, so
 * the hash is the right fold h0·(h1·(h2·…)). Requires at least one hash.
 */
export function foldSubtreeHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) throw new RangeError('foldSubtreeHashes needs at least one hash');
  return hashes.reduceRight((right, left) => nodeHash(left, right));
}

/** Byte-wise equality (hashes are public, so no constant-time comparison is needed). */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
