import { cloudEventEnvelopeSchema, type CloudEvent } from './cloud-event.js';

/**
 * CloudEvents Kafka protocol binding, binary content mode: attributes travel as `ce_*` headers and
 * the value is the event data alone, so plain Kafka tools show readable JSON.
 */
export interface KafkaRecord {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

const ATTRIBUTE_HEADERS = ['id', 'source', 'type', 'subject', 'time', 'correlationid'] as const;

/**
 * `dataJson`, when given, is the event's data already encoded as JSON by the caller (who built it once
 * from pieces it had encoded anyway, as an EPCIS capture does with its records), and is sent as is.
 */
export function toKafkaRecord(event: CloudEvent, key: string, dataJson?: string): KafkaRecord {
  const headers: Record<string, string> = {
    ce_specversion: event.specversion,
    'content-type': event.datacontenttype,
  };
  for (const attribute of ATTRIBUTE_HEADERS) {
    const value = event[attribute];
    if (value !== undefined) headers[`ce_${attribute}`] = value;
  }
  return { key, value: dataJson ?? JSON.stringify(event.data), headers };
}

export class MalformedCloudEventError extends Error {
  override readonly name = 'MalformedCloudEventError';
}

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

function headerText(value: HeaderValue): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Reads a binary-mode record back into an envelope; throws MalformedCloudEventError with the reason. */
export function fromKafkaRecord(headers: Record<string, HeaderValue>, value: Buffer | string | null): CloudEvent {
  let data: unknown;
  try {
    data = value === null ? null : JSON.parse(value.toString());
  } catch (error) {
    throw new MalformedCloudEventError(`event data is not JSON: ${(error as Error).message}`);
  }
  const candidate = {
    specversion: headerText(headers['ce_specversion']),
    datacontenttype: headerText(headers['content-type']),
    data,
    ...Object.fromEntries(ATTRIBUTE_HEADERS.map((attribute) => [attribute, headerText(headers[`ce_${attribute}`])])),
  };
  const parsed = cloudEventEnvelopeSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(envelope)'}: ${issue.message}`);
    throw new MalformedCloudEventError(`not a CloudEvent: ${problems.join('; ')}`);
  }
  return parsed.data as CloudEvent;
}
