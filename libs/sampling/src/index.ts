// ISO 2859-1 sampling plans and switching rules, reproducible sample draws, and the CEL rule
// evaluator: the decision engine's pure core, no I/O.
export * from './rules/decision-context.js';
export * from './rules/rule-set-definition.js';
export * from './statistics/wilson-interval.js';
export { CompiledRuleSet, DEFAULT_ACTION_DESCRIPTION, type RuleEvaluationError, type RuleVerdict } from './rules/compiled-rule-set.js';
export { type CompileOptions, compileRuleSet, type RuleProblem, validateRuleSet } from './rules/rule-condition.compiler.js';
export { RuleSetInvalidException } from './rules/rule-set-invalid.exception.js';
export { RuleSetCache, type RuleSetKey } from './rules/rule-set.cache.js';
export * from './plans/sample-size-code-letter.js';
export * from './plans/single-sampling-tables.js';
export * from './plans/sampling-plan.js';
export * from './plans/switching-rules.js';
export * from './plans/switching-state-conflict.exception.js';
export * from './plans/sample-draw.js';
