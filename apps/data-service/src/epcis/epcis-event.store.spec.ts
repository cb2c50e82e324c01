import { EPCIS_CAPTURE_MESSAGE_MAX_BYTES, EPCIS_CAPTURE_MESSAGE_MAX_EVENTS, type EpcisStoredEvent } from '@traceport/contracts';
import { describe, expect, it } from 'vitest';
import { messagesOf } from './epcis-event.store.js';

function stored(seq: number, padding = 0): EpcisStoredEvent {
  return {
    recordType: 'epcis.event',
    recordKey: `epcis.event/${String(seq).padStart(64, '0')}/v1`,
    record: { type: 'ObjectEvent', eventID: `urn:uuid:${seq}`, eventTime: '2026-10-01T00:00:00Z', recordTime: '2026-10-01T00:00:01Z', note: '界'.repeat(padding) },
    facts: { seq: String(seq), bizStep: null, disposition: null, bizLocation: null, lots: [] },
  };
}

const bytesOf = (event: EpcisStoredEvent) => Buffer.byteLength(JSON.stringify(event), 'utf8');
const seqsOf = (messages: EpcisStoredEvent[][]) => messages.map((message) => message.map((event) => Number(event.facts.seq)));
const utf8Bytes = (message: EpcisStoredEvent[]) => Buffer.byteLength(JSON.stringify({ captureId: crypto.randomUUID(), records: message }), 'utf8');

describe('messagesOf', () => {
  it('keeps a typical document in one message', () => {
    const events = Array.from({ length: 100 }, (_, n) => stored(n));
    expect(seqsOf(messagesOf(events, bytesOf))).toEqual([events.map((_, n) => n)]);
  });

  it('splits a large document, in order, at the event limit', () => {
    const events = Array.from({ length: 2 * EPCIS_CAPTURE_MESSAGE_MAX_EVENTS + 7 }, (_, n) => stored(n));
    const messages = messagesOf(events, bytesOf);
    expect(messages.map((message) => message.length)).toEqual([EPCIS_CAPTURE_MESSAGE_MAX_EVENTS, EPCIS_CAPTURE_MESSAGE_MAX_EVENTS, 7]);
    expect(seqsOf(messages).flat()).toEqual(events.map((_, n) => n));
  });

  it('splits by UTF-8 bytes, so messages of non-ASCII text stay within Kafka’s 1 MB default', () => {
    // ~30 KB of CJK per event (3 bytes each in UTF-8, 1 UTF-16 unit): 17 fit under 512 KiB, not 18.
    const events = Array.from({ length: 60 }, (_, n) => stored(n, 10_000));
    const messages = messagesOf(events, bytesOf);
    expect(messages.length).toBeGreaterThan(3);
    for (const message of messages) expect(utf8Bytes(message)).toBeLessThan(EPCIS_CAPTURE_MESSAGE_MAX_BYTES + 1024);
    expect(seqsOf(messages).flat()).toEqual(events.map((_, n) => n));
  });

  it('sends an event larger than the byte limit alone rather than not at all', () => {
    const events = [stored(1), stored(2, 200_000), stored(3)];
    expect(seqsOf(messagesOf(events, bytesOf))).toEqual([[1], [2], [3]]);
  });
});
