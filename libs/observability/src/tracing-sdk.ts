import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { TracingSettings } from './tracing.js';

/** Probes and scrapes arrive every few seconds and say nothing about a request: no spans for them. */
const UNTRACED_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/** The modules the instrumentations below patch; the ESM loader hook intercepts only these. */
export const INSTRUMENTED_MODULES = ['http', 'https', '@grpc/grpc-js', 'pg'] as const;

/**
 * Starts the OpenTelemetry Node SDK for traces only (metrics stay Prometheus at /metrics, logs stay
 * JSON on stdout). Exporter, protocol, sampler, propagators and resource come from the standard
 * OTEL_* variables, OTLP over HTTP/protobuf unless OTEL_EXPORTER_OTLP_PROTOCOL says otherwise.
 *
 * Spans come from HTTP (the gateway's REST side), gRPC (every hop between services), pg (each
 * query inside a traced request or message) and, for Kafka, from @traceport/messaging itself: the
 * outbox writes the trace context into the event's headers when the event is created, because the
 * relay publishes later, outside the request, where an instrumented producer would start a new trace.
 */
export function startTracing(settings: TracingSettings): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? '') }),
      // Health checks and reflection are plumbing, polled by readiness checks and tools.
      new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch', 'ServerReflectionInfo'] }),
      // Only queries that belong to a request or a message: the outbox relay's polling is not a trace.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return sdk;
}
