import { z } from 'zod';
import { Topics } from '../topics.js';

export const ledgerHeadAnchoredV1 = {
  topic: Topics.ledgerHeadAnchored.name,
  type: 'io.traceport.ledger.head.anchored.v1',
  schema: z.object({
    treeSize: z.number().int().positive(),
    rootHash: z.string().regex(/^[0-9a-f]{64}$/),
    chainId: z.number().int().positive(),
    contract: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    txHash: z.string().regex(/^0x[0-9a-f]{64}$/),
    blockNumber: z.number().int().nonnegative(),
  }),
} as const;
export type LedgerHeadAnchoredV1 = z.infer<typeof ledgerHeadAnchoredV1.schema>;
