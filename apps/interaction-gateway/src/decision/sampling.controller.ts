import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Get, Query } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
import { AQL_VALUES, INSPECTION_LEVELS } from '@traceport/contracts';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { SamplingPlan } from '../openapi/schemas/decision.schemas.js';
import { samplingPlanJson } from './decision-json.js';
import type { GetPlanRequest } from './decision-messages.js';
import { parseQuery, queryCount, queryText } from './decision-request.js';
import { SamplingGateway } from './sampling.gateway.js';

const planQuery = z.strictObject({
  lot_size: queryCount('the number of units in the lot', 2),
  level: queryText('the inspection level').pipe(z.enum(INSPECTION_LEVELS, { error: `one of ${INSPECTION_LEVELS.join(', ')}` })),
  aql: queryText('the AQL')
    .regex(/^\d+(\.\d+)?$/, 'the AQL, a number such as 1.0')
    .transform(Number)
    .pipe(z.number().refine((aql) => (AQL_VALUES as readonly number[]).includes(aql), `an AQL of ISO 2859-1's preferred series: ${AQL_VALUES.join(', ')}`)),
  severity: queryText('the severity').pipe(z.enum(['normal', 'tightened', 'reduced'], { error: 'normal, tightened or reduced' })).default('normal'),
  reduced_variant: queryText('the reduced-table variant')
    .pipe(z.enum(['iso-2859-1-1999', 'ansi-asq-z1.4'], { error: 'iso-2859-1-1999 or ansi-asq-z1.4' }))
    .optional(),
});

/** ISO 2859-1 single sampling plans (REST and gRPC). */
@ApiTags('Sampling')
@Controller('v1/sampling')
export class SamplingController {
  constructor(private readonly sampling: SamplingGateway) {}

  /** `GET /v1/sampling/plan?lot_size=2000&level=II&aql=1.0&severity=normal` → code letter K, n 125, ac 3, re 4. */
  @Get('plan')
  @ApiDoc({
    summary: 'The ISO 2859-1 single sampling plan for a lot',
    description: 'E.g. lot_size=2000, level=II, aql=1.0, severity=normal: code letter K, n 125, ac 3, re 4.',
    query: {
      schema: planQuery,
      describe: {
        lot_size: 'Units in the lot.',
        level: 'The inspection level.',
        aql: "The AQL, from ISO 2859-1's preferred series.",
        severity: 'normal, tightened or reduced inspection.',
        reduced_variant: 'Which table of reduced sample sizes: the 1999 edition of ISO 2859-1 (default) or ANSI/ASQ Z1.4.',
      },
    },
    response: { status: 200, description: 'The plan.', schema: SamplingPlan },
    problems: [400],
  })
  async plan(@Query() query: unknown) {
    const { lot_size: lotSize, level, aql, severity, reduced_variant: reducedVariant } = parseQuery(planQuery, query);
    return samplingPlanJson(await this.sampling.getPlan({ lotSize, level, aql, severity, reducedVariant: reducedVariant ?? '' }));
  }

  @GrpcMethod('SamplingService', 'GetPlan')
  getPlan(request: GetPlanRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.sampling.getPlan(request, call);
  }
}
