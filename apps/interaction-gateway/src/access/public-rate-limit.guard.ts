import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import { DomainException } from '@traceport/errors';
import type { Request, Response } from 'express';
import { accessTargetOf } from './access.guard.js';
import { principalOf } from './principal.js';

/**
 * Rate limits on the public operations (the scan page and resolver, proofs), per client address and
 * group (access-policy.ts says which group an operation is in; the limits are the gateway's
 * RATE_LIMIT_* settings). Callers with a valid key are not limited here: they are known, and the
 * limit protects the anonymous surface. Over the limit: 429 problem+json with Retry-After.
 */
@Injectable()
export class PublicRateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const target = accessTargetOf(context);
    return target === null || target.rule.public !== true || target.rule.rateLimit === undefined || principalOf(target.carrier) !== null;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const target = accessTargetOf(request.context);
    // Each throttler is one group; an operation counts against its own group only.
    if (target?.rule.public !== true || target.rule.rateLimit !== request.throttler.name) return true;
    return super.handleRequest(request);
  }

  /** One bucket per group and client, across the group's routes. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return (request as unknown as Request).ip ?? 'unknown';
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new DomainException('rate-limited', 'rate_limited', `more than ${detail.limit} requests in ${Math.round(detail.ttl / 1000)} s from this client; retry after ${retryAfter} s`);
  }
}
