import type { Server as GrpcServer } from '@grpc/grpc-js';
import type { Server } from 'node:http';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PROTO_FILES, PROTO_PACKAGE, PROTO_ROOT } from '@traceport/contracts';
import { AllExceptionsFilter } from '@traceport/errors';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import { CorrelationInterceptor } from './correlation.interceptor.js';
import { answerClientErrorsAsProblems } from './client-error-responder.js';
import { correlationMiddleware } from './correlation.middleware.js';
import { NulCharacterInterceptor, rejectNulCharacters } from './nul-character-guard.js';
import { NestJsonLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { apiContentSecurityPolicy, securityHeaders } from './security-headers.js';

export interface GrpcEndpoint {
  readonly host: string;
  readonly port: number;
  readonly packageName: string;
  readonly protoRoot: string;
  readonly protoFiles: readonly string[];
  /** Fully qualified service names reported by grpc.health.v1. */
  readonly services: readonly string[];
}

export interface ServiceBootOptions {
  readonly service: string;
  readonly module: DynamicModule | Type;
  readonly logger: Logger;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly bodyLimit?: string;
    /** Largest text/csv body (bulk imports); 1 MB unless given. */
    readonly textBodyLimit?: string;
    /**
     * Keeps each parsed body's bytes as `request.rawBody` too (NestJS's rawBody option), for a
     * handler that forwards a document as it arrived rather than encoding the parsed value again.
     */
    readonly keepRawBody?: boolean;
  };
  readonly grpc?: GrpcEndpoint;
}

export const GRPC_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A gRPC server of package traceport.v1 on host:port, reporting `services` as SERVING. */
export function traceportGrpcEndpoint(host: string, port: number, services: readonly string[]): GrpcEndpoint {
  return { host, port, packageName: PROTO_PACKAGE, protoRoot: PROTO_ROOT, protoFiles: PROTO_FILES, services };
}

/** Options for a NestJS gRPC client or server speaking our protos, with the loader settings kept in one place. */
export function grpcLoaderOptions(endpoint: Pick<GrpcEndpoint, 'packageName' | 'protoRoot' | 'protoFiles'>) {
  return {
    package: endpoint.packageName,
    protoPath: endpoint.protoFiles.map((file) => `${endpoint.protoRoot}${file}`),
    loader: {
      includeDirs: [endpoint.protoRoot],
      keepCase: false,
      longs: Number,
      enums: String,
      defaults: true,
      oneofs: true,
    },
  };
}

/**
 * Starts one service the same way everywhere: JSON logs, a correlation id on every request,
 * problem+json / gRPC-status errors, request metrics, /health and /metrics, gRPC with server
 * reflection and grpc.health.v1, and graceful shutdown on SIGTERM.
 */
export async function bootService(options: ServiceBootOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module, {
    logger: new NestJsonLogger(options.logger.child({ component: 'nest' })),
    bodyParser: false,
    rawBody: options.http.keepRawBody ?? false,
  });
  app.use(correlationMiddleware);
  app.use(securityHeaders(), apiContentSecurityPolicy);
  app.useBodyParser('json', { limit: options.http.bodyLimit ?? '1mb', type: ['application/json', 'application/*+json', 'application/ld+json'] });
  app.useBodyParser('text', { limit: options.http.textBodyLimit ?? '1mb', type: ['text/csv'] });
  app.use(rejectNulCharacters);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalInterceptors(new CorrelationInterceptor(app.get(Metrics)), new NulCharacterInterceptor());
  app.enableShutdownHooks();

  let grpcHealth: HealthImplementation | undefined;
  if (options.grpc !== undefined) {
    const endpoint = options.grpc;
    grpcHealth = new HealthImplementation(Object.fromEntries([['', 'SERVING'], ...endpoint.services.map((name) => [name, 'SERVING'])]));
    const health = grpcHealth;
    const grpcOptions: GrpcOptions = {
      transport: Transport.GRPC,
      options: {
        ...grpcLoaderOptions(endpoint),
        url: `${endpoint.host}:${endpoint.port}`,
        // Bulk imports carry whole files between the gateway and the data-service.
        maxReceiveMessageLength: GRPC_MAX_MESSAGE_BYTES,
        maxSendMessageLength: GRPC_MAX_MESSAGE_BYTES,
        onLoadPackageDefinition: (definition: PackageDefinition, server: Pick<GrpcServer, 'addService'>) => {
          new ReflectionService(definition).addToServer(server);
          health.addToServer(server as GrpcServer);
        },
      },
    };
    app.connectMicroservice(grpcOptions, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(options.http.port, options.http.host);
  // Keep idle connections open longer than clients and proxies do (Node's default is 5 s): otherwise
  // the server may close a keep-alive socket in the instant a client reuses it, and that request fails.
  const server = app.getHttpServer() as Server & { keepAliveTimeout: number; headersTimeout: number };
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  answerClientErrorsAsProblems(server);
  const shutdown = () => {
    grpcHealth?.setStatus('', 'NOT_SERVING');
  };
  process.once('SIGTERM', shutdown);
  options.logger.info(
    { http: `http://${options.http.host}:${options.http.port}`, grpc: options.grpc ? `${options.grpc.host}:${options.grpc.port}` : undefined },
    `${options.service} started`,
  );
  return app;
}

/** Runs a service's boot function, turning a failed start into one clear log line and exit code 1. */
export function runService(logger: Logger, boot: () => Promise<unknown>): void {
  boot().catch((error: unknown) => {
    logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  });
}
