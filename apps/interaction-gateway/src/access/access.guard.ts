import type { Metadata } from '@grpc/grpc-js';
import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DomainException } from '@traceport/errors';
import type { Request, Response } from 'express';
import { grpcRule, restOperationKey, restRule, UNLISTED, type AccessRule } from './access-policy.js';
import { AccessService } from './access.service.js';
import { bearerToken } from './api-key.js';
import { attachPrincipal } from './principal.js';

/** What the guard found for a call: its rule in the policy, and where to hang the principal. */
export interface AccessTarget {
  readonly operation: string;
  readonly rule: AccessRule;
  readonly credential: unknown;
  readonly carrier: object;
}

/** The operation key, rule and credential of a REST request or a gRPC call. */
export function accessTargetOf(context: ExecutionContext): AccessTarget | null {
  switch (context.getType<'http' | 'rpc'>()) {
    case 'http': {
      const request = context.switchToHttp().getRequest<Request>();
      const routePath = (request.route as { path?: unknown } | undefined)?.path;
      const operation = restOperationKey(request.method, typeof routePath === 'string' ? routePath : request.path, request.params);
      return { operation, rule: restRule(operation), credential: request.headers.authorization, carrier: request };
    }
    case 'rpc': {
      const metadata = context.switchToRpc().getContext<Metadata>();
      const call = context.getArgByIndex<{ getPath?: () => string } | undefined>(2);
      const path = call?.getPath?.() ?? '';
      return { operation: path.replace(/^\//, ''), rule: grpcRule(path), credential: metadata.get('authorization')[0], carrier: call ?? metadata };
    }
    default:
      return null;
  }
}

/**
 * The one gate of the gateway, for REST (Authorization: Bearer) and gRPC (metadata authorization:
 * Bearer): public operations pass; every other needs a valid key (401) of a role the policy admits
 * for it (403). Merchants and agencies are then narrowed to their own data by AccessScopeInterceptor.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('AccessGuard');
  private readonly unlistedSeen = new Set<string>();

  constructor(private readonly access: AccessService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const target = accessTargetOf(context);
    if (target === null) return false;
    // Once per operation (and a bounded number of them: /v1/{anything} reaches here too).
    if (target.rule === UNLISTED && !this.unlistedSeen.has(target.operation) && this.unlistedSeen.size < 200) {
      this.unlistedSeen.add(target.operation);
      this.logger.warn(`${target.operation} is not in the access policy (access-policy.ts): only platform-admin keys may call it`);
    }
    const token = bearerToken(target.credential);
    if (target.rule.public === true) {
      // A key on a public call is used if valid (it lifts the public rate limit), and otherwise ignored.
      if (token !== null) await this.access.authenticate(token).then((principal) => attachPrincipal(target.carrier, principal), () => undefined);
      return true;
    }
    if (token === null) {
      throw this.challenge(context, new DomainException('api-key-required', 'unauthenticated', `${target.operation} needs an API key: Authorization: Bearer tp_…`));
    }
    const principal = await this.access.authenticate(token).catch((error: unknown) => {
      throw error instanceof DomainException && error.kind === 'unauthenticated' ? this.challenge(context, error) : error;
    });
    if (!target.rule.roles.includes(principal.role)) {
      throw new DomainException('role-not-allowed', 'forbidden', `a ${principal.role} key may not call ${target.operation}`);
    }
    attachPrincipal(target.carrier, principal);
    return true;
  }

  /** RFC 6750: a 401 names the scheme to use. */
  private challenge(context: ExecutionContext, error: DomainException): DomainException {
    if (context.getType() === 'http') {
      const code = error.code === 'api-key-required' ? '' : ', error="invalid_token"';
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', `Bearer realm="traceport"${code}`);
    }
    return error;
  }
}
