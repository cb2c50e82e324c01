import { conflict, invalid, notFound, type FieldViolation } from '@traceport/errors';
import type { ZodError } from 'zod';

export const ruleSetNotFound = (version: number) =>
  notFound('rule-set-not-found', version === 0 ? 'no rule set is active: publish one first' : `rule set version ${version} does not exist`);

export const ruleSetPublished = (version: number) =>
  conflict('rule-set-published', `rule set version ${version} is published and can no longer change; save a new draft instead`);

export const invalidRuleSet = (message: string, violations: readonly FieldViolation[]) => invalid('invalid-rule-set', message, violations);

export function invalidRuleSetShape(error: ZodError): ReturnType<typeof invalid> {
  return invalidRuleSet(
    'the rule set does not have the expected shape',
    error.issues.map((issue) => ({ field: issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') || '(root)', message: issue.message })),
  );
}
