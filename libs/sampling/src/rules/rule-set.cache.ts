import type { CompiledRuleSet } from './compiled-rule-set.js';
import { compileRuleSet } from './rule-condition.compiler.js';
import type { RuleSetDefinition } from './rule-set-definition.js';

/** A published rule set version: its definition never changes, so its compilation can be kept. */
export interface RuleSetKey {
  readonly ruleSetId: string;
  readonly version: number;
}

/**
 * Compiled rule sets by id and version, least recently used dropped beyond `capacity`, so a
 * decision never re-parses a condition and a long-running engine does not keep every version it
 * ever saw.
 */
export class RuleSetCache {
  readonly capacity: number;
  readonly #compiled = new Map<string, CompiledRuleSet>();

  constructor(capacity = 32) {
    this.capacity = capacity;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.#compiled.size;
  }

  get(key: RuleSetKey): CompiledRuleSet | undefined {
    const cacheKey = keyOf(key);
    const compiled = this.#compiled.get(cacheKey);
    if (compiled !== undefined) {
      // A Map iterates in insertion order: re-inserting marks the entry most recently used.
      this.#compiled.delete(cacheKey);
      this.#compiled.set(cacheKey, compiled);
    }
    return compiled;
  }

  /**
   * The cached compilation of `key`, or `definition()` compiled and cached. Throws
   * RuleSetInvalidException (and caches nothing) when the definition is invalid.
   */
  getOrCompile(key: RuleSetKey, definition: () => RuleSetDefinition): CompiledRuleSet {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const compiled = compileRuleSet(definition());
    this.#compiled.set(keyOf(key), compiled);
    if (this.#compiled.size > this.capacity) this.#compiled.delete(this.#compiled.keys().next().value!);
    return compiled;
  }
}

function keyOf(key: RuleSetKey): string {
  return `${key.ruleSetId}@${key.version}`;
}
