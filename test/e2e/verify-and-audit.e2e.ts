import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leafHash, toHex } from '@traceport/ledger';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import pg from 'pg';
import { createBrand } from '../support/archive-fixtures.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFetch } from '../support/gateway-client.js';

// The promise of the ledger, from the outside: `./traceport verify` accepts a genuine proof and
// says exactly why it rejects a forged one; the audit names exactly the records altered in the
// database behind the services' backs.

const platform = testPlatform();
const work = mkdtempSync(join(tmpdir(), 'traceport-verify-'));
const database = new pg.Client({ connectionString: platform.databaseUrl });
let brandId: string;

interface Bundle {
  type: string;
  record_key: string;
  record: Record<string, unknown>;
  proof: { leaf_index: number; tree_size: number; leaf_hash: string; inclusion_path: string[]; root_hash: string; status: string; anchor: unknown };
}

async function registerAnchored(name: string): Promise<Bundle> {
  const created = await gatewayFetch(`/v1/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ gtin: randomGtin(), name, brandId, category: 'honey', hsCode: '040900', originCountry: 'NZ' }),
  });
  const { record_key: recordKey } = (await created.json()) as { record_key: string };
  return eventually(`${name} anchored`, async () => {
    const response = await gatewayFetch(`/v1/proofs?record_key=${encodeURIComponent(recordKey)}`);
    const bundle = (await response.json()) as Bundle;
    return bundle.proof?.status === 'anchored' ? bundle : undefined;
  });
}

function verify(bundle: Bundle, name: string) {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(bundle));
  const result = spawnSync(join(platform.root, 'traceport'), ['verify', file, '--rpc', platform.chainRpcUrl, '--log', platform.gatewayUrl], {
    encoding: 'utf8',
    cwd: platform.root,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(async () => {
  await database.connect();
  brandId = (await createBrand()).brandId;
});

afterAll(async () => {
  await database.end();
});

describe('./traceport verify', () => {
  let genuine: Bundle;

  beforeAll(async () => {
    const first = await registerAnchored('Genuine Honey');
    // A later record, so the proof has a path to tamper with; read the proof again once it is
    // anchored under a larger head, then add one more head for the consistency check.
    await registerAnchored('Later Honey');
    genuine = await eventually('a proof with a path', async () => {
      const response = await gatewayFetch(`/v1/proofs?record_key=${encodeURIComponent(first.record_key)}`);
      const bundle = (await response.json()) as Bundle;
      return bundle.proof.status === 'anchored' && bundle.proof.inclusion_path.length > 0 ? bundle : undefined;
    });
    await registerAnchored('Even Later Honey');
  });

  it('accepts a genuine proof: leaf, inclusion, root on chain, consistency with the latest head', () => {
    const { code, output } = verify(genuine, 'genuine');
    expect(output).toMatch(/✓ leaf hash/);
    expect(output).toMatch(/✓ RFC 9162 inclusion/);
    expect(output).toMatch(/✓ registry 0x[0-9a-f]{40} holds root/);
    expect(output).toMatch(/✓ the chain's latest head \(size \d+\) extends this one/);
    expect(output).toMatch(/verified: this record is the one anchored on chain/);
    expect(code).toBe(0);
  });

  it('serves the bundle as a file to download', async () => {
    const response = await gatewayFetch(`/v1/proofs?record_key=${encodeURIComponent(genuine.record_key)}&download=true`);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="?proof-archive\.product_[0-9a-f-]+_v1\.json"?$/);
    expect(((await response.json()) as Bundle).record).toEqual(genuine.record);
  });

  it('rejects a changed record, naming the leaf', () => {
    const { code, output } = verify({ ...genuine, record: { ...genuine.record, originCountry: 'CN' } }, 'changed-record');
    expect(output).toMatch(/✗ leaf hash/);
    expect(output).toMatch(/✗ RFC 9162 inclusion .*root-mismatch|✗ RFC 9162 inclusion .*different root/);
    expect(output).toMatch(/NOT verified/);
    expect(code).toBe(1);
  });

  it('rejects a changed inclusion path', () => {
    const path = [...genuine.proof.inclusion_path];
    path[0] = `${path[0]!.slice(0, -1)}${path[0]!.endsWith('0') ? '1' : '0'}`;
    const { code, output } = verify({ ...genuine, proof: { ...genuine.proof, inclusion_path: path } }, 'changed-path');
    expect(output).toMatch(/✓ leaf hash/);
    expect(output).toMatch(/✗ RFC 9162 inclusion/);
    expect(code).toBe(1);
  });

  it('rejects a self-consistent forgery whose head is not on chain', () => {
    // A one-record "log" built by a forger: inclusion holds, but no such head was ever anchored.
    const record = { ...genuine.record, name: 'Counterfeit Honey' };
    const root = toHex(leafHash(record));
    const forged: Bundle = { ...genuine, record, proof: { ...genuine.proof, leaf_index: 0, tree_size: 1, leaf_hash: root, inclusion_path: [], root_hash: root } };
    const { code, output } = verify(forged, 'forged-head');
    expect(output).toMatch(/✓ RFC 9162 inclusion/);
    expect(output).toMatch(/✗ registry 0x[0-9a-f]{40} holds root .* for tree size 1/);
    expect(code).toBe(1);
  });
});

describe('log audit', () => {
  async function audit() {
    const response = await gatewayFetch(`/v1/ledger/audit`, { method: 'POST' });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      ok: boolean;
      changed: { record_key: string }[];
      missing: number[];
      reordered: { record_key: string; stored_at: number; belongs_at: number }[];
      head_mismatches: unknown[];
      heads_checked: number;
    };
  }

  it('finds nothing wrong with an untouched log', async () => {
    await registerAnchored('Audited Honey');
    const report = await audit();
    expect(report).toMatchObject({ ok: true, changed: [], missing: [], reordered: [], head_mismatches: [] });
    expect(report.heads_checked).toBeGreaterThan(0);
    expect(await (await gatewayFetch(`/v1/ledger/audit`)).json()).toMatchObject({ ok: true });
  });

  it('names exactly the record changed, the one deleted and the two swapped, then clears once restored', async () => {
    const [a, b, c, d] = [await registerAnchored('Audit A'), await registerAnchored('Audit B'), await registerAnchored('Audit C'), await registerAnchored('Audit D')];
    const saved = (
      await database.query(
        `SELECT "leaf_index"::text, "record_key", "record_type", "record_json", encode("leaf_hash", 'hex') AS "leaf_hash", "event_id", "appended_at"
         FROM "ledger"."leaves" WHERE "record_key" = ANY($1)`,
        [[a, b, c, d].map((bundle) => bundle.record_key)],
      )
    ).rows as { leaf_index: string; record_key: string; record_type: string; record_json: string; leaf_hash: string; event_id: string; appended_at: Date }[];
    try {
      await database.query(`UPDATE "ledger"."leaves" SET "record_json" = replace("record_json", 'Audit A', 'Audit A (relabelled)') WHERE "record_key" = $1`, [a.record_key]);
      await database.query(`DELETE FROM "ledger"."leaves" WHERE "record_key" = $1`, [b.record_key]);
      await database.query('BEGIN');
      await database.query(`UPDATE "ledger"."leaves" SET "leaf_index" = 1000000000000 WHERE "record_key" = $1`, [c.record_key]);
      await database.query(`UPDATE "ledger"."leaves" SET "leaf_index" = $1 WHERE "record_key" = $2`, [c.proof.leaf_index, d.record_key]);
      await database.query(`UPDATE "ledger"."leaves" SET "leaf_index" = $1 WHERE "record_key" = $2`, [d.proof.leaf_index, c.record_key]);
      await database.query('COMMIT');

      const report = await audit();
      expect(report.ok).toBe(false);
      expect(report.changed.map((record) => record.record_key)).toEqual([a.record_key]);
      expect(report.missing).toEqual([b.proof.leaf_index]);
      expect(report.reordered.map((record) => record.record_key).sort()).toEqual([c.record_key, d.record_key].sort());
      expect(report.reordered.find((record) => record.record_key === c.record_key)).toMatchObject({ stored_at: d.proof.leaf_index, belongs_at: c.proof.leaf_index });
      expect(report.head_mismatches.length).toBeGreaterThan(0);
      const metrics = await (await fetch(`${platform.ledgerUrl}/metrics`)).text();
      expect(metrics).toMatch(/traceport_ledger_audit_mismatches\{kind="changed"[^}]*\} 1/);
    } finally {
      await database.query(`DELETE FROM "ledger"."leaves" WHERE "record_key" = ANY($1)`, [saved.map((row) => row.record_key)]);
      for (const row of saved) {
        await database.query(
          `INSERT INTO "ledger"."leaves" ("leaf_index", "record_key", "record_type", "record_json", "leaf_hash", "event_id", "appended_at")
           VALUES ($1, $2, $3, $4, decode($5, 'hex'), $6, $7)`,
          [row.leaf_index, row.record_key, row.record_type, row.record_json, row.leaf_hash, row.event_id, row.appended_at],
        );
      }
    }
    expect((await audit()).ok).toBe(true);
  });
});
