import { type ASTNode, EvaluationError } from '@marcbachmann/cel-js';
import type { DecisionContext } from './decision-context.js';
import { type CelType, celTypeName, decisionContextCelSchema } from './decision-context.cel-schema.js';

/**
 * A type-checked condition as plain JavaScript closures over the plain context: the fast path.
 *
 * cel-js walks its syntax tree for every evaluation and reads the context through typed views
 * (BigInt ints, one object per message), a few hundred nanoseconds per rule. The conditions
 * operators write are mostly field reads, comparisons, `&&`/`||`/`!`, table lookups and
 * `exists`/`all` over a list, and for those the checked types fix every operation at compile
 * time, so each node becomes one closure and ints stay JavaScript numbers (counts are far below
 * 2^53). Anything else (function calls, int arithmetic, other macros) returns undefined and the
 * rule is evaluated by cel-js instead. The closures keep CEL's semantics, which the specs check
 * against cel-js itself: `&&` and `||` absorb an error on one side when the other side decides,
 * `exists` and `all` likewise, and a missing key or a value of the wrong type is an error with
 * cel-js's message.
 */
export interface ConditionClosure {
  readonly run: (context: DecisionContext, frame: Frame) => unknown;
  /**
   * Where iteration variables of `exists`/`all` live, one slot per macro in the condition.
   * Evaluation is synchronous and a condition cannot re-enter itself, so one frame serves every call.
   */
  readonly frame: Frame;
}

type Frame = unknown[];
type Closure = (context: Readonly<Record<string, unknown>>, frame: Frame) => unknown;

interface Checked {
  readonly checkedType?: { readonly name?: unknown };
}

/** Every CEL type the context uses, by name: `int`, `Lot`, `list<Certification>`, `map<string, double>`. */
const contextTypes = new Map<string, CelType>();
(function collect(type: CelType): void {
  contextTypes.set(celTypeName(type), type);
  if (typeof type === 'string') return;
  if ('message' in type) for (const field of Object.values(type.fields)) collect(field);
  else collect('list' in type ? type.list : type.map);
})(decisionContextCelSchema);
for (const scalar of ['int', 'double', 'string', 'bool'] as const) contextTypes.set(scalar, scalar);

const variables: Readonly<Record<string, CelType>> = decisionContextCelSchema.fields;
const NO_FRAME: Frame = [];
/** Literals are evaluated once, against no context. */
const EMPTY_CONTEXT: Readonly<Record<string, unknown>> = Object.freeze({});

/** The closure for a type-checked tree, or undefined when it uses something outside the fast subset. */
export function closureOf(ast: ASTNode): ConditionClosure | undefined {
  const slots = { size: 0 };
  const run = compile(ast, new Map(), slots) as ConditionClosure['run'] | undefined;
  return run && { run, frame: slots.size === 0 ? NO_FRAME : new Array<unknown>(slots.size) };
}

function typeOf(node: ASTNode): CelType | undefined {
  const name = (node as Checked).checkedType?.name;
  return typeof name === 'string' ? contextTypes.get(name) : undefined;
}

const isNumeric = (type: CelType | undefined): type is 'int' | 'double' => type === 'int' || type === 'double';
const isScalar = (type: CelType | undefined): type is 'int' | 'double' | 'string' | 'bool' => typeof type === 'string';

function compile(node: ASTNode, bound: ReadonlyMap<string, number>, slots: { size: number }): Closure | undefined {
  const sub = (child: ASTNode) => compile(child, bound, slots);
  switch (node.op) {
    case 'value':
      return literal(node.args);
    case 'id': {
      const slot = bound.get(node.args);
      if (slot !== undefined) return (_context, locals) => locals[slot];
      const type = variables[node.args];
      return type === undefined ? undefined : variable(node.args, type);
    }
    case '.':
    case '[]': {
      const from = typeOf(node.args[0]);
      if (from === undefined || typeof from === 'string' || 'list' in from) return undefined;
      if ('message' in from) return node.op === '.' ? fieldChain(node, bound, slots) : undefined;
      const object = sub(node.args[0]);
      if (object === undefined) return undefined;
      if (node.op === '.') {
        const key = node.args[1];
        return mapEntry(object, () => key, from.map);
      }
      const key = typeOf(node.args[1]) === 'string' ? sub(node.args[1]) : undefined;
      return key && mapEntry(object, key, from.map);
    }
    case '&&':
    case '||': {
      const [left, right] = [sub(node.args[0]), sub(node.args[1])];
      if (left === undefined || right === undefined) return undefined;
      return node.op === '&&' ? and(left, right) : or(left, right);
    }
    case '!_': {
      const operand = typeOf(node.args) === 'bool' ? sub(node.args) : undefined;
      return operand && ((context, locals) => !operand(context, locals));
    }
    case '-_': {
      const type = typeOf(node.args);
      const operand = isNumeric(type) ? sub(node.args) : undefined;
      if (operand === undefined) return undefined;
      // 0 - x rather than -x: CEL has no negative zero int.
      return type === 'int' ? (context, locals) => 0 - (operand(context, locals) as number) : (context, locals) => -(operand(context, locals) as number);
    }
    case '?:': {
      const [condition, then, otherwise] = node.args.map(sub);
      if (condition === undefined || then === undefined || otherwise === undefined) return undefined;
      return (context, locals) => (condition(context, locals) === true ? then(context, locals) : otherwise(context, locals));
    }
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return comparison(node.op, node.args, bound, slots);
    case '+':
    case '-':
    case '*':
    case '/':
      return arithmetic(node.op, node.args, bound, slots);
    case 'in':
      return membership(node.args, bound, slots);
    case 'list': {
      const items = node.args.map(sub);
      if (items.some((item) => item === undefined)) return undefined;
      const compiled = items as Closure[];
      return (context, locals) => compiled.map((item) => item(context, locals));
    }
    case 'rcall':
      return quantifier(node.args, bound, slots);
    default:
      return undefined;
  }
}

function literal(value: unknown): Closure | undefined {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
    const number = Number(value);
    return () => number;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return () => value;
  return undefined;
}

/** Whether a value read from the context has the declared type (ints are integral numbers here). */
function matcherOf(type: CelType): (value: unknown) => boolean {
  switch (type) {
    case 'int':
      return Number.isInteger;
    case 'double':
      return (value) => typeof value === 'number';
    case 'string':
      return (value) => typeof value === 'string';
    case 'bool':
      return (value) => typeof value === 'boolean';
    default:
      return 'list' in type ? Array.isArray : (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function runtimeTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'map' : typeof value;
}

function variable(name: string, type: CelType): Closure {
  const matches = matcherOf(type);
  return (context) => {
    const value = context[name];
    if (matches(value)) return value;
    throw new EvaluationError(value === undefined ? `Unknown variable: ${name}` : `Variable '${name}' is not of type '${celTypeName(type)}', got '${runtimeTypeName(value)}'`);
  };
}

/**
 * `a.b.c` over message types as one closure: the hot path of most conditions, so the objects in
 * between are read in a loop instead of through a closure each.
 */
function fieldChain(node: ASTNode, bound: ReadonlyMap<string, number>, slots: { size: number }): Closure | undefined {
  const names: string[] = [];
  let base = node;
  while (base.op === '.') {
    const from = typeOf(base.args[0]);
    if (typeof from !== 'object' || !('message' in from)) break;
    names.unshift(base.args[1]);
    base = base.args[0];
  }
  let type = typeOf(base);
  for (const name of names) type = typeof type === 'object' && 'message' in type ? type.fields[name] : undefined;
  if (type === undefined) return undefined;
  const leafType = type;
  const matches = matcherOf(leafType);
  // A chain from a context variable starts at the context itself: one closure for `factory.stats.failed`.
  const fromContext = base.op === 'id' && !bound.has(base.args) && base.args in variables;
  if (fromContext) names.unshift(base.args as string);
  const root = fromContext ? undefined : compile(base, bound, slots);
  if (!fromContext && root === undefined) return undefined;
  const last = names.length - 1;
  const leafName = names[last]!;
  const stepFailure = (step: number, value: unknown) =>
    fromContext && step === 0 && value === undefined ? new EvaluationError(`Unknown variable: ${names[0]}`) : mismatch(names[step]!, 'message', value);
  return (context, locals) => {
    let object = (root === undefined ? context : root(context, locals)) as Record<string, unknown>;
    if (typeof object !== 'object' || object === null) throw new EvaluationError(`No such key: ${names[0]!}`);
    for (let step = 0; step < last; step++) {
      const next = object[names[step]!];
      if (typeof next !== 'object' || next === null) throw stepFailure(step, next);
      object = next as Record<string, unknown>;
    }
    const value = object[leafName];
    if (matches(value)) return value;
    throw fromContext && last === 0 && value === undefined ? new EvaluationError(`Unknown variable: ${leafName}`) : mismatch(leafName, celTypeName(leafType), value);
  };
}

function mismatch(name: string, type: string, value: unknown): EvaluationError {
  return new EvaluationError(value === undefined ? `No such key: ${name}` : `Field '${name}' is not of type '${type}', got '${runtimeTypeName(value)}'`);
}

function mapEntry(map: Closure, key: Closure, type: CelType): Closure {
  const matches = matcherOf(type);
  return (context, locals) => {
    const entries = map(context, locals) as Record<string, unknown>;
    const name = key(context, locals) as string;
    const value = Object.hasOwn(entries, name) ? entries[name] : undefined;
    if (matches(value)) return value;
    throw mismatch(name, celTypeName(type), value);
  };
}

/** `a && b`: false if either side is false, even when the other fails; otherwise the left error wins. */
function and(left: Closure, right: Closure): Closure {
  return (context, locals) => {
    let value: unknown;
    try {
      value = left(context, locals);
    } catch (error) {
      if (right(context, locals) === false) return false;
      throw error;
    }
    return value === false ? false : right(context, locals);
  };
}

/** `a || b`: true if either side is true, even when the other fails; otherwise the left error wins. */
function or(left: Closure, right: Closure): Closure {
  return (context, locals) => {
    let value: unknown;
    try {
      value = left(context, locals);
    } catch (error) {
      if (right(context, locals) === true) return true;
      throw error;
    }
    return value === true ? true : right(context, locals);
  };
}

function comparison(op: '==' | '!=' | '<' | '<=' | '>' | '>=', [leftNode, rightNode]: readonly [ASTNode, ASTNode], bound: ReadonlyMap<string, number>, slots: { size: number }): Closure | undefined {
  const [leftType, rightType] = [typeOf(leftNode), typeOf(rightNode)];
  // The type checker allows int with double only in ordering; equality needs one scalar type.
  const comparable = op === '==' || op === '!=' ? isScalar(leftType) && leftType === rightType : (isNumeric(leftType) && isNumeric(rightType)) || (leftType === rightType && (leftType === 'string' || leftType === 'bool'));
  if (!comparable) return undefined;
  const [left, right] = [compile(leftNode, bound, slots), compile(rightNode, bound, slots)];
  if (left === undefined || right === undefined) return undefined;
  type Operand = number | string | boolean;
  const l = left as (context: Readonly<Record<string, unknown>>, locals: Frame) => Operand;
  if (rightNode.op === 'value') return comparisonWithConstant(op, l, right(EMPTY_CONTEXT, NO_FRAME) as Operand);
  const r = right as (context: Readonly<Record<string, unknown>>, locals: Frame) => Operand;
  switch (op) {
    case '==':
      return (context, locals) => l(context, locals) === r(context, locals);
    case '!=':
      return (context, locals) => l(context, locals) !== r(context, locals);
    case '<':
      return (context, locals) => l(context, locals) < r(context, locals);
    case '<=':
      return (context, locals) => l(context, locals) <= r(context, locals);
    case '>':
      return (context, locals) => l(context, locals) > r(context, locals);
    case '>=':
      return (context, locals) => l(context, locals) >= r(context, locals);
  }
}

/** `path < 0.9`, the commonest shape of all: the constant needs no closure call. */
function comparisonWithConstant(op: '==' | '!=' | '<' | '<=' | '>' | '>=', l: (context: Readonly<Record<string, unknown>>, locals: Frame) => number | string | boolean, constant: number | string | boolean): Closure {
  switch (op) {
    case '==':
      return (context, locals) => l(context, locals) === constant;
    case '!=':
      return (context, locals) => l(context, locals) !== constant;
    case '<':
      return (context, locals) => l(context, locals) < constant;
    case '<=':
      return (context, locals) => l(context, locals) <= constant;
    case '>':
      return (context, locals) => l(context, locals) > constant;
    case '>=':
      return (context, locals) => l(context, locals) >= constant;
  }
}

/** String concatenation and double arithmetic; int arithmetic (int64 overflow checks) is left to cel-js. */
function arithmetic(op: '+' | '-' | '*' | '/', [leftNode, rightNode]: readonly [ASTNode, ASTNode], bound: ReadonlyMap<string, number>, slots: { size: number }): Closure | undefined {
  const [leftType, rightType] = [typeOf(leftNode), typeOf(rightNode)];
  const strings = op === '+' && leftType === 'string' && rightType === 'string';
  if (!strings && !(leftType === 'double' && rightType === 'double')) return undefined;
  const [left, right] = [compile(leftNode, bound, slots), compile(rightNode, bound, slots)];
  if (left === undefined || right === undefined) return undefined;
  if (strings) return (context, locals) => (left(context, locals) as string) + (right(context, locals) as string);
  const l = left as (context: Readonly<Record<string, unknown>>, locals: Frame) => number;
  const r = right as (context: Readonly<Record<string, unknown>>, locals: Frame) => number;
  switch (op) {
    case '+':
      return (context, locals) => l(context, locals) + r(context, locals);
    case '-':
      return (context, locals) => l(context, locals) - r(context, locals);
    case '*':
      return (context, locals) => l(context, locals) * r(context, locals);
    case '/':
      return (context, locals) => l(context, locals) / r(context, locals);
  }
}

/** `key in map` (a present entry) and `value in [literal list]` (CEL equality: no NaN matches). */
function membership([elementNode, containerNode]: readonly [ASTNode, ASTNode], bound: ReadonlyMap<string, number>, slots: { size: number }): Closure | undefined {
  const container = typeOf(containerNode);
  const element = compile(elementNode, bound, slots);
  const within = compile(containerNode, bound, slots);
  if (element === undefined || within === undefined) return undefined;
  if (typeof container === 'object' && 'map' in container && typeOf(elementNode) === 'string') {
    return (context, locals) => {
      const key = element(context, locals) as string;
      const entries = within(context, locals) as Record<string, unknown>;
      return Object.hasOwn(entries, key) && entries[key] !== undefined;
    };
  }
  if (containerNode.op === 'list' && isScalar(typeOf(elementNode))) {
    const literals = containerNode.args.every((item) => item.op === 'value') ? (within(EMPTY_CONTEXT, NO_FRAME) as unknown[]) : undefined;
    if (literals !== undefined) {
      return (context, locals) => {
        const value = element(context, locals);
        return literals.some((item) => item === value);
      };
    }
    return (context, locals) => {
      const value = element(context, locals);
      return (within(context, locals) as unknown[]).some((item) => item === value);
    };
  }
  return undefined;
}

/**
 * `list.exists(x, p)` and `list.all(x, p)`. An element whose predicate fails is skipped; the first
 * such error is thrown only when no element decided the result, as in cel-js.
 */
function quantifier([name, receiverNode, args]: readonly [string, ASTNode, readonly ASTNode[]], bound: ReadonlyMap<string, number>, slots: { size: number }): Closure | undefined {
  const receiverType = typeOf(receiverNode);
  const [iterationVariable, predicateNode] = args;
  if ((name !== 'exists' && name !== 'all') || args.length !== 2 || iterationVariable?.op !== 'id' || predicateNode === undefined) return undefined;
  if (typeof receiverType !== 'object' || !('list' in receiverType)) return undefined;
  const list = compile(receiverNode, bound, slots);
  const slot = slots.size++;
  const predicate = compile(predicateNode, new Map([...bound, [iterationVariable.args, slot]]), slots);
  if (list === undefined || predicate === undefined) return undefined;
  const decisive = name === 'exists'; // exists stops at the first true, all at the first false
  return (context, locals) => {
    let failure: { readonly error: unknown } | undefined;
    for (const item of list(context, locals) as readonly unknown[]) {
      locals[slot] = item;
      try {
        if (predicate(context, locals) === decisive) return decisive;
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
    return !decisive;
  };
}
