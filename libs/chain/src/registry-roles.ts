/** Role bits of a consortium member, as TraceportRegistry stores them (`roles(address)` is their OR). */
export const Role = {
  /** May append log heads. */
  Anchorer: 1,
  /** An inspection agency: may attest inspection results. */
  Agency: 2,
  /** Reads and audits; like every member, takes part in governance. */
  Auditor: 4,
} as const;

export type RoleName = keyof typeof Role;

/** TraceportRegistry.ProposalKind, in declaration order (the ABI encodes the enum as uint8). */
export const ProposalKind = {
  Admit: 0,
  Remove: 1,
  ChangeRoles: 2,
} as const;

export type ProposalKindName = keyof typeof ProposalKind;

export function rolesMask(...roles: readonly RoleName[]): number {
  return roles.reduce((mask, role) => mask | Role[role], 0);
}

export function roleNames(mask: number): RoleName[] {
  return (Object.keys(Role) as RoleName[]).filter((role) => (mask & Role[role]) !== 0);
}

export function proposalKindName(kind: number): ProposalKindName {
  const name = (Object.keys(ProposalKind) as ProposalKindName[]).find((key) => ProposalKind[key] === kind);
  if (name === undefined) throw new RangeError(`unknown proposal kind ${kind}`);
  return name;
}
