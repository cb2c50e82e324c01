import { AQL_VALUES, INSPECTION_LEVELS } from '@traceport/contracts';
import { z } from 'zod';

/**
 * A rule set as operators write it: rules tried from the highest priority down (ties in the order
 * listed); the first whose condition holds decides, and when none does the default action applies.
 */
export const ruleActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('release') }),
  z.object({
    kind: z.literal('inspect'),
    level: z.enum(INSPECTION_LEVELS),
    aql: z.number().refine((value) => (AQL_VALUES as readonly number[]).includes(value), 'an AQL from the ISO 2859-1 preferred series'),
  }),
  z.object({ kind: z.literal('inspect-all') }),
  z.object({ kind: z.literal('hold') }),
]);
export type RuleAction = z.infer<typeof ruleActionSchema>;

export const ruleDefinitionSchema = z.object({
  /** A stable slug, unique in its rule set, named in every decision it makes. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and hyphens'),
  priority: z.number().int().min(0).max(1_000_000),
  description: z.string().trim().min(1).max(500),
  owner: z.string().trim().min(1).max(200),
  /** A CEL expression over DecisionContext that evaluates to a bool. */
  condition: z.string().trim().min(1).max(4_000),
  action: ruleActionSchema,
});
export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;

export const ruleSetDefinitionSchema = z
  .object({
    rules: z.array(ruleDefinitionSchema).max(500),
    defaultAction: ruleActionSchema,
    /** The agency inspection orders of this rule set go to. */
    inspectionAgency: z.string().trim().min(1).max(200).default('Bonded Warehouse Inspection Agency'),
    tables: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/), z.record(z.string().max(200), z.number())).default({}),
  })
  .refine((set) => new Set(set.rules.map((rule) => rule.id)).size === set.rules.length, { message: 'rule ids must be unique', path: ['rules'] });
export type RuleSetDefinition = z.infer<typeof ruleSetDefinitionSchema>;
