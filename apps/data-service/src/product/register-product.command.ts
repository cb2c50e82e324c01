import { DomainException } from '@traceport/errors';
import { parseGtin } from '@traceport/identity';
import { z } from 'zod';
import { ProductErrorCode } from './product.exception.js';

/** A registration request, validated before anything is written; every bad field is named. */
export const registerProductSchema = z.object({
  gtin: z.string().trim().superRefine((value, context) => {
    const result = parseGtin(value);
    if (!result.ok) context.addIssue({ code: 'custom', message: result.message });
  }),
  name: z.string().trim().min(1, 'required').max(200),
  brand: z.string().trim().min(1, 'required').max(200),
  category: z.string().trim().min(1, 'required').max(100),
  hsCode: z.string().trim().regex(/^\d{6,10}$/, 'an HS code has 6 to 10 digits'),
  originCountry: z.string().trim().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in upper case, e.g. FR'),
});
export type RegisterProductCommand = z.infer<typeof registerProductSchema>;

export function parseRegisterProduct(input: unknown): RegisterProductCommand {
  const parsed = registerProductSchema.safeParse(input);
  if (parsed.success) return { ...parsed.data, gtin: parsed.data.gtin.padStart(14, '0') };
  const violations = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
  throw new DomainException(
    ProductErrorCode.invalidProduct,
    'invalid',
    `the product is not valid: ${violations.map((v) => `${v.field}: ${v.message}`).join('; ')}`,
    violations,
  );
}
