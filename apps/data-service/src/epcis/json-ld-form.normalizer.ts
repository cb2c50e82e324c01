import type { Json, JsonObject } from './event-hash.js';

/**
 * JSON-LD lets one value stand where the EPCIS JSON form has a one-element list, and lets a node
 * restate its class (`"type": "epcis:SensorElement"`), and `id` is an alias of `eventID`; GS1's
 * simplified-@context examples use all three.
 * They mean exactly what the JSON form says, so documents are brought to that form before they are
 * validated against GS1's JSON Schema and stored — one shape for queries, hashes and readers. Nothing
 * else is relaxed: every schema rule still applies.
 */
const EVENT_LIST_FIELDS = [
  'epcList', 'childEPCs', 'inputEPCList', 'outputEPCList', 'quantityList', 'childQuantityList', 'inputQuantityList',
  'outputQuantityList', 'bizTransactionList', 'sourceList', 'destinationList', 'sensorElementList',
] as const;

const SENSOR_ELEMENT_CLASSES = new Set(['SensorElement', 'epcis:SensorElement', 'https://ref.gs1.org/epcis/SensorElement']);

const isObject = (value: Json | undefined): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

function wrap(object: JsonObject, field: string): void {
  const value = object[field];
  if (value !== undefined && value !== null && !Array.isArray(value)) object[field] = [value];
}

export function normalizeJsonLdForm(event: JsonObject): void {
  // Both EPCIS contexts alias `id` and `eventID` to @id; the JSON form names it eventID.
  if (event['eventID'] === undefined && typeof event['id'] === 'string') {
    event['eventID'] = event['id'];
    delete event['id'];
  }
  for (const field of EVENT_LIST_FIELDS) wrap(event, field);
  const persistent = event['persistentDisposition'];
  if (isObject(persistent)) {
    wrap(persistent, 'set');
    wrap(persistent, 'unset');
  }
  const declaration = event['errorDeclaration'];
  if (isObject(declaration)) wrap(declaration, 'correctiveEventIDs');
  const elements = event['sensorElementList'];
  if (Array.isArray(elements)) {
    for (const element of elements) {
      if (!isObject(element)) continue;
      const type = element['type'];
      if (typeof type === 'string' && SENSOR_ELEMENT_CLASSES.has(type)) delete element['type'];
      wrap(element, 'sensorReport');
    }
  }
}

/** A blank-node document id (`_:document1`) names nothing outside the document; it is not kept. */
export function dropBlankNodeId(document: JsonObject): void {
  const id = document['id'];
  if (typeof id === 'string' && id.startsWith('_:')) delete document['id'];
}
