import { Metadata } from '@grpc/grpc-js';
import { testPlatform } from '@traceport/testing';

/**
 * How tests reach the gateway as an operator would: with the platform's bootstrap admin key, which
 * `./traceport test` passes in TRACEPORT_ADMIN_KEY. Tests that check access itself pass their own
 * `authorization` header (or none), which wins over the default.
 */
export function adminKey(): string | undefined {
  const key = process.env['TRACEPORT_ADMIN_KEY'];
  return key === undefined || key === '' ? undefined : key;
}

export function adminHeaders(): Record<string, string> {
  const key = adminKey();
  return key === undefined ? {} : { authorization: `Bearer ${key}` };
}

/** fetch() against the gateway's REST API (a path such as /v1/merchants), as the admin by default. */
export function gatewayFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(adminHeaders())) if (!headers.has(name)) headers.set(name, value);
  return fetch(`${testPlatform().gatewayUrl}${path}`, { ...init, headers });
}

/** gRPC metadata carrying the admin key, for calls to the gateway's gRPC port. */
export function adminMetadata(): Metadata {
  const metadata = new Metadata();
  const key = adminKey();
  if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
  return metadata;
}
