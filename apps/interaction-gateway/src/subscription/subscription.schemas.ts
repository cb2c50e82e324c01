import { z } from 'zod';

// EPCIS 2.0 named queries and subscriptions, and Traceport's notification list, over REST.

const queryValue = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(1000)]);

export const namedQueryBody = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1 to 64 letters, digits, ".", "_" or "-"'),
    query: z.record(z.string(), queryValue).meta({ description: 'EPCIS 2.0 query parameters, as GET /epcis/events takes them (a value, or a list meaning any of them).' }),
  })
  .strict();

export const subscriptionBody = z
  .object({
    dest: z.string().min(1).max(2000).meta({ description: 'The webhook: an http(s) URL the notifications are POSTed to.' }),
    signatureToken: z.string().max(512).optional().meta({ description: 'Chosen by the client; keys the HMAC-SHA256 signature in the GS1-Signature header. Never shown again.' }),
    stream: z.boolean().optional().meta({ description: 'Must be true: a notification for every captured event that matches (schedules are not supported).' }),
    reportIfEmpty: z.boolean().optional(),
  })
  .strict();

const pageSize = z
  .string()
  .regex(/^\d{1,3}$/, 'a whole number from 1 to 500')
  .transform(Number)
  .refine((size) => size >= 1 && size <= 500, 'a whole number from 1 to 500');

export const notificationsQuery = z
  .object({
    status: z.enum(['pending', 'delivered', 'dead'], { error: 'pending, delivered or dead' }).optional(),
    subscription_id: z.uuid('a subscription id').optional(),
    page_size: pageSize.optional(),
    page_token: z.string().max(500).optional(),
  })
  .strict();

export const NamedQuery = z
  .object({ name: z.string(), query: z.record(z.string(), z.array(z.string())), createdAt: z.string() })
  .meta({ id: 'EpcisNamedQuery' });

export const QuerySubscription = z
  .object({
    subscriptionID: z.uuid(),
    queryName: z.string(),
    dest: z.string(),
    stream: z.boolean(),
    reportIfEmpty: z.boolean(),
    createdAt: z.string(),
    lastNotifiedAt: z.string().nullable(),
    signed: z.boolean().meta({ description: 'Whether notifications carry GS1-Signature.' }),
  })
  .meta({ id: 'EpcisQuerySubscription' });

export const Notification = z
  .object({
    id: z.uuid(),
    subscriptionID: z.uuid(),
    queryName: z.string(),
    dest: z.string(),
    eventIDs: z.array(z.string()),
    status: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number().int(),
    createdAt: z.string(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

export const NotificationPage = z.object({ items: z.array(Notification), nextPageToken: z.string().nullable() }).meta({ id: 'NotificationPage' });
