import type { ParseResult } from '@marcbachmann/cel-js';
import { celContextOf } from './cel-environment.js';
import { type ConditionClosure, closureOf } from './condition-closure.js';
import type { DecisionContext } from './decision-context.js';

/** One decision's context, and its cel-js view made on first use: only rules outside the fast subset need it. */
export class DecisionScope {
  readonly context: DecisionContext;
  #celContext: object | undefined;

  constructor(context: DecisionContext) {
    this.context = context;
  }

  get celContext(): object {
    return (this.#celContext ??= celContextOf(this.context));
  }
}

/** A parsed and type-checked expression, run by the compiled closures or, for what they do not cover, by cel-js. */
export type ConditionEvaluator =
  | { readonly by: 'closures'; readonly closure: ConditionClosure }
  | { readonly by: 'cel-js'; readonly run: (celContext: object) => unknown };

/**
 * The closures when `closures` allows and they cover the expression, else cel-js. Checking first
 * (ParseResult.check) is what lets cel-js skip type-checking on every call.
 */
export function evaluatorOf(checked: ParseResult, closures: boolean): ConditionEvaluator {
  const closure = closures ? closureOf(checked.ast) : undefined;
  return closure !== undefined ? { by: 'closures', closure } : { by: 'cel-js', run: checked };
}

export function evaluate(evaluator: ConditionEvaluator, scope: DecisionScope): unknown {
  return evaluator.by === 'closures' ? evaluator.closure.run(scope.context, evaluator.closure.frame) : evaluator.run(scope.celContext);
}
