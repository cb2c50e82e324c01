/**
 * Who an organisation is, which is also what its API keys may do: every key acts with its
 * organisation's role (see access-policy.ts for what each role may call).
 */
export const ROLES = ['platform-admin', 'operations', 'merchant', 'inspection-agency', 'auditor', 'service'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
