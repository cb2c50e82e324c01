import type { ASTNode } from '@marcbachmann/cel-js';
import { serialize } from '@marcbachmann/cel-js/serialize';
import { celEnvironment } from './cel-environment.js';
import { type ConditionEvaluator, type DecisionScope, evaluate, evaluatorOf } from './condition-evaluator.js';
import type { DecisionContext } from './decision-context.js';
import { type CelType, decisionContextCelSchema } from './decision-context.cel-schema.js';

/**
 * The context values a condition reads, found in its syntax tree when it is compiled, so that a
 * decision can say what its rule saw (`factory.stats.passRateLowerBound: 0.62`) without tracing
 * the evaluation. A table lookup records the entry looked up, not the whole table:
 * `tables.hazard[product.category + ':' + origin]` and `key in tables.hazard` both become
 * `tables.hazard["toys:CN"]`, the key computed per decision by its own compiled expression.
 */
export type PathKey =
  | { readonly kind: 'literal'; readonly value: string | number }
  | { readonly kind: 'computed'; readonly text: string; readonly evaluator: ConditionEvaluator };

export type PathSegment =
  | { readonly kind: 'field'; readonly name: string; /** Offset of the field name in the condition. */ readonly at: number }
  | { readonly kind: 'index'; readonly key: PathKey; readonly at: number };

export interface ReferencedPath {
  /** A DecisionContext variable. */
  readonly root: string;
  readonly segments: readonly PathSegment[];
}

const variables: Readonly<Record<string, CelType>> = decisionContextCelSchema.fields;
/** Macros whose first argument names an iteration variable, bound in the arguments after it. */
const ITERATING_MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** What a path holds, per the schema; undefined past a level the schema does not describe. */
function schemaTypeAt(path: ReferencedPath): CelType | undefined {
  let type: CelType | undefined = variables[path.root];
  for (const segment of path.segments) {
    if (type === undefined || typeof type === 'string') return undefined;
    if ('message' in type) type = segment.kind === 'field' ? type.fields[segment.name] : undefined;
    else if ('list' in type) type = segment.kind === 'index' ? type.list : undefined;
    else type = type.map;
  }
  return type;
}

/** Every context path `ast` reads, each once, in the order they appear; computed keys evaluated by `closures` or cel-js. */
export function referencedPaths(ast: ASTNode, closures: boolean): ReferencedPath[] {
  const found = new Map<string, ReferencedPath>();
  const context: WalkContext = { closures, record: (path) => {
    const label = pathLabel(path, (key) => (key.kind === 'literal' ? JSON.stringify(key.value) : `(${key.text})`));
    if (!found.has(label)) found.set(label, path);
  } };
  walk(ast, new Set(), context);
  return [...found.values()];
}

interface WalkContext {
  readonly closures: boolean;
  readonly record: (path: ReferencedPath) => void;
}

/** Records one path's value in a verdict's `seen`. */
export type PathReader = (scope: DecisionScope, seen: Record<string, unknown>) => void;

/**
 * Reads `path` from the plain context (so the value is JSON-safe) under its dotted label; null
 * where there is nothing (a table without that key). A path whose key cannot be computed is left
 * out. Labels of paths without computed keys are made here, once.
 */
export function pathReaderOf(path: ReferencedPath): PathReader {
  const literalKeys = path.segments.map((segment) => (segment.kind === 'field' ? segment.name : segment.key.kind === 'literal' ? segment.key.value : undefined));
  if (literalKeys.every((key) => key !== undefined)) {
    const label = pathLabel(path, (key) => JSON.stringify(key.kind === 'literal' ? key.value : undefined));
    const keys = [path.root, ...literalKeys];
    return (scope, seen) => {
      seen[label] = valueAt(scope.context, keys);
    };
  }
  return (scope, seen) => {
    let keys: (string | number)[];
    try {
      keys = path.segments.map((segment) => (segment.kind === 'field' ? segment.name : keyValue(segment.key, scope)));
    } catch {
      return; // the key's own expression failed (e.g. it indexes a missing entry)
    }
    const indexes = keys.filter((_, n) => path.segments[n]!.kind === 'index');
    seen[pathLabel(path, () => JSON.stringify(indexes.shift()))] = valueAt(scope.context, [path.root, ...keys]);
  };
}

function valueAt(context: DecisionContext, keys: readonly (string | number)[]): unknown {
  let value: unknown = context;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return null;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value === undefined ? null : value;
}

function keyValue(key: PathKey, scope: DecisionScope): string | number {
  if (key.kind === 'literal') return key.value;
  const value = evaluate(key.evaluator, scope);
  return typeof value === 'bigint' ? Number(value) : String(value);
}

function pathLabel(path: ReferencedPath, renderKey: (key: PathKey) => string): string {
  return path.segments.reduce((label, segment) => (segment.kind === 'field' ? `${label}.${segment.name}` : `${label}[${renderKey(segment.key)}]`), path.root);
}

interface Chain {
  readonly path: ReferencedPath;
  /** False once a segment could not be followed (an index by an iteration variable): nothing may be appended. */
  readonly open: boolean;
}

/** The path a chain of field selections and indexes from a context variable reads. */
function chainOf(node: ASTNode, bound: ReadonlySet<string>, closures: boolean): Chain | undefined {
  switch (node.op) {
    case 'id':
      return node.args in variables && !bound.has(node.args) ? { path: { root: node.args, segments: [] }, open: true } : undefined;
    case '.': {
      const base = chainOf(node.args[0], bound, closures);
      if (base === undefined || !base.open) return base;
      return { path: extend(base.path, { kind: 'field', name: node.args[1], at: node.pos }), open: true };
    }
    case '[]': {
      const base = chainOf(node.args[0], bound, closures);
      if (base === undefined || !base.open) return base;
      const key = keyOf(node.args[1], bound, closures);
      if (key === undefined) return { path: base.path, open: false };
      return { path: extend(base.path, { kind: 'index', key, at: node.args[1].pos }), open: true };
    }
    default:
      return undefined;
  }
}

function extend(path: ReferencedPath, segment: PathSegment): ReferencedPath {
  return { root: path.root, segments: [...path.segments, segment] };
}

/** A literal key, or the key expression compiled on its own; undefined when it reads an iteration variable. */
function keyOf(node: ASTNode, bound: ReadonlySet<string>, closures: boolean): PathKey | undefined {
  if (node.op === 'value') {
    const value = node.args;
    if (typeof value === 'string' || typeof value === 'number') return { kind: 'literal', value };
    if (typeof value === 'bigint') return { kind: 'literal', value: Number(value) };
    return undefined;
  }
  if (readsAny(node, bound)) return undefined;
  const text = serialize(node);
  const compiled = celEnvironment.parse(text);
  if (!compiled.check().valid) return undefined;
  return { kind: 'computed', text, evaluator: evaluatorOf(compiled, closures) };
}

function readsAny(node: ASTNode, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  if (node.op === 'id') return names.has(node.args);
  return childrenOf(node).some((child) => readsAny(child, names));
}

function walk(node: ASTNode, bound: ReadonlySet<string>, context: WalkContext): void {
  const { closures, record } = context;
  const chain = chainOf(node, bound, closures);
  if (chain !== undefined) {
    record(chain.path);
    // Computed keys read context values of their own.
    for (let link = node; link.op === '.' || link.op === '[]'; link = link.args[0]) if (link.op === '[]') walk(link.args[1], bound, context);
    return;
  }
  if (node.op === 'in') {
    const [element, container] = node.args;
    const map = chainOf(container, bound, closures);
    const type = map?.open ? schemaTypeAt(map.path) : undefined;
    const key = typeof type === 'object' && 'map' in type ? keyOf(element, bound, closures) : undefined;
    if (map !== undefined && key !== undefined) {
      record(extend(map.path, { kind: 'index', key, at: element.pos }));
      return walk(element, bound, context);
    }
  }
  if (node.op === 'rcall') {
    const [name, receiver, args] = node.args;
    const variable = args[0]?.op === 'id' ? args[0].args : undefined;
    if (variable !== undefined && ITERATING_MACROS.has(name)) {
      walk(receiver, bound, context);
      for (const arg of args.slice(1)) walk(arg, new Set([...bound, variable]), context);
      return;
    }
    if (variable !== undefined && name === 'bind' && receiver.op === 'id' && receiver.args === 'cel' && args.length === 3) {
      walk(args[1]!, bound, context);
      return walk(args[2]!, new Set([...bound, variable]), context);
    }
  }
  for (const child of childrenOf(node)) walk(child, bound, context);
}

function childrenOf(node: ASTNode): readonly ASTNode[] {
  switch (node.op) {
    case 'value':
    case 'id':
      return [];
    case '.':
    case '.?':
      return [node.args[0]];
    case 'call':
      return node.args[1];
    case 'rcall':
      return [node.args[1], ...node.args[2]];
    case 'map':
      return node.args.flat();
    case '!_':
    case '-_':
      return [node.args];
    default:
      return node.args;
  }
}
