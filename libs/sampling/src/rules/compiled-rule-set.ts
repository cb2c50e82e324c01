import { type ConditionEvaluator, DecisionScope, evaluate } from './condition-evaluator.js';
import type { DecisionContext } from './decision-context.js';
import type { PathReader } from './referenced-paths.js';
import type { RuleAction } from './rule-set-definition.js';

/** A rule whose condition failed while a lot was decided (e.g. a table without the key looked up). */
export interface RuleEvaluationError {
  readonly ruleId: string;
  readonly message: string;
}

export interface RuleVerdict {
  /** The rule that decided, or null when none held and the default action applies. */
  readonly ruleId: string | null;
  readonly action: RuleAction;
  readonly description: string;
  /**
   * The context values the deciding rule's condition reads, by dotted path (table entries by key:
   * `tables.hazard["toys:CN"]`, null when absent); empty for the default action. JSON-safe.
   */
  readonly seen: Readonly<Record<string, unknown>>;
  /**
   * Rules tried before the verdict whose condition failed at run time. Such a rule counts as not
   * holding (the next rule is tried, so one broken rule cannot stop every decision), and is named
   * here so the decision record shows that it could not be applied.
   */
  readonly errors: readonly RuleEvaluationError[];
}

/** A rule ready to decide: its condition parsed and type-checked once, its referenced paths found. */
export interface CompiledRule {
  readonly id: string;
  readonly description: string;
  readonly action: RuleAction;
  /** Type-checked to return a bool. */
  readonly condition: ConditionEvaluator;
  /** One per context path the condition reads, for the verdict's `seen`. */
  readonly seen: readonly PathReader[];
}

export const DEFAULT_ACTION_DESCRIPTION = 'No rule applies: the rule set’s default action.';
const NO_ERRORS: readonly RuleEvaluationError[] = Object.freeze([]);

/** A rule set compiled by compileRuleSet. Deciding never parses or type-checks. */
export class CompiledRuleSet {
  readonly #rules: readonly CompiledRule[];
  readonly #defaultAction: RuleAction;

  /** @param rules In the order they are tried: descending priority, ties in listed order. */
  constructor(rules: readonly CompiledRule[], defaultAction: RuleAction) {
    this.#rules = rules;
    this.#defaultAction = defaultAction;
  }

  /** Rule ids in the order they are tried. */
  get order(): readonly string[] {
    return this.#rules.map((rule) => rule.id);
  }

  /** Which evaluator runs each rule's condition: the compiled closures, or cel-js for what they do not cover. */
  get evaluatedBy(): Readonly<Record<string, 'closures' | 'cel-js'>> {
    return Object.fromEntries(this.#rules.map((rule) => [rule.id, rule.condition.by]));
  }

  /** The first rule whose condition holds decides; when none does, the default action applies. */
  decide(context: DecisionContext): RuleVerdict {
    const scope = new DecisionScope(context);
    let errors: RuleEvaluationError[] | undefined;
    for (const rule of this.#rules) {
      let holds: unknown;
      try {
        holds = evaluate(rule.condition, scope);
      } catch (error) {
        (errors ??= []).push({ ruleId: rule.id, message: failureMessage(error) });
        continue;
      }
      if (holds === true) {
        const seen: Record<string, unknown> = {};
        for (const read of rule.seen) read(scope, seen);
        return { ruleId: rule.id, action: rule.action, description: rule.description, seen, errors: errors ?? NO_ERRORS };
      }
    }
    return { ruleId: null, action: this.#defaultAction, description: DEFAULT_ACTION_DESCRIPTION, seen: {}, errors: errors ?? NO_ERRORS };
  }
}

function failureMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // cel-js errors carry a one-line summary besides the message with a source excerpt.
  const summary = (error as { summary?: unknown }).summary;
  return typeof summary === 'string' ? summary : error.message;
}
