import { Module, type DynamicModule } from '@nestjs/common';
import { ArchiveGateway } from '../archive/archive.gateway.js';
import { ControlGateway } from '../control/control.gateway.js';
import { InspectionGateway } from '../decision/inspection.gateway.js';
import { EpcisModule } from '../epcis/epcis.module.js';
import { ProofGateway } from '../proof/proof.gateway.js';
import { IDENTITY_LOOKUP } from './identity-lookup.js';
import { IdentityLookupGateway } from './identity-lookup.gateway.js';
import { SCAN_REGION_HEADER } from './identity-lookup.tokens.js';
import { ResolverController } from './resolver.controller.js';
import { ScanPageService } from './scan-page.service.js';
import { ScanGateway } from './scan.gateway.js';

/** The GS1 Digital Link resolver and the consumer scan page. */
@Module({})
export class ResolverModule {
  static forRoot(options: { regionHeader: string }): DynamicModule {
    return {
      module: ResolverModule,
      imports: [EpcisModule],
      controllers: [ResolverController],
      providers: [
        ScanPageService,
        ScanGateway,
        ArchiveGateway,
        InspectionGateway,
        ControlGateway,
        ProofGateway,
        { provide: IDENTITY_LOOKUP, useClass: IdentityLookupGateway },
        { provide: SCAN_REGION_HEADER, useValue: options.regionHeader.toLowerCase() },
      ],
    };
  }
}
