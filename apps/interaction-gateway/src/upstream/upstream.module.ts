import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { PROTO_FILES, PROTO_PACKAGE, PROTO_ROOT } from '@traceport/contracts';
import { GRPC_MAX_MESSAGE_BYTES, grpcLoaderOptions } from '@traceport/observability';
import { DATA_SERVICE_CLIENT, DECISION_ENGINE_CLIENT, LEDGER_CLIENT, UPSTREAM_TIMEOUT_MS } from './upstream.tokens.js';

const loader = {
  ...grpcLoaderOptions({ packageName: PROTO_PACKAGE, protoRoot: PROTO_ROOT, protoFiles: PROTO_FILES }),
  maxSendMessageLength: GRPC_MAX_MESSAGE_BYTES,
  maxReceiveMessageLength: GRPC_MAX_MESSAGE_BYTES,
};

/** gRPC clients of the internal services the gateway fronts. */
@Global()
@Module({})
export class UpstreamModule {
  static forRoot(options: { dataServiceUrl: string; ledgerUrl: string; decisionEngineUrl: string; timeoutMs: number }): DynamicModule {
    return {
      module: UpstreamModule,
      imports: [
        ClientsModule.register([
          { name: DATA_SERVICE_CLIENT, transport: Transport.GRPC, options: { ...loader, url: options.dataServiceUrl } },
          { name: LEDGER_CLIENT, transport: Transport.GRPC, options: { ...loader, url: options.ledgerUrl } },
          { name: DECISION_ENGINE_CLIENT, transport: Transport.GRPC, options: { ...loader, url: options.decisionEngineUrl } },
        ]),
      ],
      providers: [{ provide: UPSTREAM_TIMEOUT_MS, useValue: options.timeoutMs }],
      exports: [ClientsModule, UPSTREAM_TIMEOUT_MS],
    };
  }
}
