import type { FieldViolation } from '@traceport/errors';
import { canonicalCbv, expandCurie } from './cbv-vocabulary.js';
import { CBV2_VALUE_FORMS, eventHashOf, type HashValueForms, type Json, type JsonObject } from './event-hash.js';
import { IdentifierCanon, IdentifierProblem, type CanonicalIdentifier } from './gs1-identifier.js';

export interface ItemKey {
  readonly gtin: string;
  readonly serial: string;
}
export interface LotKey {
  readonly gtin: string;
  readonly lot: string;
}

/**
 * One captured event, ready to store: its identity (eventID, GS1 event hash), the canonical values
 * queries filter on, the GS1 keys its trail links on, and the body as the API will show it.
 */
export interface CapturedEvent {
  readonly eventId: string;
  readonly eventHash: string;
  /** Identifies this content under its eventID: the hash, plus any error declaration (which the hash leaves out). */
  readonly contentDigest: string;
  readonly type: string;
  readonly eventTime: Date;
  readonly action: string | null;
  readonly bizStep: string | null;
  readonly disposition: string | null;
  readonly readPoint: string | null;
  readonly bizLocation: string | null;
  /** epcList and childEPCs (MATCH_epc). */
  readonly epcs: string[];
  /** Every instance identifier: epcList, childEPCs, parentID, inputEPCList, outputEPCList (MATCH_anyEPC). */
  readonly anyEpcs: string[];
  /** Classes of every quantity list (MATCH_anyEPCClass). */
  readonly epcClasses: string[];
  /** inputEPCList and outputEPCList (MATCH_inputEPC, MATCH_outputEPC). */
  readonly inputEpcs: string[];
  readonly outputEpcs: string[];
  /** Classes of inputQuantityList and outputQuantityList (MATCH_inputEPCClass, MATCH_outputEPCClass). */
  readonly inputEpcClasses: string[];
  readonly outputEpcClasses: string[];
  /** MATCH_parentID. */
  readonly parentId: string | null;
  readonly childEpcs: string[];
  readonly items: ItemKey[];
  readonly lots: LotKey[];
  /** Items whose lot this event tells (a Digital Link with both, or commissioning ILMD). */
  readonly itemLots: (ItemKey & { lot: string })[];
  /** The event without recordTime; the capture adds it. */
  readonly body: JsonObject;
}

const INSTANCE_LISTS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const;
const QUANTITY_LISTS = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'] as const;
const LOT_NUMBER = 'https://gs1.org/voc/lotNumber';
const LEGACY_LOT_NUMBER = 'urn:epcglobal:cbv:mda:lotNumber';

const isObject = (value: Json | undefined): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);
const strings = (value: Json | undefined): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const unique = <T>(values: T[], key: (value: T) => string): T[] => [...new Map(values.map((value) => [key(value), value])).values()];

/** Collects canonical identifiers, turning each bad one into a violation at its JSON path. */
class IdentifierReader {
  readonly violations: FieldViolation[] = [];
  constructor(
    private readonly basePath: string,
    private readonly canon: IdentifierCanon,
  ) {}

  read(value: string, path: string): CanonicalIdentifier {
    try {
      return this.canon.of(value);
    } catch (error) {
      if (!(error instanceof IdentifierProblem)) throw error;
      this.violations.push({ field: `${this.basePath}/${path}`, message: error.message });
      return { canonical: value };
    }
  }
}

function lotFromIlmd(ilmd: Json | undefined, prefixes: Readonly<Record<string, string>>): string | undefined {
  if (!isObject(ilmd)) return undefined;
  for (const [key, value] of Object.entries(ilmd)) {
    const expanded = expandCurie(key, prefixes);
    if ((expanded === LOT_NUMBER || expanded === LEGACY_LOT_NUMBER) && typeof value === 'string') return value.trim();
  }
  return undefined;
}

/**
 * Bodies are normalised JSON-LD; the capture's own @context goes with each event so its prefixes
 * resolve. One document's events share one IdentifierCanon, which the event hash reads through too.
 */
export function capturedEventOf(
  event: JsonObject,
  index: number,
  prefixes: Readonly<Record<string, string>>,
  customContext: Json[],
  violations: FieldViolation[],
  canon: IdentifierCanon = new IdentifierCanon(),
): CapturedEvent {
  const reader = new IdentifierReader(`/epcisBody/eventList/${index}`, canon);
  const type = event['type'] as string;
  const instance: Record<(typeof INSTANCE_LISTS)[number], CanonicalIdentifier[]> = { epcList: [], childEPCs: [], inputEPCList: [], outputEPCList: [] };
  for (const list of INSTANCE_LISTS) {
    instance[list] = strings(event[list]).map((value, position) => reader.read(value, `${list}/${position}`));
  }
  const parent = typeof event['parentID'] === 'string' ? reader.read(event['parentID'], 'parentID') : undefined;
  const quantity: Record<(typeof QUANTITY_LISTS)[number], CanonicalIdentifier[]> = { quantityList: [], childQuantityList: [], inputQuantityList: [], outputQuantityList: [] };
  for (const list of QUANTITY_LISTS) {
    const elements = event[list];
    if (!Array.isArray(elements)) continue;
    elements.forEach((element, position) => {
      if (isObject(element) && typeof element['epcClass'] === 'string') quantity[list].push(reader.read(element['epcClass'], `${list}/${position}/epcClass`));
    });
  }
  const classes = QUANTITY_LISTS.flatMap((list) => quantity[list]);
  const location = (field: 'readPoint' | 'bizLocation') => {
    const value = event[field];
    return isObject(value) && typeof value['id'] === 'string' ? reader.read(value['id'], `${field}/id`).canonical : null;
  };
  const readPoint = location('readPoint');
  const bizLocation = location('bizLocation');
  for (const list of ['sourceList', 'destinationList'] as const) {
    const entries = event[list];
    if (!Array.isArray(entries)) continue;
    const field = list === 'sourceList' ? 'source' : 'destination';
    entries.forEach((entry, position) => {
      if (isObject(entry) && typeof entry[field] === 'string') reader.read(entry[field], `${list}/${position}/${field}`);
    });
  }
  violations.push(...reader.violations);

  const instances = [...instance.epcList, ...instance.childEPCs, ...instance.inputEPCList, ...instance.outputEPCList, ...(parent ? [parent] : [])];
  // ILMD describes objects as they are created; an OBSERVE ObjectEvent SHALL NOT carry it (EPCIS 2.0
  // §7.4.2). Where one does anyway (tolerated, see eventForSchema) it is stored but names no lot.
  const ilmdLot = event['action'] === 'OBSERVE' ? undefined : lotFromIlmd(event['ilmd'], prefixes);
  const items = unique(
    instances.filter((id) => id.gtin !== undefined && id.serial !== undefined).map((id) => ({ gtin: id.gtin!, serial: id.serial! })),
    (item) => `${item.gtin}/${item.serial}`,
  );
  const itemLots = [
    ...instances.filter((id) => id.gtin !== undefined && id.serial !== undefined && id.lot !== undefined).map((id) => ({ gtin: id.gtin!, serial: id.serial!, lot: id.lot! })),
    ...(ilmdLot === undefined ? [] : items.map((item) => ({ ...item, lot: ilmdLot }))),
  ];
  const lots = unique(
    [
      ...[...instances, ...classes].filter((id) => id.gtin !== undefined && id.lot !== undefined).map((id) => ({ gtin: id.gtin!, lot: id.lot! })),
      ...itemLots.map(({ gtin, lot }) => ({ gtin, lot })),
    ],
    (lot) => `${lot.gtin}/${lot.lot}`,
  );

  const hashForms: HashValueForms = { ...CBV2_VALUE_FORMS, identifier: (value) => canon.orSelf(value) };
  const eventHash = eventHashOf(event, prefixes, hashForms);
  const declaration = event['errorDeclaration'];
  const contentDigest = declaration === undefined ? eventHash : `${eventHash}#declared:${JSON.stringify(declaration)}`;
  const eventId = typeof event['eventID'] === 'string' ? event['eventID'] : eventHash;
  const { recordTime: _ignored, ...rest } = event;
  const body: JsonObject = {
    ...(customContext.length > 0 && rest['@context'] === undefined ? { '@context': customContext } : {}),
    ...rest,
    eventID: eventId,
  };
  const vocabulary = (field: string, kind: 'BizStep' | 'Disp') => (typeof event[field] === 'string' ? canonicalCbv(kind, event[field], prefixes) : null);
  const canonical = (ids: CanonicalIdentifier[]) => [...new Set(ids.map((id) => id.canonical))];
  const anyEpcs = canonical(instances);
  return {
    eventId,
    eventHash,
    contentDigest,
    type,
    eventTime: new Date(event['eventTime'] as string),
    action: typeof event['action'] === 'string' ? event['action'] : null,
    bizStep: vocabulary('bizStep', 'BizStep'),
    disposition: vocabulary('disposition', 'Disp'),
    readPoint,
    bizLocation,
    epcs: canonical([...instance.epcList, ...instance.childEPCs]),
    anyEpcs,
    epcClasses: canonical(classes),
    inputEpcs: canonical(instance.inputEPCList),
    outputEpcs: canonical(instance.outputEPCList),
    inputEpcClasses: canonical(quantity.inputQuantityList),
    outputEpcClasses: canonical(quantity.outputQuantityList),
    parentId: parent?.canonical ?? null,
    childEpcs: canonical(instance.childEPCs),
    items,
    lots,
    itemLots,
    body,
  };
}
