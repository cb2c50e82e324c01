import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { throwError, type Observable } from 'rxjs';
import { DomainException, type ErrorKind } from './domain.exception.js';
import { toGrpcError } from './grpc-status.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from './problem-details.js';

function kindOfHttpStatus(status: number): ErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too_large';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'internal';
  return 'invalid';
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/** Normalises anything thrown into a DomainException; unknown errors become `internal` and are logged. */
export function toDomainException(error: unknown, logger: Logger): DomainException {
  if (error instanceof DomainException) return error;
  // NestJS wraps body-parser failures in an HttpException; the cause says which one it was.
  const cause = error instanceof HttpException ? (error.cause as BodyParserError | undefined) : undefined;
  if (cause?.type === 'entity.parse.failed' || cause?.type === 'entity.too.large') return toDomainException(cause, logger);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return new DomainException(CODE_OF_STATUS[status] ?? 'http-error', kindOfHttpStatus(status), error.message);
  }
  const bodyError = error as BodyParserError;
  if (bodyError.type === 'entity.too.large') return new DomainException('payload-too-large', 'too_large', 'request body is too large');
  if (bodyError.type === 'entity.parse.failed') {
    return new DomainException('malformed-json', 'invalid', `request body is not valid JSON: ${bodyError.message ?? ''}`.trim());
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return new DomainException('internal', 'internal', 'an unexpected error occurred; quote the correlation id when reporting it');
}

/**
 * One catch-all filter per service: HTTP errors leave as RFC 9457 problem+json carrying the
 * correlation id; gRPC errors as a status code with the error code in trailing metadata.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('AllExceptionsFilter');

  catch(error: unknown, host: ArgumentsHost): Observable<never> | void {
    const domain = toDomainException(error, this.logger);
    if (host.getType() === 'rpc') return throwError(() => toGrpcError(domain));
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const correlationId = response.getHeader('x-correlation-id');
    const problem = problemOf(domain, {
      instance: request.originalUrl,
      ...(typeof correlationId === 'string' ? { correlationId } : {}),
    });
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
