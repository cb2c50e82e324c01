import type { NextFunction, Request, Response } from 'express';
import { acceptCorrelationId, CORRELATION_HEADER, runWithCorrelation } from './correlation.js';

/** Express middleware: every HTTP request runs inside a correlation id, echoed on the response. */
export function correlationMiddleware(request: Request, response: Response, next: NextFunction): void {
  const correlationId = acceptCorrelationId(request.header(CORRELATION_HEADER));
  response.setHeader(CORRELATION_HEADER, correlationId);
  runWithCorrelation(correlationId, next);
}
