import { Environment } from '@marcbachmann/cel-js';
import type { DecisionContext } from './decision-context.js';
import { type CelMessage, type CelType, celTypeName, decisionContextCelSchema, messageTypesOf } from './decision-context.cel-schema.js';

/**
 * cel-js checks conditions and evaluates those the compiled closures do not cover. Its ints are
 * BigInts while the context carries numbers, so rather than copying the whole context into
 * BigInt-bearing objects for every decision, each message type gets a view class whose getters
 * read the plain object and convert a field only when a condition reads it.
 */
type Convert = (value: unknown) => unknown;
type ViewClass = new (raw: object) => object;

/** Counts below this are served from a table instead of allocating a BigInt per read. */
const SMALL_INT_LIMIT = 1024;
const smallInts = Array.from({ length: SMALL_INT_LIMIT }, (_, n) => BigInt(n));

/** A count as a CEL int; a non-integer fails the condition that reads it (BigInt throws a RangeError). */
function celInt(value: unknown): bigint {
  const count = value as number;
  return count >= 0 && count < SMALL_INT_LIMIT && Number.isInteger(count) ? smallInts[count]! : BigInt(count);
}

const viewClasses = new Map<string, ViewClass>();

/** How to present a value of `type` to CEL, or undefined when the plain value already is right. */
function converterOf(type: CelType): Convert | undefined {
  if (type === 'int') return celInt;
  if (typeof type === 'string') return undefined;
  if ('message' in type) {
    const View = viewClassOf(type);
    return (value) => new View(value as object);
  }
  if ('list' in type) {
    const item = converterOf(type.list);
    return item && ((value) => (value as readonly unknown[]).map(item));
  }
  const entry = converterOf(type.map);
  return entry && ((value) => Object.fromEntries(Object.entries(value as object).map(([key, item]) => [key, entry(item)])));
}

function viewClassOf(message: CelMessage): ViewClass {
  const known = viewClasses.get(message.message);
  if (known !== undefined) return known;
  const View = class {
    readonly raw: object;

    constructor(raw: object) {
      this.raw = raw;
    }
  };
  Object.defineProperty(View, 'name', { value: message.message });
  for (const [field, type] of Object.entries(message.fields)) {
    const convert = converterOf(type);
    const get = convert
      ? function (this: InstanceType<typeof View>) {
          return convert((this.raw as Record<string, unknown>)[field]);
        }
      : function (this: InstanceType<typeof View>) {
          return (this.raw as Record<string, unknown>)[field];
        };
    Object.defineProperty(View.prototype, field, { get, enumerable: true });
  }
  viewClasses.set(message.message, View);
  return View;
}

/**
 * The one environment every rule is checked and evaluated in: exactly DecisionContext's
 * variables, typed, and nothing undeclared. Building it is the costly part of cel-js, so it is
 * built once per process.
 */
function createEnvironment(): Environment {
  const environment = new Environment({ unlistedVariablesAreDyn: false, enableOptionalTypes: false });
  for (const message of messageTypesOf(decisionContextCelSchema)) {
    const fields = Object.fromEntries(Object.entries(message.fields).map(([field, type]) => [field, celTypeName(type)]));
    environment.registerType(message.message, { ctor: viewClassOf(message), fields });
  }
  for (const [name, type] of Object.entries(decisionContextCelSchema.fields)) environment.registerVariable(name, celTypeName(type));
  return environment;
}

export const celEnvironment = createEnvironment();

/** The variables a condition may name, for messages that list them. */
export const celVariableNames: readonly string[] = Object.keys(decisionContextCelSchema.fields);

const DecisionContextView = viewClassOf(decisionContextCelSchema);

/** What cel-js evaluates a condition against: a view of `context`, made at most once per decision. */
export function celContextOf(context: DecisionContext): object {
  return new DecisionContextView(context);
}
