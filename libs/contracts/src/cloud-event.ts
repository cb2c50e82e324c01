import { z } from 'zod';

/** CloudEvents 1.0 envelope (https://github.com/cloudevents/spec), with our correlation extension. */
export interface CloudEvent<T = unknown> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  /** Extension attribute: one id follows a request across HTTP, gRPC and Kafka. */
  readonly correlationid?: string;
  readonly data: T;
}

export const cloudEventEnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  subject: z.string().min(1).optional(),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  correlationid: z.string().min(1).optional(),
  data: z.unknown(),
});

export interface NewCloudEvent<T> {
  readonly type: string;
  readonly source: string;
  readonly subject?: string;
  readonly data: T;
  readonly correlationId?: string;
  readonly id?: string;
  readonly time?: Date;
}

export function createCloudEvent<T>(init: NewCloudEvent<T>): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: init.id ?? crypto.randomUUID(),
    source: init.source,
    type: init.type,
    ...(init.subject === undefined ? {} : { subject: init.subject }),
    time: (init.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    ...(init.correlationId === undefined ? {} : { correlationid: init.correlationId }),
    data: init.data,
  };
}
