import { gatewayFetch } from './gateway-client.js';

/**
 * Captures one EPCIS ObjectEvent on a whole lot (its GTIN and lot number, as a quantity), as the
 * bonded warehouse reports a lot arriving or being inspected, and answers the capture's response.
 */
export function captureLotEvent(event: { gtin: string; lot: string; quantity: number; bizStep: string; disposition: string }): Promise<Response> {
  const now = new Date().toISOString();
  return gatewayFetch('/epcis/capture', {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: now,
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventID: `urn:uuid:${crypto.randomUUID()}`,
            eventTime: now,
            eventTimeZoneOffset: '+08:00',
            quantityList: [{ epcClass: `https://id.gs1.org/01/${event.gtin}/10/${event.lot}`, quantity: event.quantity, uom: 'EA' }],
            action: 'OBSERVE',
            bizStep: event.bizStep,
            disposition: event.disposition,
            bizLocation: { id: 'https://id.gs1.org/414/9506000002002' },
          },
        ],
      },
    }),
  });
}
