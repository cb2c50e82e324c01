import { Metadata, type ServerUnaryCall } from '@grpc/grpc-js';
import { fromGrpcError } from '@traceport/errors';
import { CORRELATION_HEADER, currentCorrelationId } from '@traceport/observability';
import { lastValueFrom, type Observable } from 'rxjs';

/** A method of a NestJS gRPC client stub: request, metadata, call options. */
export type UpstreamMethod<Req, Res> = (request: Req, metadata: Metadata, options: { deadline: Date }) => Observable<Res>;

/**
 * Calls an internal service with the request's correlation id and a deadline: the caller's own
 * gRPC deadline when it set one (so it propagates), otherwise the configured upper bound. Errors come
 * back as the domain errors they were upstream.
 */
export async function callUpstream<Req, Res>(
  method: UpstreamMethod<Req, Res>,
  request: Req,
  timeoutMs: number,
  incoming?: ServerUnaryCall<unknown, unknown>,
): Promise<Res> {
  const metadata = new Metadata();
  const correlationId = currentCorrelationId();
  if (correlationId !== undefined) metadata.set(CORRELATION_HEADER, correlationId);
  const ownDeadline = Date.now() + timeoutMs;
  const callerDeadline = incoming?.getDeadline();
  const callerMs = callerDeadline instanceof Date ? callerDeadline.getTime() : typeof callerDeadline === 'number' ? callerDeadline : Infinity;
  const deadline = new Date(Math.min(ownDeadline, callerMs));
  try {
    return await lastValueFrom(method(request, metadata, { deadline }));
  } catch (error) {
    throw fromGrpcError(error);
  }
}
