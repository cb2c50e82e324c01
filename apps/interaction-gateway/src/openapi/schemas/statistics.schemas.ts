import { z } from 'zod';

export const StatisticsReport = z
  .object({
    dimension: z.string().meta({ description: 'factory, merchant, brand, category or origin.' }),
    groups: z.array(
      z.object({
        key: z.string().meta({ description: 'The id (factory, merchant, brand) or value (category, origin country) grouped by.' }),
        label: z.string(),
        lots_received: z.number().int(),
        lots_inspected: z.number().int(),
        passed: z.number().int(),
        failed: z.number().int(),
        pass_rate: z.number().nullable().meta({ description: 'passed / inspected; null before any inspection.' }),
        pass_rate_lower_bound: z.number().meta({ description: 'Wilson 95% lower bound of the pass rate.' }),
        incidents: z.number().int(),
        last_results: z.array(z.object({ lot_id: z.string(), lot_number: z.string(), gtin: z.string(), result: z.string(), inspected_at: z.string() })),
      }),
    ),
  })
  .meta({ id: 'StatisticsReport', description: 'Lot statistics per group over a time window.' });
