import { z } from 'zod';

export const LedgerState = z
  .object({
    log_size: z.number().int().meta({ description: 'Records appended to the log.' }),
    anchored_size: z.number().int().meta({ description: 'Tree size of the newest head anchored on chain; 0 before the first.' }),
    lag_records: z.number().int().meta({ description: 'Records not yet under an anchored head: log_size - anchored_size.' }),
    lag_seconds: z.number().meta({ description: 'How long the oldest of those has waited; 0 when every record is anchored.' }),
    anchored_root: z.string().nullable().meta({ description: "The anchored head's root (hex); null before the first anchor." }),
    tx_hash: z.string().nullable(),
    block_number: z.number().int().nullable(),
    anchored_at: z.string().nullable(),
    chain_id: z.number().int(),
    contract: z.string(),
    oldest_unanchored_at: z.string().nullable(),
  })
  .meta({ id: 'LedgerState', description: "The log's size against its newest head anchored on the consortium chain." });

export const ArchiveCounts = z
  .object({
    merchants: z.number().int(),
    factories: z.number().int(),
    products: z.number().int(),
    lots: z.number().int(),
    events: z.number().int().meta({ description: 'Trace events stored (their latest versions).' }),
    identities: z.number().int().meta({ description: 'Item identities issued.' }),
  })
  .meta({ id: 'ArchiveCounts', description: 'Current merchants, factories, products and lots; trace events; item identities.' });

export const Dashboard = z
  .object({
    counts: ArchiveCounts,
    decisions_per_day: z
      .array(z.object({ day: z.iso.date(), released: z.number().int(), inspection_ordered: z.number().int(), held: z.number().int() }))
      .meta({ description: 'One entry per UTC day of the window, oldest first, by outcome as decided.' }),
    decisions_truncated: z.boolean().meta({ description: 'True when the window held more decisions than the dashboard counts (the first 10,000, newest first).' }),
    ledger: LedgerState,
  })
  .meta({ id: 'Dashboard', description: "The operations console's dashboard figures." });
