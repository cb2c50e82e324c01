import protobuf from 'protobufjs';
import type { Enum, Field, Namespace, ReflectionObject, Root, Service, Type } from 'protobufjs';

// Breaking-change protection for the published protos (package traceport.v1). The published
// surface is kept as a normalised descriptor (proto/traceport/v1.lock.json); the current .proto
// files are compared with it, and every change a client built against the published surface would
// break on is reported: on the wire, in the JSON mapping, or in its generated code.
//
// Pure: sources in, descriptors and findings out. Runs under Node's type stripping too
// (libs/contracts/scripts/proto-lock.ts), so erasable syntax only.

/** How a field is carried. proto3-optional is its own label: it changes presence. */
export type FieldLabel = 'singular' | 'optional' | 'repeated' | 'map';

export interface FieldDescriptor {
  readonly name: string;
  /** A scalar type (string, uint32, …) or a fully qualified message or enum name (.traceport.v1.RecordProof). */
  readonly type: string;
  readonly label: FieldLabel;
  /** For maps: the key's scalar type. */
  readonly keyType?: string;
  /** The (real) oneof the field belongs to. */
  readonly oneof?: string;
}

export interface Reservations {
  /** Reserved field numbers (or enum values), as inclusive ranges. */
  readonly numbers: readonly (readonly [number, number])[];
  readonly names: readonly string[];
}

export interface MessageDescriptor {
  /** By field number. */
  readonly fields: Readonly<Record<string, FieldDescriptor>>;
  readonly reserved: Reservations;
}

export interface EnumDescriptor {
  /** Value name → number. */
  readonly values: Readonly<Record<string, number>>;
  readonly reserved: Reservations;
}

export interface MethodDescriptor {
  readonly requestType: string;
  readonly responseType: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

export interface ServiceDescriptor {
  readonly methods: Readonly<Record<string, MethodDescriptor>>;
}

/** Everything a client of one proto package depends on, by fully qualified name. */
export interface ProtoSurface {
  readonly package: string;
  readonly messages: Readonly<Record<string, MessageDescriptor>>;
  readonly enums: Readonly<Record<string, EnumDescriptor>>;
  readonly services: Readonly<Record<string, ServiceDescriptor>>;
}

export type BreakKind =
  | 'service-removed'
  | 'method-removed'
  | 'method-request-changed'
  | 'method-response-changed'
  | 'method-streaming-changed'
  | 'message-removed'
  | 'field-removed'
  | 'field-renumbered'
  | 'field-renamed'
  | 'field-type-changed'
  | 'field-label-changed'
  | 'field-oneof-changed'
  | 'reserved-number-reused'
  | 'reserved-name-reused'
  | 'reservation-removed'
  | 'enum-removed'
  | 'enum-value-removed'
  | 'enum-value-renumbered';

export interface ProtoBreak {
  readonly kind: BreakKind;
  /** The element concerned: a service, method, message, field (Message.field) or enum value. */
  readonly element: string;
  readonly message: string;
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function reservationsOf(reserved: (number[] | string)[] | undefined): Reservations {
  const entries = reserved ?? [];
  return {
    numbers: entries.filter((entry): entry is number[] => Array.isArray(entry)).map((range) => [range[0]!, range[1]!] as const),
    names: entries.filter((entry): entry is string => typeof entry === 'string').sort(),
  };
}

function typeNameOf(field: Field): string {
  return field.resolvedType === null ? field.type : field.resolvedType.fullName;
}

function fieldOf(field: Field): FieldDescriptor {
  const proto3Optional = (field.options as Record<string, unknown> | undefined)?.['proto3_optional'] === true;
  const label: FieldLabel = field.map ? 'map' : field.repeated ? 'repeated' : proto3Optional ? 'optional' : 'singular';
  return {
    name: field.name,
    type: typeNameOf(field),
    label,
    ...(field.map ? { keyType: (field as Field & { keyType: string }).keyType } : {}),
    // proto3-optional fields sit in a synthetic oneof of their own; that is their label, not a oneof.
    ...(field.partOf !== null && !proto3Optional ? { oneof: field.partOf.name } : {}),
  };
}

/** The normalised descriptor of one package among `root`'s definitions (resolved). */
export function surfaceOf(root: Root, packageName: string): ProtoSurface {
  root.resolveAll();
  const messages: Record<string, MessageDescriptor> = {};
  const enums: Record<string, EnumDescriptor> = {};
  const services: Record<string, ServiceDescriptor> = {};
  const visit = (object: ReflectionObject): void => {
    if (object instanceof protobuf.Type) {
      const type = object as Type;
      messages[type.fullName] = {
        fields: Object.fromEntries(type.fieldsArray.map((field) => [String(field.id), fieldOf(field)])),
        reserved: reservationsOf(type.reserved),
      };
    } else if (object instanceof protobuf.Enum) {
      const enumeration = object as Enum;
      enums[enumeration.fullName] = { values: sorted({ ...enumeration.values }), reserved: reservationsOf(enumeration.reserved) };
    } else if (object instanceof protobuf.Service) {
      const service = object as Service;
      services[service.fullName] = {
        methods: sorted(
          Object.fromEntries(
            service.methodsArray.map((method) => [
              method.name,
              {
                requestType: method.resolvedRequestType?.fullName ?? method.requestType,
                responseType: method.resolvedResponseType?.fullName ?? method.responseType,
                requestStream: method.requestStream === true,
                responseStream: method.responseStream === true,
              },
            ]),
          ),
        ),
      };
    }
    if ('nestedArray' in object) for (const nested of (object as Namespace).nestedArray) visit(nested);
  };
  const pkg = root.lookup(packageName);
  if (pkg === null) throw new Error(`no package ${packageName} in the protos`);
  visit(pkg);
  return { package: packageName, messages: sorted(messages), enums: sorted(enums), services: sorted(services) };
}

/** Parses .proto sources (file name → text, imports among them included) and describes `packageName`. */
export function surfaceOfSources(sources: Readonly<Record<string, string>>, packageName: string): ProtoSurface {
  const root = new protobuf.Root();
  for (const source of Object.values(sources)) protobuf.parse(source, root, { keepCase: true });
  return surfaceOf(root, packageName);
}

/** Whether [from, to] is still reserved, whole, by `reservations`' ranges. */
function stillReserved(reservations: Reservations, from: number, to: number): boolean {
  let next = from;
  for (const [start, end] of [...reservations.numbers].sort((a, b) => a[0] - b[0])) {
    if (start > next) break;
    next = Math.max(next, end + 1);
    if (next > to) return true;
  }
  return false;
}

function describeField(field: FieldDescriptor): string {
  return field.label === 'map' ? `map<${field.keyType ?? '?'}, ${field.type}>` : `${field.label === 'singular' ? '' : `${field.label} `}${field.type}`;
}

function compareReservations(element: string, published: Reservations, current: Reservations, used: { numbers: number[]; names: string[] }, breaks: ProtoBreak[]): void {
  for (const [from, to] of published.numbers) {
    for (const number of used.numbers) {
      if (number >= from && number <= to) breaks.push({ kind: 'reserved-number-reused', element: `${element}#${number}`, message: `${element} uses ${number}, which was reserved` });
    }
    if (!stillReserved(current, from, to)) breaks.push({ kind: 'reservation-removed', element, message: `${element} no longer reserves ${from === to ? from : `${from} to ${to}`}` });
  }
  for (const name of published.names) {
    if (used.names.includes(name)) breaks.push({ kind: 'reserved-name-reused', element: `${element}.${name}`, message: `${element} uses the name ${name}, which was reserved` });
    else if (!current.names.includes(name)) breaks.push({ kind: 'reservation-removed', element, message: `${element} no longer reserves the name ${name}` });
  }
}

function compareMessage(name: string, published: MessageDescriptor, current: MessageDescriptor, breaks: ProtoBreak[]): void {
  const currentByName = new Map(Object.entries(current.fields).map(([number, field]) => [field.name, Number(number)]));
  for (const [number, field] of Object.entries(published.fields)) {
    const element = `${name}.${field.name}`;
    const now = current.fields[number];
    if (now === undefined) {
      const renumbered = currentByName.get(field.name);
      breaks.push(
        renumbered === undefined
          ? { kind: 'field-removed', element, message: `field ${field.name} = ${number} was removed` }
          : { kind: 'field-renumbered', element, message: `field ${field.name} was renumbered from ${number} to ${renumbered}` },
      );
      continue;
    }
    if (now.name !== field.name) breaks.push({ kind: 'field-renamed', element, message: `field ${number} was renamed from ${field.name} to ${now.name} (the JSON mapping and generated code use names)` });
    if (now.type !== field.type || now.keyType !== field.keyType) {
      breaks.push({ kind: 'field-type-changed', element, message: `field ${field.name} changed type from ${describeField(field)} to ${describeField(now)}` });
    } else if (now.label !== field.label) {
      breaks.push({ kind: 'field-label-changed', element, message: `field ${field.name} changed from ${describeField(field)} to ${describeField(now)}` });
    }
    if (now.oneof !== field.oneof) {
      breaks.push({ kind: 'field-oneof-changed', element, message: `field ${field.name} moved from ${field.oneof ?? 'no oneof'} to ${now.oneof ?? 'no oneof'}` });
    }
  }
  const usedNumbers = Object.keys(current.fields).filter((number) => published.fields[number] === undefined).map(Number);
  const usedNames = Object.values(current.fields).map((field) => field.name).filter((fieldName) => !Object.values(published.fields).some((field) => field.name === fieldName));
  compareReservations(name, published.reserved, current.reserved, { numbers: usedNumbers, names: usedNames }, breaks);
}

function compareEnum(name: string, published: EnumDescriptor, current: EnumDescriptor, breaks: ProtoBreak[]): void {
  for (const [valueName, number] of Object.entries(published.values)) {
    const now = current.values[valueName];
    if (now === undefined) breaks.push({ kind: 'enum-value-removed', element: `${name}.${valueName}`, message: `enum value ${valueName} = ${number} was removed` });
    else if (now !== number) breaks.push({ kind: 'enum-value-renumbered', element: `${name}.${valueName}`, message: `enum value ${valueName} changed from ${number} to ${now}` });
  }
  const publishedNumbers = new Set(Object.values(published.values));
  const publishedNames = Object.keys(published.values);
  compareReservations(
    name,
    published.reserved,
    current.reserved,
    {
      numbers: Object.values(current.values).filter((number) => !publishedNumbers.has(number)),
      names: Object.keys(current.values).filter((valueName) => !publishedNames.includes(valueName)),
    },
    breaks,
  );
}

function compareService(name: string, published: ServiceDescriptor, current: ServiceDescriptor, breaks: ProtoBreak[]): void {
  for (const [methodName, method] of Object.entries(published.methods)) {
    const element = `${name}.${methodName}`;
    const now = current.methods[methodName];
    if (now === undefined) {
      breaks.push({ kind: 'method-removed', element, message: `rpc ${methodName} was removed` });
      continue;
    }
    if (now.requestType !== method.requestType) breaks.push({ kind: 'method-request-changed', element, message: `rpc ${methodName} takes ${now.requestType} instead of ${method.requestType}` });
    if (now.responseType !== method.responseType) breaks.push({ kind: 'method-response-changed', element, message: `rpc ${methodName} returns ${now.responseType} instead of ${method.responseType}` });
    if (now.requestStream !== method.requestStream || now.responseStream !== method.responseStream) {
      const mode = (descriptor: MethodDescriptor) => `${descriptor.requestStream ? 'stream ' : ''}request, ${descriptor.responseStream ? 'stream ' : ''}response`;
      breaks.push({ kind: 'method-streaming-changed', element, message: `rpc ${methodName} changed from (${mode(method)}) to (${mode(now)})` });
    }
  }
}

/**
 * The incompatible changes from the published surface to the current one; none means the current
 * protos only add to what was published (fields, messages, enum values, RPCs, services).
 */
export function findProtoBreaks(published: ProtoSurface, current: ProtoSurface): ProtoBreak[] {
  const breaks: ProtoBreak[] = [];
  for (const [name, service] of Object.entries(published.services)) {
    const now = current.services[name];
    if (now === undefined) breaks.push({ kind: 'service-removed', element: name, message: `service ${name} was removed` });
    else compareService(name, service, now, breaks);
  }
  for (const [name, message] of Object.entries(published.messages)) {
    const now = current.messages[name];
    if (now === undefined) breaks.push({ kind: 'message-removed', element: name, message: `message ${name} was removed` });
    else compareMessage(name, message, now, breaks);
  }
  for (const [name, enumeration] of Object.entries(published.enums)) {
    const now = current.enums[name];
    if (now === undefined) breaks.push({ kind: 'enum-removed', element: name, message: `enum ${name} was removed` });
    else compareEnum(name, enumeration, now, breaks);
  }
  return breaks;
}
