import { describe, expect, it } from 'vitest';
import { GRPC_POLICY, REST_POLICY, UNLISTED, grpcRule, restOperationKey, restRule } from './access-policy.js';

describe('the access policy', () => {
  it('names a scope wherever it admits a merchant or an agency, so they see only their own data', () => {
    for (const [operation, rule] of Object.entries({ ...REST_POLICY, ...GRPC_POLICY })) {
      if (rule.public === true) continue;
      if (rule.roles.includes('merchant')) expect(rule.scopes?.merchant, operation).toBeDefined();
      if (rule.roles.includes('inspection-agency')) expect(rule.scopes?.['inspection-agency'], operation).toBeDefined();
    }
  });

  it('keys REST routes as OpenAPI does, the archive per collection', () => {
    expect(restOperationKey('get', '/v1/:collection/:id/versions/:version', { collection: 'lots', id: 'x', version: '1' })).toBe('GET /v1/lots/{id}/versions/{version}');
    expect(restOperationKey('GET', '/01/*path', { path: ['x'] })).toBe('GET /01/{path}');
    // Not a collection: the archive's generic route, which answers 404.
    expect(restOperationKey('GET', '/v1/:collection/:id', { collection: 'suppliers', id: 'x' })).toBe('GET /v1/{collection}/{id}');
    expect(restOperationKey('GET', '/v1/:collection', { collection: 'constructor' })).toBe('GET /v1/{collection}');
    expect(restRule('GET /v1/lots/{id}').public).not.toBe(true);
    expect(restRule('GET /01/{path}')).toEqual({ public: true, rateLimit: 'scan' });
  });

  it('closes what it does not list to everyone but a platform admin', () => {
    expect(restRule('DELETE /v1/merchants/{id}')).toBe(UNLISTED);
    expect(grpcRule('/traceport.v1.ArchiveService/DropEverything')).toBe(UNLISTED);
    expect(UNLISTED).toEqual({ roles: ['platform-admin'] });
    expect(grpcRule('/traceport.v1.LedgerService/GetRecordProof').public).toBe(true);
  });
});
