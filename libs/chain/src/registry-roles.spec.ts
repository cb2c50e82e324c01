import { describe, expect, it } from 'vitest';

import { ProposalKind, proposalKindName, roleNames, rolesMask } from './registry-roles.js';

describe('registry roles', () => {
  it('combines and splits role masks', () => {
    expect(rolesMask('Anchorer', 'Auditor')).toBe(5);
    expect(roleNames(5)).toEqual(['Anchorer', 'Auditor']);
    expect(roleNames(0)).toEqual([]);
  });

  it('names proposal kinds in the contract enum order', () => {
    expect(proposalKindName(ProposalKind.ChangeRoles)).toBe('ChangeRoles');
    expect(() => proposalKindName(7)).toThrow(RangeError);
  });
});
