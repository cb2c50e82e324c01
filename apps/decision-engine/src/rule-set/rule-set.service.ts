import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DecisionRecordTypes } from '@traceport/contracts';
import { invalid } from '@traceport/errors';
import { compileRuleSet, ruleSetDefinitionSchema, validateRuleSet, type CompiledRuleSet, type RuleSetDefinition } from '@traceport/sampling';
import { DataSource, type EntityManager } from 'typeorm';
import { DECISION_ENGINE_SCHEMA } from '../config.js';
import { publishDecisionRecord } from '../decision/decision-records.js';
import { invalidRuleSet, invalidRuleSetShape, ruleSetNotFound, ruleSetPublished } from './rule-set.exception.js';

const S = `"${DECISION_ENGINE_SCHEMA}"`;

interface RuleSetRow {
  version: number;
  status: 'draft' | 'published';
  definition: RuleSetDefinition;
  note: string;
  created_by: string;
  created_at: Date;
  published_by: string | null;
  published_at: Date | null;
  effective_from: Date | null;
  active: boolean;
}

export interface RuleSetView {
  readonly version: number;
  readonly status: 'draft' | 'published';
  readonly definition: RuleSetDefinition;
  readonly note: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly publishedBy: string | null;
  readonly publishedAt: string | null;
  readonly effectiveFrom: string | null;
  readonly active: boolean;
}

export interface ActiveRuleSet {
  readonly version: number;
  readonly definition: RuleSetDefinition;
  readonly compiled: CompiledRuleSet;
}

const viewOf = (row: RuleSetRow): RuleSetView => ({
  version: row.version,
  status: row.status,
  definition: row.definition,
  note: row.note,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  publishedBy: row.published_by,
  publishedAt: row.published_at?.toISOString() ?? null,
  effectiveFrom: row.effective_from?.toISOString() ?? null,
  active: row.active,
});

// The version in force at a time: the published one with the latest effective time not after it.
const ACTIVE_AT = `(SELECT "version" FROM ${S}."rule_set_versions" WHERE "status" = 'published' AND "effective_from" <= $1
                    ORDER BY "effective_from" DESC, "version" DESC LIMIT 1)`;
const COLUMNS = `"version", "status", "definition", "note", "created_by", "created_at", "published_by", "published_at", "effective_from"`;

/**
 * Versioned sampling rule sets: drafts are saved only when every condition compiles, published
 * versions never change and are anchored, and the one in force at a time is the published version
 * with the latest effective time not after it. Compiled sets are cached by version (a version's
 * definition never changes once published), so no decision ever re-parses a condition.
 */
@Injectable()
export class RuleSetService {
  private readonly active = new Map<number, ActiveRuleSet>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Parses and compiles a definition; every problem is reported at once, with its position. */
  parse(definitionJson: string): RuleSetDefinition {
    let raw: unknown;
    try {
      raw = JSON.parse(definitionJson);
    } catch (error) {
      throw invalid('invalid-rule-set', `the rule set is not JSON: ${(error as Error).message}`, [{ field: 'definition', message: 'not JSON' }]);
    }
    const parsed = ruleSetDefinitionSchema.safeParse(raw);
    if (!parsed.success) throw invalidRuleSetShape(parsed.error);
    const problems = validateRuleSet(parsed.data);
    if (problems.length > 0) {
      throw invalidRuleSet(
        `${problems.length} rule condition${problems.length === 1 ? ' does' : 's do'} not compile: ${problems.map((problem) => `${problem.ruleId} (line ${problem.line}, column ${problem.column}): ${problem.message}`).join('; ')}`,
        problems.map((problem) => ({ field: `rules[${parsed.data.rules.findIndex((rule) => rule.id === problem.ruleId)}].condition`, message: `${problem.ruleId}: ${problem.message}`, line: problem.line, column: problem.column })),
      );
    }
    return parsed.data;
  }

  async createDraft(definitionJson: string, note: string, actor: string): Promise<RuleSetView> {
    const definition = this.parse(definitionJson);
    const rows: RuleSetRow[] = await this.dataSource.query(
      `INSERT INTO ${S}."rule_set_versions" ("status", "definition", "note", "created_by") VALUES ('draft', $1, $2, $3) RETURNING ${COLUMNS}, false AS "active"`,
      [JSON.stringify(definition), note, actorOf(actor)],
    );
    return viewOf(rows[0]!);
  }

  async updateDraft(version: number, definitionJson: string, note: string): Promise<RuleSetView> {
    const definition = this.parse(definitionJson);
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lockVersion(manager, version);
      if (current.status !== 'draft') throw ruleSetPublished(version);
      const rows: RuleSetRow[] = await manager.query(
        `WITH changed AS (UPDATE ${S}."rule_set_versions" SET "definition" = $2, "note" = $3, "updated_at" = now() WHERE "version" = $1 RETURNING ${COLUMNS}, false AS "active") SELECT * FROM changed`,
        [version, JSON.stringify(definition), note || current.note],
      );
      return viewOf(rows[0]!);
    });
  }

  async get(version: number): Promise<RuleSetView> {
    assertStorableVersion(version);
    const rows: RuleSetRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, "version" = ${ACTIVE_AT} AS "active" FROM ${S}."rule_set_versions"
       WHERE "version" = CASE WHEN $2::int = 0 THEN ${ACTIVE_AT} ELSE $2::int END`,
      [new Date(), version],
    );
    if (rows[0] === undefined) throw ruleSetNotFound(version);
    return viewOf(rows[0]);
  }

  async list(): Promise<RuleSetView[]> {
    const rows: RuleSetRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, "version" = coalesce(${ACTIVE_AT}, 0) AS "active" FROM ${S}."rule_set_versions" ORDER BY "version" DESC`,
      [new Date()],
    );
    return rows.map(viewOf);
  }

  async publish(version: number, effectiveFrom: string, actor: string): Promise<RuleSetView> {
    const now = new Date();
    const from = effectiveFrom === '' ? now : new Date(effectiveFrom);
    if (Number.isNaN(from.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(effectiveFrom || now.toISOString())) {
      throw invalid('invalid-rule-set', 'effective_from must be an RFC 3339 time', [{ field: 'effective_from', message: 'an RFC 3339 time' }]);
    }
    // A version cannot take effect in the past: decisions already made stay explained by the set they used.
    if (from.getTime() < now.getTime() - 60_000) {
      throw invalid('invalid-rule-set', 'effective_from is in the past; a rule set takes effect now or later', [{ field: 'effective_from', message: 'not in the past' }]);
    }
    await this.dataSource.transaction(async (manager) => {
      const current = await this.lockVersion(manager, version);
      if (current.status !== 'draft') throw ruleSetPublished(version);
      const rows: RuleSetRow[] = await manager.query(
        `WITH changed AS (UPDATE ${S}."rule_set_versions" SET "status" = 'published', "published_by" = $2, "published_at" = $3, "effective_from" = $4, "updated_at" = $3
         WHERE "version" = $1 RETURNING ${COLUMNS}, false AS "active") SELECT * FROM changed`,
        [version, actorOf(actor), now, from],
      );
      const row = rows[0]!;
      await publishDecisionRecord(
        manager,
        DecisionRecordTypes.ruleSet,
        {
          id: 'sampling-rules',
          version: row.version,
          effectiveFrom: from.toISOString(),
          publishedBy: row.published_by,
          publishedAt: now.toISOString(),
          note: row.note,
          definition: row.definition,
        },
        'sampling-rules',
      );
    });
    return this.get(version);
  }

  /** The rule set in force at a time, compiled; null before any is published. */
  async activeAt(manager: EntityManager, at: Date): Promise<ActiveRuleSet | null> {
    // Only the version is read per decision; a published version never changes, so its definition and
    // compiled rules are loaded once and cached.
    const rows: { version: number | null }[] = await manager.query(`SELECT ${ACTIVE_AT} AS "version"`, [at]);
    const version = rows[0]?.version ?? null;
    if (version === null) return null;
    let active = this.active.get(version);
    if (active === undefined) {
      const definitions: { definition: RuleSetDefinition }[] = await manager.query(`SELECT "definition" FROM ${S}."rule_set_versions" WHERE "version" = $1`, [version]);
      const definition = ruleSetDefinitionSchema.parse(definitions[0]!.definition);
      active = { version, definition, compiled: compileRuleSet(definition) };
      this.active.set(version, active);
    }
    return active;
  }

  /** A saved version for simulation (drafts are compiled afresh, since they may still change). */
  async definitionOf(version: number): Promise<{ definition: RuleSetDefinition; status: string }> {
    const view = await this.get(version);
    return { definition: view.definition, status: view.status };
  }

  private async lockVersion(manager: EntityManager, version: number): Promise<RuleSetRow> {
    assertStorableVersion(version);
    const rows: RuleSetRow[] = await manager.query(`SELECT ${COLUMNS}, false AS "active" FROM ${S}."rule_set_versions" WHERE "version" = $1 FOR UPDATE`, [version]);
    if (rows[0] === undefined) throw ruleSetNotFound(version);
    return rows[0];
  }
}

/**
 * Versions are PostgreSQL integers; a uint32 from gRPC can exceed them, and no such version exists.
 * Refused here as not found, before the query would fail on the cast.
 */
function assertStorableVersion(version: number): void {
  if (!Number.isInteger(version) || version < 0 || version > 2_147_483_647) throw ruleSetNotFound(version);
}

function actorOf(actor: string): string {
  return actor.trim() === '' ? 'unknown' : actor.trim().slice(0, 200);
}
