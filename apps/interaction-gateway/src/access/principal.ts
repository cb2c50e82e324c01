import type { Role } from './roles.js';

/** Who a request acts for: the key presented and its organisation (the role is the organisation's kind). */
export interface Principal {
  readonly keyId: string;
  readonly keyPrefix: string;
  readonly role: Role;
  readonly organisation: {
    readonly id: string;
    readonly name: string;
    readonly kind: Role;
    /** A merchant organisation's merchants (archive ids): what its keys may see. */
    readonly merchantIds: readonly string[];
    /** An inspection agency's id, as inspection orders name it. */
    readonly agencyId: string | null;
  };
  readonly expiresAt: string | null;
}

// The guard hangs the principal on the Express request or on the gRPC call, where the scope checks
// and controllers find it; a symbol keeps it off anything serialised.
const PRINCIPAL = Symbol('traceport.principal');

export function attachPrincipal(carrier: object, principal: Principal): void {
  (carrier as { [PRINCIPAL]?: Principal })[PRINCIPAL] = principal;
}

export function principalOf(carrier: object | undefined): Principal | null {
  return carrier === undefined ? null : ((carrier as { [PRINCIPAL]?: Principal })[PRINCIPAL] ?? null);
}
