import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { DatabaseModule } from '@traceport/database';
import { ArchiveGateway } from '../archive/archive.gateway.js';
import { GATEWAY_SCHEMA, type GatewayConfig } from '../config.js';
import { GATEWAY_MIGRATIONS } from '../database/migrations/index.js';
import { InspectionGateway } from '../decision/inspection.gateway.js';
import type { RateLimitGroup } from './access-policy.js';
import { AccessScopeInterceptor } from './access-scope.interceptor.js';
import { AccessGuard } from './access.guard.js';
import { ACCESS_OPTIONS } from './access.options.js';
import { AccessService } from './access.service.js';
import { AccessStore } from './access.store.js';
import { PublicRateLimitGuard } from './public-rate-limit.guard.js';

/**
 * Access control for every route and RPC of the gateway: organisations and API keys in the
 * gateway's own schema, the guard that applies access-policy.ts, the scope checks for merchants and
 * agencies, and the rate limits on public operations. The guards run in this order: who you are
 * and what you may call first, then the public rate limit (which a valid key lifts).
 */
@Module({})
export class AccessModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const rateLimits: Record<RateLimitGroup, number> = { scan: config.RATE_LIMIT_SCAN, proofs: config.RATE_LIMIT_PROOFS };
    return {
      module: AccessModule,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: GATEWAY_SCHEMA,
          applicationName: 'interaction-gateway',
          entities: [],
          migrations: GATEWAY_MIGRATIONS,
          poolMax: config.DATABASE_POOL_MAX,
        }),
        ThrottlerModule.forRoot({
          throttlers: Object.entries(rateLimits).map(([name, limit]) => ({ name, limit, ttl: config.RATE_LIMIT_WINDOW_MS })),
        }),
      ],
      providers: [
        { provide: ACCESS_OPTIONS, useValue: { bootstrapAdminKey: config.BOOTSTRAP_ADMIN_KEY, cacheTtlMs: config.AUTH_CACHE_TTL_MS } },
        AccessStore,
        AccessService,
        ArchiveGateway,
        InspectionGateway,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: PublicRateLimitGuard },
        { provide: APP_INTERCEPTOR, useClass: AccessScopeInterceptor },
      ],
      // AccessController is the AppModule's, listed before the generic /v1/:collection routes it would otherwise lose to.
      exports: [AccessService],
    };
  }
}

/** Express's "trust proxy" from TRUST_PROXY: true/false, a hop count, or addresses and names (loopback, 10.0.0.0/8). */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
