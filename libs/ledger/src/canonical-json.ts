import canonicalize from 'canonicalize';
import { CanonicalJsonException } from './canonical-json.exception.js';

// RFC 8785 (JCS) is defined over JSON data. The `canonicalize` package gets the JCS part right
// (UTF-16 key order, ECMAScript number and string serialisation, lone-surrogate rejection), but
// it maps JavaScript values to JSON the way JSON.stringify does, which silently changes data:
// `undefined`, functions and symbols at the top level give `undefined` instead of a string,
// inside arrays they become `null` and inside objects they vanish; a Map or Set becomes `{}`; a
// typed array becomes `{"0":..}`; BigInt fails with an unhelpful TypeError. A leaf hash must
// cover exactly the record shown, so this module first turns the value into plain JSON data,
// rejecting anything JSON cannot represent, and only then hands it to `canonicalize`.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * RFC 8785 canonical JSON of `value`.
 *
 * Accepted: null, booleans, finite numbers, well-formed strings, arrays, plain objects, boxed
 * primitives, and objects with a `toJSON` method (e.g. Date), whose result is used. An object
 * property whose value is `undefined` is omitted, as JSON.stringify does (that is how an absent
 * optional field looks in the API's JSON). Everything else throws a CanonicalJsonException:
 * NaN and ±Infinity, BigInt, functions, symbols, `undefined` at the top level or in an array,
 * lone surrogates, cycles, and non-plain objects (Map, Set, typed arrays, class instances)
 * whose JSON form would not be what the caller sees.
 */
export function canonicalJson(value: unknown): string {
  const data = toJsonData(value, '', ROOT, new Set());
  if (data === undefined) throw new CanonicalJsonException('$', 'is undefined, which has no JSON representation');
  const text = canonicalize(data);
  // Unreachable for plain JSON data; kept so a regression in the dependency cannot go unnoticed.
  if (text === undefined) throw new CanonicalJsonException('$', 'could not be serialised');
  return text;
}

// Where a value sits, as a chain of member names and array indices. The JSON path text is built only
// for an error: building it for every member of every record was a large part of the conversion.
interface PathNode {
  readonly parent: PathNode | null;
  readonly step: string | number;
}

const ROOT: PathNode = { parent: null, step: '$' };

function pathText(node: PathNode): string {
  if (node.parent === null) return String(node.step);
  const parent = pathText(node.parent);
  if (typeof node.step === 'number') return `${parent}[${node.step}]`;
  return `${parent}${memberSuffix(node.step)}`;
}

// Returns plain JSON data, or undefined for a value JSON omits (only legal as an object member).
// `key` is what JSON.stringify would pass to toJSON: the member name, the array index, or ''.
function toJsonData(value: unknown, key: string, at: PathNode, ancestors: Set<object>): JsonValue | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    if (ancestors.has(value)) throw new CanonicalJsonException(pathText(at), 'is a circular reference');
    ancestors.add(value);
    try {
      return toJsonData((value as { toJSON(key: string): unknown }).toJSON(key), key, at, ancestors);
    } finally {
      ancestors.delete(value);
    }
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();

  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonException(pathText(at), `is ${value}, which JSON cannot represent`);
      return value;
    case 'string':
      if (!value.isWellFormed()) throw new CanonicalJsonException(pathText(at), 'contains a lone surrogate (RFC 8785 §3.2.2.2)');
      return value;
    case 'bigint':
      throw new CanonicalJsonException(pathText(at), 'is a BigInt; convert it to a string or a safe-integer number first');
    case 'function':
      throw new CanonicalJsonException(pathText(at), 'is a function, which has no JSON representation');
    case 'symbol':
      throw new CanonicalJsonException(pathText(at), 'is a symbol, which has no JSON representation');
    case 'object':
      break; // null, arrays and objects: below
  }
  if (value === null) return null;

  const object = value as object;
  if (ancestors.has(object)) throw new CanonicalJsonException(pathText(at), 'is a circular reference');
  ancestors.add(object);
  try {
    if (Array.isArray(object)) return arrayToJsonData(object, at, ancestors);
    const prototype = Object.getPrototypeOf(object) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'non-plain object';
      throw new CanonicalJsonException(pathText(at), `is a ${kind}; only plain objects and arrays are JSON (map it to one first)`);
    }
    return objectToJsonData(object as Record<string, unknown>, at, ancestors);
  } finally {
    ancestors.delete(object);
  }
}

function arrayToJsonData(array: readonly unknown[], at: PathNode, ancestors: Set<object>): JsonValue[] {
  const out: JsonValue[] = [];
  // Index loop rather than for..of so that holes in sparse arrays are seen (as undefined).
  for (let i = 0; i < array.length; i++) {
    const element = toJsonData(array[i], String(i), { parent: at, step: i }, ancestors);
    if (element === undefined) {
      throw new CanonicalJsonException(pathText({ parent: at, step: i }), 'is undefined; JSON.stringify would silently write null');
    }
    out.push(element);
  }
  return out;
}

function objectToJsonData(object: Record<string, unknown>, at: PathNode, ancestors: Set<object>): JsonValue {
  const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
  for (const key of Object.keys(object)) {
    const member: PathNode = { parent: at, step: key };
    if (!key.isWellFormed()) throw new CanonicalJsonException(pathText(member), 'has a name with a lone surrogate (RFC 8785 §3.2.2.2)');
    const value = toJsonData(object[key], key, member, ancestors);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function memberSuffix(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
