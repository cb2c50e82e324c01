import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from './profile.ts';

// The demo's bootstrap admin API key: made once per profile, kept in .run/<profile>/admin-key
// (mode 0600), handed to the gateway as BOOTSTRAP_ADMIN_KEY (which makes sure a platform-admin
// organisation holds it), printed by `./traceport up` and `./traceport admin-key`, and sent by every
// CLI path that calls a protected gateway route (the seed, import, the benchmarks).

const KEY_PATTERN = /^tp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;

export function adminKeyFile(profile: Profile): string {
  return join(profile.runDir, 'admin-key');
}

/** The profile's admin key, or null before the first `up`/`test`. */
export function readAdminKey(profile: Profile): string | null {
  const file = adminKeyFile(profile);
  if (!existsSync(file)) return null;
  const key = readFileSync(file, 'utf8').trim();
  if (!KEY_PATTERN.test(key)) throw new Error(`${file} does not hold a Traceport API key; delete it and run ./traceport up again`);
  return key;
}

let activeKey: string | null = null;

/** The profile's admin key, made on first use; later gateway calls of this process send it (gatewayFetch). */
export function ensureAdminKey(profile: Profile): string {
  let key = readAdminKey(profile);
  if (key === null) {
    key = `tp_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    mkdirSync(profile.runDir, { recursive: true });
    writeFileSync(adminKeyFile(profile), `${key}\n`, { mode: 0o600 });
  }
  chmodSync(adminKeyFile(profile), 0o600);
  activeKey = key;
  return key;
}

/** Uses this key for gatewayFetch (e.g. one given by TRACEPORT_API_KEY for another gateway). */
export function useApiKey(key: string): void {
  activeKey = key;
}

/** fetch() against the gateway with the admin key (when one was ensured), as the seed, import and benchmarks call it. */
export function gatewayFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (activeKey !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${activeKey}`);
  return fetch(input, { ...init, headers });
}
