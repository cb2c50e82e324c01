import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { EPCIS_JSON_SCHEMA_PATH } from '@traceport/contracts';
import type { FieldViolation } from '@traceport/errors';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { STANDARD_PREFIXES } from './cbv-vocabulary.js';
import { EpcisErrorCode, invalidDocument } from './epcis.exception.js';
import type { Json, JsonObject } from './event-hash.js';
import { applyHeaderDefaults, dropBlankNodeId, eventForSchema, normalizeJsonLdForm, SUPPORTED_SCHEMA_VERSION, type SetAsideField } from './json-ld-form.normalizer.js';

/** The EPCIS 2.0 event types Traceport stores; extension event types are refused. */
export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const;
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

export interface ValidatedDocument {
  readonly events: JsonObject[];
  /** Prefixes for compact IRIs: the standard ones and those the document's @context defines. */
  readonly prefixes: Readonly<Record<string, string>>;
  /** The document's own @context entries beyond the standard context, carried onto its events. */
  readonly customContext: Json[];
}

// ajv-formats is CommonJS; under ESM its default export arrives wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const isObject = (value: Json | undefined): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

function describe(error: ErrorObject): FieldViolation {
  const field = error.instancePath === '' ? '/' : error.instancePath;
  const property = (error as { propertyName?: string }).propertyName;
  switch (error.keyword) {
    case 'required':
      return { field, message: `missing required property ${(error.params as { missingProperty: string }).missingProperty}` };
    case 'propertyNames':
      return { field, message: `property ${String(property ?? (error.params as { propertyName?: string }).propertyName)} is not allowed here` };
    case 'enum':
      return { field: property === undefined ? field : `${field}/${property}`, message: `${error.message ?? 'not allowed'}` };
    default:
      return { field: property === undefined ? field : `${field}/${property}`, message: error.message ?? error.keyword };
  }
}

/**
 * Parses and validates an EPCISDocument against GS1's official EPCIS 2.0 JSON Schema (draft-07,
 * vendored in libs/contracts/epcis), after bringing JSON-LD variants to the JSON form.
 */
@Injectable()
export class EpcisDocumentValidator {
  private readonly validateSchema: ValidateFunction;
  /** The schema's own definitions, for fields checked apart from their event (eventForSchema). */
  private readonly validateField: Record<SetAsideField['field'], ValidateFunction>;

  constructor() {
    const ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(EPCIS_JSON_SCHEMA_PATH, 'utf8')) as { $id: string };
    this.validateSchema = ajv.compile(schema);
    const definition = (name: string) => ajv.getSchema(`${schema.$id}#/definitions/${name}`) ?? ajv.compile({ $ref: `${schema.$id}#/definitions/${name}` });
    this.validateField = { ilmd: definition('ilmd'), persistentDisposition: definition('persistentDisposition') };
  }

  validate(documentJson: string, receivedAt: Date = new Date()): ValidatedDocument {
    let document: Json;
    try {
      document = JSON.parse(documentJson) as Json;
    } catch (error) {
      throw invalidDocument(EpcisErrorCode.malformedJson, 'the document is not valid JSON', [{ field: '/', message: (error as Error).message }]);
    }
    if (!isObject(document)) throw invalidDocument(EpcisErrorCode.notACaptureDocument, 'not an EPCISDocument', [{ field: '/', message: 'a JSON object is expected' }]);
    if (document['type'] !== 'EPCISDocument') {
      const message =
        document['type'] === 'EPCISQueryDocument'
          ? 'an EPCISQueryDocument is a query result; capture takes an EPCISDocument'
          : `type must be EPCISDocument, not ${JSON.stringify(document['type'] ?? null)}`;
      throw invalidDocument(EpcisErrorCode.notACaptureDocument, 'not an EPCISDocument', [{ field: '/type', message }]);
    }
    dropBlankNodeId(document);
    const body = document['epcisBody'];
    const eventList = isObject(body) ? body['eventList'] : undefined;
    if (Array.isArray(eventList)) this.checkEventTypes(eventList);
    if (Array.isArray(eventList)) for (const event of eventList) if (isObject(event)) normalizeJsonLdForm(event);
    applyHeaderDefaults(document, receivedAt);
    const version = document['schemaVersion'];
    if (typeof version === 'string' && !SUPPORTED_SCHEMA_VERSION.test(version)) {
      throw invalidDocument(EpcisErrorCode.schemaViolation, 'the document does not conform to the EPCIS 2.0 JSON Schema', [
        { field: '/schemaVersion', message: `schemaVersion ${version} is not supported: this interface takes EPCIS 2.x documents` },
      ]);
    }
    // The schema checks each event without the fields eventForSchema sets aside; those are checked
    // against their own definitions below, at their own paths. The events themselves are kept whole.
    const setAside: { index: number; field: SetAsideField }[] = [];
    const forSchema = Array.isArray(eventList)
      ? {
          ...document,
          epcisBody: {
            ...(body as JsonObject),
            eventList: eventList.map((event, index) => {
              if (!isObject(event)) return event;
              const { view, setAside: fields } = eventForSchema(event);
              for (const field of fields) setAside.push({ index, field });
              return view;
            }),
          },
        }
      : document;
    if (!this.validateSchema(forSchema)) {
      const errors = (this.validateSchema.errors ?? []).filter((error) => error.keyword !== 'if' && error.keyword !== 'anyOf' && error.keyword !== 'allOf');
      const violations = (errors.length > 0 ? errors : (this.validateSchema.errors ?? [])).map(describe);
      throw invalidDocument(EpcisErrorCode.schemaViolation, 'the document does not conform to the EPCIS 2.0 JSON Schema', violations);
    }
    for (const { index, field } of setAside) {
      const validateField = this.validateField[field.field];
      if (validateField(field.value)) continue;
      const at = `/epcisBody/eventList/${index}/${field.field}`;
      const violations = (validateField.errors ?? []).map((error) => describe({ ...error, instancePath: `${at}${error.instancePath}` }));
      throw invalidDocument(EpcisErrorCode.schemaViolation, 'the document does not conform to the EPCIS 2.0 JSON Schema', violations);
    }
    const events = (eventList as Json[]).filter(isObject);
    return { events, ...contextOf(document['@context']) };
  }

  /** An event type outside EPCIS 2.0's five gets its own clear error, before the schema's generic one. */
  private checkEventTypes(eventList: Json[]): void {
    const violations: FieldViolation[] = [];
    eventList.forEach((event, index) => {
      const type = isObject(event) ? event['type'] : undefined;
      if (typeof type !== 'string' || !(EPCIS_EVENT_TYPES as readonly string[]).includes(type)) {
        violations.push({
          field: `/epcisBody/eventList/${index}/type`,
          message: `unknown event type ${JSON.stringify(type ?? null)}; expected one of ${EPCIS_EVENT_TYPES.join(', ')}`,
        });
      }
    });
    if (violations.length > 0) throw invalidDocument(EpcisErrorCode.unknownEventType, 'unknown EPCIS event type', violations);
  }
}

function contextOf(context: Json | undefined): Pick<ValidatedDocument, 'prefixes' | 'customContext'> {
  const entries = Array.isArray(context) ? context : context === undefined ? [] : [context];
  const prefixes: Record<string, string> = { ...STANDARD_PREFIXES };
  const customContext: Json[] = [];
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    customContext.push(entry);
    for (const [prefix, namespace] of Object.entries(entry)) if (typeof namespace === 'string' && !prefix.startsWith('@')) prefixes[prefix] = namespace;
  }
  return { prefixes, customContext };
}
