import { EPCIS_CONTEXT_URL } from '@traceport/contracts';

/**
 * The body of a notification: an EPCISQueryDocument naming the query and the subscription, with the
 * matching events as they were stored (JSON text, assembled rather than re-serialised).
 */
export function notificationDocumentJson(queryName: string, subscriptionId: string, eventJsons: readonly string[], now = new Date()): string {
  const head = JSON.stringify({ '@context': [EPCIS_CONTEXT_URL], type: 'EPCISQueryDocument', schemaVersion: '2.0', creationDate: now.toISOString() });
  return `${head.slice(0, -1)},"epcisBody":{"queryResults":{"queryName":${JSON.stringify(queryName)},"subscriptionID":${JSON.stringify(subscriptionId)},"resultsBody":{"eventList":[${eventJsons.join(',')}]}}}}`;
}
