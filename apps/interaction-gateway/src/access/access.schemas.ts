import { z } from 'zod';
import { ROLES } from './roles.js';

// The access API's request and response shapes: validated with these, documented from them.

export const Role = z.enum(ROLES).describe('The organisation kind, which is every one of its keys\' role.');

export const NewOrganisation = z
  .strictObject({
    name: z.string({ error: 'required: the organisation\'s name' }).trim().min(1, 'required: the organisation\'s name').max(300, 'at most 300 characters'),
    kind: z.enum(ROLES, { error: `one of ${ROLES.join(', ')}` }),
    merchantIds: z.array(z.uuid({ error: 'a merchant\'s archive id (a UUID)' })).max(1_000).default([]).describe('merchant: the merchants (archive ids) its keys may see.'),
    agencyId: z.string().trim().min(1).max(200).optional().describe('inspection-agency: its agency id, as inspection orders name it.'),
  })
  .superRefine((organisation, context) => {
    if (organisation.kind === 'merchant' && organisation.merchantIds.length === 0) {
      context.addIssue({ code: 'custom', path: ['merchantIds'], message: 'a merchant organisation is bound to at least one merchant id' });
    }
    if (organisation.kind !== 'merchant' && organisation.merchantIds.length > 0) {
      context.addIssue({ code: 'custom', path: ['merchantIds'], message: 'only a merchant organisation is bound to merchants' });
    }
    if (organisation.kind === 'inspection-agency' && organisation.agencyId === undefined) {
      context.addIssue({ code: 'custom', path: ['agencyId'], message: 'an inspection-agency organisation is bound to its agency id' });
    }
    if (organisation.kind !== 'inspection-agency' && organisation.agencyId !== undefined) {
      context.addIssue({ code: 'custom', path: ['agencyId'], message: 'only an inspection-agency organisation has an agency id' });
    }
  });

export const NewApiKey = z.strictObject({
  name: z.string().trim().min(1).max(200).default('API key').describe('What the key is for, e.g. "ERP integration".'),
  expiresAt: z.iso
    .datetime({ offset: true, error: 'an RFC 3339 date-time with a zone, e.g. 2027-01-01T00:00:00Z' })
    .refine((value) => Date.parse(value) > Date.now(), 'a time in the future')
    .optional()
    .describe('When the key stops working; it never expires when absent.'),
});

export const Organisation = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: Role,
  merchantIds: z.array(z.uuid()),
  agencyId: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});

export const ApiKey = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('The public part of the key (tp_<prefix>_…), to recognise it.'),
  role: Role,
  createdAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
  lastUsedAt: z.iso.datetime({ offset: true }).nullable().describe('Approximate: recorded every few seconds.'),
});

export const CreatedApiKey = ApiKey.extend({ key: z.string().describe('The key itself: shown this once, never stored. Send it as Authorization: Bearer <key>.') });

export const WhoAmI = z.object({
  keyId: z.uuid(),
  role: Role,
  organisation: z.object({ id: z.uuid(), name: z.string(), kind: Role }),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
});
