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

// ---------------------------------------------------------------------------------------------
// Narrow tolerances for GS1's own published examples. Each one is named here, applies before the
// JSON Schema runs, and changes nothing else: every other rule of the schema still applies.

/** The EPCIS major version this capture interface implements (EPCIS 2.0 §9, `schemaVersion`). */
export const SUPPORTED_SCHEMA_VERSION = /^2(\.\d+)*$/;

/**
 * Document header defaults. GS1's JSON Schema requires `schemaVersion` (a string) and
 * `creationDate`; two of GS1's simplified-context examples (WithSensorData/SensorDataExample12,
 * SensorDataExample17) omit them or write `"schemaVersion": 2.0`. Neither field is stored — they
 * describe the document, not its events — so:
 * - a missing `schemaVersion` is taken as "2.0", the version of the interface it was sent to;
 * - the JSON number 2 (written `2` or `2.0`; JSON cannot tell them apart) becomes "2.0";
 *   any other number, or any other type, is left for the schema to refuse;
 * - a missing `creationDate` is taken as the time the document was received, the latest it can
 *   have been created. A creationDate that is present is never replaced: a bad one stays a 400.
 * Whether the (possibly defaulted) version is one this interface speaks is checked separately
 * (SUPPORTED_SCHEMA_VERSION): the schema's own pattern would let "3.0" through.
 */
export function applyHeaderDefaults(document: JsonObject, receivedAt: Date): void {
  const version = document['schemaVersion'];
  if (version === undefined || version === 2) document['schemaVersion'] = '2.0';
  if (document['creationDate'] === undefined) document['creationDate'] = receivedAt.toISOString();
}

/** A field kept on the event as sent, but checked apart from the event's schema (see eventForSchema). */
export interface SetAsideField {
  readonly field: 'ilmd' | 'persistentDisposition';
  readonly value: Json;
}

/**
 * GS1's JSON Schema since gs1/EPCIS#447 (Nov 2022) lists `persistentDisposition` only on
 * ObjectEvent and TransformationEvent. That is not the schema lagging the standard: the EPCIS 2.0
 * UML, ontology and SHACL shapes, and the table closing §7.3.6.2.2 (n/a for these types), agree.
 * It is GS1's simplified-context examples that were never updated (gs1/EPCIS#395, #440): the
 * *_all_possible_fields Aggregation/Association/Transaction examples and PersistentDisposition-example.
 */
const PERSISTENT_DISPOSITION_OUTSIDE_SCHEMA = new Set(['AggregationEvent', 'AssociationEvent', 'TransactionEvent']);

/**
 * The event as GS1's JSON Schema is asked to check it: the event itself, except for two fields the
 * standard does not define where GS1's examples put them, which are set aside and checked against
 * their own schema definitions instead (the caller does so, at their original path):
 * - `persistentDisposition` on an Aggregation-, Association- or TransactionEvent (see above);
 * - `ilmd` on an ObjectEvent whose action is OBSERVE. EPCIS 2.0 §7.4.2 says an ObjectEvent SHALL NOT
 *   contain ilmd unless its action is ADD (ILMD describes objects as they are created), and the
 *   schema enforces it; GS1's simplified object_event_all_possible_fields example does it anyway.
 * Both are accepted and stored as sent — a repository keeps what it was given, and the event's
 * hash covers them — but they are not interpreted: Traceport derives no lot from such ILMD
 * (captured-event.ts) and has no query over persistentDisposition. An ObjectEvent with action
 * DELETE and ilmd is still refused, as the schema says.
 */
export function eventForSchema(event: JsonObject): { view: JsonObject; setAside: SetAsideField[] } {
  const setAside: SetAsideField[] = [];
  const type = event['type'];
  if (typeof type === 'string' && PERSISTENT_DISPOSITION_OUTSIDE_SCHEMA.has(type) && event['persistentDisposition'] !== undefined) {
    setAside.push({ field: 'persistentDisposition', value: event['persistentDisposition'] });
  }
  if (type === 'ObjectEvent' && event['action'] === 'OBSERVE' && event['ilmd'] !== undefined) {
    setAside.push({ field: 'ilmd', value: event['ilmd'] });
  }
  if (setAside.length === 0) return { view: event, setAside };
  const view: JsonObject = { ...event };
  for (const { field } of setAside) delete view[field];
  return { view, setAside };
}
