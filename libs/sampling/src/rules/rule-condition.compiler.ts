import type { ASTNode } from '@marcbachmann/cel-js';
import { celEnvironment, celVariableNames } from './cel-environment.js';
import { CompiledRuleSet, type CompiledRule } from './compiled-rule-set.js';
import { type ConditionEvaluator, evaluatorOf } from './condition-evaluator.js';
import { decisionContextCelSchema, messageTypesOf } from './decision-context.cel-schema.js';
import { pathReaderOf, type ReferencedPath, referencedPaths } from './referenced-paths.js';
import type { RuleAction, RuleSetDefinition } from './rule-set-definition.js';
import { RuleSetInvalidException } from './rule-set-invalid.exception.js';

/** Why a rule cannot be saved, and where in its condition (1-based line and column). */
export interface RuleProblem {
  readonly ruleId: string;
  readonly field: 'condition';
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export interface CompileOptions {
  /**
   * Evaluate conditions in the compiled closures where they cover them (the default), or all in
   * cel-js: for comparison, and as an escape hatch should the two ever be found to disagree.
   */
  readonly closures?: boolean;
}

/** Every problem of the rule set's conditions (syntax, unknown names, types, unknown tables); empty when valid. */
export function validateRuleSet(definition: RuleSetDefinition): RuleProblem[] {
  return compileRules(definition, false).problems;
}

/** Parses and type-checks every condition once; throws RuleSetInvalidException listing every problem. */
export function compileRuleSet(definition: RuleSetDefinition, options: CompileOptions = {}): CompiledRuleSet {
  const { rules, problems } = compileRules(definition, options.closures ?? true);
  if (problems.length > 0) throw new RuleSetInvalidException(problems);
  return new CompiledRuleSet(rules, freeze(definition.defaultAction));
}

/** Problems in the order the rules are listed; compiled rules in the order they are tried. */
function compileRules(definition: RuleSetDefinition, closures: boolean): { rules: CompiledRule[]; problems: RuleProblem[] } {
  const tables = new Set(Object.keys(definition.tables));
  const compiled: { readonly priority: number; readonly rule: CompiledRule }[] = [];
  const problems: RuleProblem[] = [];
  for (const rule of definition.rules) {
    const condition = compileCondition(rule.condition, tables, closures);
    if ('problems' in condition) {
      for (const { message, offset } of condition.problems) problems.push({ ruleId: rule.id, field: 'condition', message, ...lineAndColumn(rule.condition, offset) });
      continue;
    }
    const seen = condition.paths.map(pathReaderOf);
    compiled.push({ priority: rule.priority, rule: { id: rule.id, description: rule.description, action: freeze(rule.action), condition: condition.evaluator, seen } });
  }
  // Descending priority; Array.prototype.sort is stable, so ties keep the listed order.
  return { rules: compiled.sort((a, b) => b.priority - a.priority).map(({ rule }) => rule), problems };
}

interface ConditionProblem {
  readonly message: string;
  /** Offset in the condition text. */
  readonly offset: number;
}

type CompiledCondition = { readonly evaluator: ConditionEvaluator; readonly paths: readonly ReferencedPath[] } | { readonly problems: ConditionProblem[] };

function compileCondition(condition: string, tables: ReadonlySet<string>, closures: boolean): CompiledCondition {
  let parsed: ReturnType<typeof celEnvironment.parse>;
  try {
    parsed = celEnvironment.parse(condition);
  } catch (error) {
    return { problems: [celProblem(error)] };
  }
  // check() also records the types in the tree, which is what lets evaluation skip type-checking.
  const checked = parsed.check();
  if (!checked.valid) return { problems: [celProblem(checked.error)] };
  if (checked.type !== 'bool') {
    return { problems: [{ message: `a condition must be a bool (true or false), but this one is ${checked.type ?? 'unknown'}`, offset: parsed.ast.start }] };
  }
  const paths = referencedPaths(parsed.ast, closures);
  const problems = unknownTables(paths, tables);
  return problems.length > 0 ? { problems } : { evaluator: evaluatorOf(parsed, closures), paths };
}

/** A table the rule set does not define would fail every decision at run time, so it is refused when saved. */
function unknownTables(paths: readonly ReferencedPath[], tables: ReadonlySet<string>): ConditionProblem[] {
  const problems: ConditionProblem[] = [];
  for (const path of paths) {
    const table = path.root === 'tables' ? path.segments[0] : undefined;
    const name = table?.kind === 'field' ? table.name : table?.kind === 'index' && table.key.kind === 'literal' ? String(table.key.value) : undefined;
    if (table === undefined || name === undefined || tables.has(name)) continue;
    const defined = tables.size > 0 ? `this rule set has ${[...tables].join(', ')}` : 'this rule set has no tables';
    problems.push({ message: `Unknown table: ${name} (${defined})`, offset: table.at });
  }
  return problems;
}

const messageFields = new Map(messageTypesOf(decisionContextCelSchema).map((type) => [type.message, Object.keys(type.fields)]));

interface CelErrorShape {
  readonly code?: string;
  readonly summary?: string;
  readonly message?: string;
  readonly range?: { readonly start: number };
  readonly node?: ASTNode;
}

/** A cel-js parse or type error as a problem: its one-line summary, a hint for operators, its position. */
function celProblem(error: unknown): ConditionProblem {
  const cel = (typeof error === 'object' && error !== null ? error : {}) as CelErrorShape;
  const summary = cel.summary ?? cel.message ?? String(error);
  return { message: summary + hintFor(cel), offset: cel.range?.start ?? 0 };
}

function hintFor(error: CelErrorShape): string {
  switch (error.code) {
    case 'unknown_variable':
      return ` (the variables are ${celVariableNames.join(', ')})`;
    case 'no_such_key': {
      // The type checker records each node's type: the selected-from node's is a message type of ours.
      const selectedFrom = error.node?.op === '.' ? (error.node.args[0] as { checkedType?: { name?: string } }).checkedType?.name : undefined;
      const fields = selectedFrom === undefined ? undefined : messageFields.get(selectedFrom);
      return fields === undefined ? '' : ` (${selectedFrom} has ${fields.join(', ')})`;
    }
    case 'no_such_overload':
      return /\bint\b/.test(error.summary ?? '') && /\bdouble\b/.test(error.summary ?? '')
        ? ' (CEL compares int with double but does not mix them in arithmetic or ==: write 2.0 for a double, or convert with double(…) or int(…))'
        : '';
    default:
      return '';
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}

function freeze(action: RuleAction): RuleAction {
  return Object.freeze(structuredClone(action));
}
