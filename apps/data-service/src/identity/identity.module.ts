import { Module } from '@nestjs/common';
import { DEFAULT_ISSUANCE_OPTIONS, IdentityIssuanceService, ISSUANCE_OPTIONS } from './identity-issuance.service.js';
import { IdentityGrpcController } from './identity.grpc.controller.js';
import { IdentityMetrics } from './identity.metrics.js';
import { IdentityService } from './identity.service.js';

/** Item identities: bulk issuance per lot, proofs of issuance, identities in order for labels (traceport.v1.IdentityService). */
@Module({
  controllers: [IdentityGrpcController],
  providers: [IdentityMetrics, IdentityIssuanceService, IdentityService, { provide: ISSUANCE_OPTIONS, useValue: DEFAULT_ISSUANCE_OPTIONS }],
})
export class IdentityModule {}
