import type { MigrationInterface, QueryRunner } from 'typeorm';
import { canonicalIdentifierOrSelf } from '../../epcis/gs1-identifier.js';

const BATCH = 1_000;

interface StoredFields {
  seq: string;
  parent: unknown;
  inputs: unknown;
  outputs: unknown;
  input_quantities: unknown;
  output_quantities: unknown;
}

const canonicalList = (values: unknown): string[] =>
  Array.isArray(values) ? [...new Set(values.filter((value): value is string => typeof value === 'string').map(canonicalIdentifierOrSelf))] : [];

const classesOf = (quantities: unknown): string[] =>
  canonicalList(Array.isArray(quantities) ? quantities.map((element: unknown) => (element as { epcClass?: unknown } | null)?.epcClass) : []);

/**
 * The fields MATCH_parentID, MATCH_inputEPC, MATCH_outputEPC, MATCH_inputEPCClass and
 * MATCH_outputEPCClass filter on (EPCIS 2.0 §8.2.7.1), in canonical form like the others. They are
 * searched through the any_epcs and epc_classes GIN indexes and rechecked here, so they need no index
 * of their own. Events stored before get them from their bodies, canonicalised as a capture does.
 */
export class EpcisQueryFields1764600000001 implements MigrationInterface {
  name = 'EpcisQueryFields1764600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "data_service"."epcis_events"
      ADD COLUMN "parent_id" text,
      ADD COLUMN "input_epcs" text[] NOT NULL DEFAULT '{}',
      ADD COLUMN "output_epcs" text[] NOT NULL DEFAULT '{}',
      ADD COLUMN "input_epc_classes" text[] NOT NULL DEFAULT '{}',
      ADD COLUMN "output_epc_classes" text[] NOT NULL DEFAULT '{}'`);
    for (let after = '0'; ; ) {
      const rows: StoredFields[] = await queryRunner.query(
        `SELECT "seq"::text AS "seq", "body" -> 'parentID' AS "parent", "body" -> 'inputEPCList' AS "inputs", "body" -> 'outputEPCList' AS "outputs",
           "body" -> 'inputQuantityList' AS "input_quantities", "body" -> 'outputQuantityList' AS "output_quantities"
         FROM "data_service"."epcis_events"
         WHERE "seq" > $1::bigint AND "body" ?| ARRAY['parentID', 'inputEPCList', 'outputEPCList', 'inputQuantityList', 'outputQuantityList']
         ORDER BY "seq" LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      const fields = rows.map((row) => ({
        seq: row.seq,
        parent_id: typeof row.parent === 'string' ? canonicalIdentifierOrSelf(row.parent) : null,
        input_epcs: canonicalList(row.inputs),
        output_epcs: canonicalList(row.outputs),
        input_epc_classes: classesOf(row.input_quantities),
        output_epc_classes: classesOf(row.output_quantities),
      }));
      await queryRunner.query(
        `UPDATE "data_service"."epcis_events" e SET "parent_id" = f."parent_id", "input_epcs" = f."input_epcs", "output_epcs" = f."output_epcs",
           "input_epc_classes" = f."input_epc_classes", "output_epc_classes" = f."output_epc_classes"
         FROM json_to_recordset($1::json) AS f ("seq" bigint, "parent_id" text, "input_epcs" text[], "output_epcs" text[], "input_epc_classes" text[], "output_epc_classes" text[])
         WHERE e."seq" = f."seq"`,
        [JSON.stringify(fields)],
      );
      after = rows.at(-1)!.seq;
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "data_service"."epcis_events"
      DROP COLUMN "parent_id", DROP COLUMN "input_epcs", DROP COLUMN "output_epcs", DROP COLUMN "input_epc_classes", DROP COLUMN "output_epc_classes"`);
  }
}
