import { EPCIS_CONTEXT_URL } from '@traceport/contracts';
import type { TraceEventMessage } from '@traceport/contracts';

/**
 * An EPCISQueryDocument (EPCIS 2.0 §9) around stored events. The events are already JSON text as
 * anchored, so the document is assembled as text rather than parsed and serialised again.
 */
export function epcisQueryDocumentJson(events: readonly TraceEventMessage[], queryName = 'SimpleEventQuery'): string {
  const head = JSON.stringify({
    '@context': [EPCIS_CONTEXT_URL],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
  });
  const eventList = events.map((event) => event.eventJson).join(',');
  return `${head.slice(0, -1)},"epcisBody":{"queryResults":{"queryName":${JSON.stringify(queryName)},"resultsBody":{"eventList":[${eventList}]}}}}`;
}
