import type { RuleProblem } from './rule-condition.compiler.js';

/** Thrown by compileRuleSet when a condition does not parse or type-check; `problems` locates each. */
export class RuleSetInvalidException extends Error {
  override readonly name = 'RuleSetInvalidException';
  readonly problems: readonly RuleProblem[];

  constructor(problems: readonly RuleProblem[]) {
    const listed = problems.map((problem) => `${problem.ruleId} ${problem.line}:${problem.column} ${problem.message}`);
    super(`the rule set has ${problems.length === 1 ? 'an invalid condition' : `${problems.length} invalid conditions`}: ${listed.join('; ')}`);
    this.problems = problems;
  }
}
