import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { invalid } from '@traceport/errors';
import { samplingPlan, type Aql, type ReducedVariant, type Severity } from '@traceport/sampling';
import type { DecisionEngineConfig } from '../config.js';
import { ENGINE_CONFIG } from '../engine.tokens.js';

interface GetPlanRequest {
  lotSize: number;
  level: string;
  aql: number;
  severity: string;
  reducedVariant: string;
}

const SEVERITIES: readonly string[] = ['normal', 'tightened', 'reduced'];
const VARIANTS: readonly string[] = ['iso-2859-1-1999', 'ansi-asq-z1.4'];

/** ISO 2859-1 plan lookup for operators and the middle platform. */
@Controller()
export class SamplingPlanGrpcController {
  constructor(@Inject(ENGINE_CONFIG) private readonly config: DecisionEngineConfig) {}

  @GrpcMethod('SamplingService', 'GetPlan')
  getPlan(request: GetPlanRequest) {
    const severity = request.severity === '' ? 'normal' : request.severity;
    const reducedVariant = request.reducedVariant === '' ? this.config.REDUCED_INSPECTION_VARIANT : request.reducedVariant;
    if (!SEVERITIES.includes(severity)) throw invalid('invalid-sampling-plan-query', 'severity must be normal, tightened or reduced', [{ field: 'severity', message: 'normal, tightened or reduced' }]);
    if (!VARIANTS.includes(reducedVariant)) {
      throw invalid('invalid-sampling-plan-query', 'reduced_variant must be iso-2859-1-1999 or ansi-asq-z1.4', [{ field: 'reduced_variant', message: 'iso-2859-1-1999 or ansi-asq-z1.4' }]);
    }
    try {
      const plan = samplingPlan({ lotSize: request.lotSize, level: request.level as never, aql: request.aql as Aql, severity: severity as Severity, reducedVariant: reducedVariant as ReducedVariant });
      return { ...plan, severity, level: request.level, aql: request.aql, lotSize: request.lotSize, reducedVariant };
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      const field = /lot ?size/i.test(error.message) ? 'lot_size' : /level/i.test(error.message) ? 'level' : /aql/i.test(error.message) ? 'aql' : 'plan';
      throw invalid('invalid-sampling-plan-query', error.message, [{ field, message: error.message }]);
    }
  }
}
