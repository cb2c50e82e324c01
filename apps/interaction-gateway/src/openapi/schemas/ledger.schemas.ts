import { z } from 'zod';

const hex = (description: string) => z.string().regex(/^[0-9a-f]*$/).meta({ description });

export const Anchor = z
  .object({
    chain_id: z.number().int(),
    contract: z.string().meta({ description: 'The registry contract address.' }),
    tx_hash: z.string().meta({ description: 'The transaction that wrote the log head.' }),
    block_number: z.number().int(),
  })
  .meta({ id: 'Anchor', description: 'Where the log head covering the record was written on the consortium chain.' });

/** BRIEF §5: RFC 9162 names, hex. */
export const Proof = z
  .object({
    leaf_index: z.number().int(),
    tree_size: z.number().int(),
    leaf_hash: hex('SHA-256(0x00 || JCS(record)), hex.'),
    inclusion_path: z.array(z.string()).meta({ description: 'RFC 9162 inclusion path, hex, leaf to root.' }),
    root_hash: hex('The root of the tree of tree_size leaves, hex.'),
    status: z.enum(['anchored', 'provisional']).meta({ description: 'provisional until a head covering the record is anchored.' }),
    anchor: Anchor.nullable(),
  })
  .meta({ id: 'Proof', description: "An RFC 9162 inclusion proof of a record in the ledger's log, with its anchor on the chain." });

export const ProofBundle = z
  .object({
    type: z.string().meta({ description: 'The record type, e.g. archive.product.' }),
    record_key: z.string(),
    record: z.unknown().meta({ description: 'The record exactly as anchored (JCS of it is the leaf).' }),
    proof: Proof,
  })
  .meta({ id: 'ProofBundle', description: 'Everything `./traceport verify` needs besides the chain.' });

export const ConsistencyProof = z
  .object({
    first: z.number().int(),
    second: z.number().int(),
    proof: z.array(z.string()).meta({ description: 'RFC 9162 consistency proof, hex.' }),
    first_root: z.string(),
    second_root: z.string(),
  })
  .meta({ id: 'ConsistencyProof' });

export const AuditReport = z
  .object({
    checked_at: z.string(),
    tree_size: z.number().int(),
    ok: z.boolean(),
    changed: z.array(z.object({ leaf_index: z.number().int(), record_key: z.string() })).meta({ description: 'Records whose stored content no longer hashes to their leaf.' }),
    missing: z.array(z.number().int()).meta({ description: 'Leaf indexes whose record is gone.' }),
    reordered: z.array(z.object({ record_key: z.string(), stored_at: z.number().int(), belongs_at: z.number().int() })),
    corrupt_nodes: z.array(z.string()),
    head_mismatches: z.array(z.object({ tree_size: z.number().int(), on_chain: z.string().nullable(), recomputed: z.string() })),
    heads_checked: z.number().int(),
  })
  .meta({ id: 'AuditReport', description: 'The audit of the stored log against the heads anchored on the chain.' });

const storeFinding = (description: string) =>
  z.object({ count: z.number().int(), record_keys: z.array(z.string()).meta({ description: 'The first 1,000.' }) }).meta({ description });

export const StoreAuditReport = z
  .object({
    checked_at: z.string(),
    store: z.string().meta({ description: 'The service whose store was compared with the log.' }),
    record_types: z.array(z.string()),
    records_checked: z.number().int(),
    leaves_checked: z.number().int(),
    ok: z.boolean().meta({ description: 'Nothing changed and nothing missing.' }),
    changed: storeFinding('Stored now with content other than what was appended to the log: changed, or swapped with another version, after anchoring.'),
    missing: storeFinding('In the log, gone from the store.'),
    not_in_log: storeFinding('In the store, not in the log: normal while the ledger catches up; once it has, written behind Traceport’s back.'),
  })
  .meta({ id: 'StoreAuditReport' });
