/**
 * Every Kafka topic the platform uses, in one place. Names follow `<domain>.<entity>.<event>.v<n>`;
 * the partition key is the entity whose events must stay ordered. Kubernetes manifests and the
 * local bootstrap both derive their topic lists from here.
 */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
  /** What the message key is, so consumers on one partition see one entity's events in order. */
  readonly keyedBy: string;
  /** Whether the events carry an anchorable record that the ledger appends to the log. */
  readonly anchorable: boolean;
}

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;

export const Topics = {
  archiveRecordVersioned: {
    name: 'archive.record.versioned.v1',
    partitions: 3,
    retentionMs: SEVEN_DAYS_MS,
    keyedBy: 'record id (a record\'s versions stay in order)',
    anchorable: true,
  },
  epcisCaptureStored: {
    name: 'epcis.capture.stored.v1',
    partitions: 6,
    retentionMs: SEVEN_DAYS_MS,
    keyedBy:
      'the capture: a document\'s events travel together, and every consumer applies them in any order (the log appends, the trace graph adds set members, a lot is decided once)',
    anchorable: true,
  },
  decisionRecordVersioned: {
    name: 'decision.record.versioned.v1',
    partitions: 3,
    retentionMs: SEVEN_DAYS_MS,
    keyedBy: 'the lot a decision or inspection result concerns, else the rule set, whitelist entry or supplier',
    anchorable: true,
  },
  identityIssuanceRecorded: {
    name: 'identity.issuance.recorded.v1',
    partitions: 3,
    retentionMs: SEVEN_DAYS_MS,
    keyedBy: 'the lot the identities were issued for',
    anchorable: true,
  },
  controlRecordVersioned: {
    name: 'control.record.versioned.v1',
    partitions: 3,
    retentionMs: SEVEN_DAYS_MS,
    keyedBy: 'the lot a hold concerns, else the recall',
    anchorable: true,
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicName = (typeof Topics)[keyof typeof Topics]['name'];

/** Messages a consumer could not process after its retries land here, with the error in headers. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlt`;
}

export const DEAD_LETTER_RETENTION_MS = THIRTY_DAYS_MS;

/** The topics to create: every platform topic and its dead-letter twin. */
export function allTopicSpecs(): TopicSpec[] {
  const specs: TopicSpec[] = Object.values(Topics);
  return specs.flatMap((spec) => [
    spec,
    {
      name: deadLetterTopicOf(spec.name),
      partitions: 1,
      retentionMs: DEAD_LETTER_RETENTION_MS,
      keyedBy: spec.keyedBy,
      anchorable: false,
    },
  ]);
}

export function anchorableTopics(): string[] {
  const specs: TopicSpec[] = Object.values(Topics);
  return specs.filter((spec) => spec.anchorable).map((spec) => spec.name);
}
