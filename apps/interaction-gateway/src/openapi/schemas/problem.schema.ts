import { z } from 'zod';

/** RFC 9457 problem details, as every REST error answers them (libs/errors ProblemDetails). */
export const Problem = z
  .object({
    type: z.string().meta({ description: 'Stable per error code: /problems/<code>. Clients switch on it (or on code).', examples: ['/problems/invalid-body'] }),
    title: z.string().meta({ description: "The HTTP status's reason phrase.", examples: ['Bad Request'] }),
    status: z.number().int().meta({ examples: [400] }),
    detail: z.string().meta({ description: 'What went wrong with this request, in words.' }),
    code: z.string().meta({ description: 'The machine-readable error code (kebab-case).', examples: ['invalid-body'] }),
    instance: z.string().optional().meta({ description: 'The request path.' }),
    correlationId: z.string().optional().meta({ description: 'The X-Correlation-Id of the request, to find it in the logs.' }),
    errors: z
      .array(
        z
          .object({
            field: z.string().meta({ description: 'The failing field or parameter (dotted path).' }),
            message: z.string(),
            line: z.number().int().optional().meta({ description: "1-based line inside the field's text (a rule's CEL condition)." }),
            column: z.number().int().optional().meta({ description: "1-based column inside the field's text." }),
          })
          .meta({ id: 'FieldViolation' }),
      )
      .optional()
      .meta({ description: 'One entry per field at fault, for invalid requests.' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });
