import { z } from 'zod';
import { Proof } from './ledger.schemas.js';

const at = () => z.string().meta({ format: 'date-time' });

export const Issuance = z
  .object({
    id: z.string(),
    lot_id: z.string(),
    lot_version: z.number().int(),
    lot_number: z.string(),
    gtin: z.string(),
    expiry_date: z.string().nullable(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    total: z.number().int(),
    issued: z.number().int(),
    progress: z.number().meta({ description: 'issued / total, 0 to 1.' }),
    identities_per_second: z.number(),
    created_at: at(),
    started_at: at().nullable(),
    finished_at: at().nullable(),
    failure: z.string().nullable(),
    serials_root: z.string().nullable().meta({ description: 'Merkle root over the issued (GTIN, serial) leaves.' }),
    record_key: z.string().nullable().meta({ description: 'The anchored issuance record; its proof: GET /v1/proofs?record_key=…' }),
    record: z.record(z.string(), z.unknown()).nullable(),
    labels: z.string().nullable().meta({ description: 'Where the label sheet PDF is, once the issuance succeeded.' }),
  })
  .meta({ id: 'Issuance', description: 'A bulk issuance job of item identities for a lot.' });

export const IssuanceList = z.object({ issuances: z.array(Issuance) }).meta({ id: 'IssuanceList' });

export const Identity = z
  .object({
    gtin: z.string(),
    serial: z.string(),
    lot_id: z.string(),
    lot_number: z.string(),
    expiry_date: z.string().nullable(),
    issuance_id: z.string(),
    index: z.number().int(),
    digital_link: z.string().meta({ description: 'The GS1 Digital Link URI the QR code carries.' }),
    issued_at: at(),
    issuance_proof: z
      .object({
        record_key: z.string(),
        serials_root: z.string(),
        leaf_index: z.number().int(),
        tree_size: z.number().int(),
        leaf_hash: z.string(),
        inclusion_path: z.array(z.string()),
      })
      .nullable()
      .meta({ description: 'RFC 9162 inclusion of this identity under the serials_root of its anchored issuance record.' }),
  })
  .meta({ id: 'Identity', description: "An item's digital identity with its proof of issuance." });

export const IdentityPage = z
  .object({ identities: z.array(Identity), next_from_index: z.number().int().nullable().meta({ description: 'Pass as from_index for the next page; null on the last.' }) })
  .meta({ id: 'IdentityPage' });

const shownRecord = z
  .object({
    type: z.string(),
    record_key: z.string(),
    record: z.record(z.string(), z.unknown()),
    proof: Proof.nullable().meta({ description: 'null while pending.' }),
    integrity: z.enum(['verified', 'mismatch', 'pending']).meta({
      description: "verified: the record as stored hashes to its proof's leaf, on a path to the anchored root; mismatch: it was changed after anchoring (the page warns); pending: no proof yet.",
    }),
  })
  .meta({ id: 'ShownRecord', description: 'One anchorable record shown (BRIEF §4).' });

/** The scan page's content as JSON (resolver/scan-page.view.ts ScanPageView). */
export const ScanView = z
  .object({
    code: z.object({
      gtin: z.string(),
      serial: z.string(),
      lot: z.string().nullable(),
      expiry: z.string().nullable(),
      digitalLink: z.string(),
      issuance_proof: z.object({ leaf_index: z.number().int(), tree_size: z.number().int(), inclusion_path: z.array(z.string()), serials_root: z.string() }),
    }),
    product: z.object({ name: z.string(), gtin: z.string(), category: z.string(), originCountry: z.string(), hsCode: z.string() }),
    brand: z.object({ name: z.string() }).nullable(),
    merchant: z.object({ legalName: z.string(), country: z.string() }).nullable(),
    factory: z
      .object({
        name: z.string(),
        country: z.string(),
        address: z.string(),
        certifications: z.array(
          z.object({ type: z.string(), issuer: z.string(), number: z.string(), validFrom: z.string(), validTo: z.string(), status: z.enum(['valid', 'expired', 'notYetValid']) }),
        ),
      })
      .nullable(),
    lot: z.object({ lotNumber: z.string(), productionDate: z.string(), expiryDate: z.string(), quantity: z.number().int() }),
    customs: z.array(
      z.object({ direction: z.string(), declarationNumber: z.string(), port: z.string(), date: z.string(), status: z.string(), quarantineCertificateNumber: z.string().nullable() }),
    ),
    inspection: z
      .object({
        outcome: z.string(),
        initialOutcome: z.string(),
        decidedAt: z.string(),
        reason: z.string(),
        plan: z
          .object({ sampleSize: z.number().int(), ac: z.number().int(), re: z.number().int(), level: z.string(), aql: z.number(), severity: z.string(), inspectAll: z.boolean() })
          .nullable(),
        agency: z.string().nullable(),
        result: z.object({ verdict: z.string(), reason: z.string(), inspector: z.string(), recordedAt: z.string() }).nullable(),
      })
      .nullable(),
    timeline: z.array(
      z.object({
        eventId: z.string(),
        eventType: z.string(),
        eventTime: z.string(),
        bizStep: z.string().nullable(),
        disposition: z.string().nullable(),
        location: z.string().nullable(),
        recordKey: z.string(),
      }),
    ),
    scans: z.object({
      scans: z.number().int(),
      firstScanAt: z.string().nullable(),
      regions: z.array(z.string()),
      signals: z.array(z.object({ kind: z.string().meta({ description: 'too-many-scans, too-many-regions or implausible-travel.' }), message: z.string() })),
    }),
    records: z.array(shownRecord).meta({ description: 'Every anchorable record shown, each with its proof.' }),
    control: z
      .object({
        flags: z.array(
          z.object({
            kind: z.enum(['recall', 'hold']),
            id: z.string(),
            cause: z.string().meta({ description: 'recall, inspection-failed, certification-expired or certification-revoked.' }),
            reason: z.string(),
            since: z.string(),
            record_key: z.string().meta({ description: 'The anchored recall or hold record, listed in records.' }),
          }),
        ),
      })
      .optional()
      .meta({ description: 'Recalls that reached this item and open holds on its lot (docs/product-control.md); flags is empty when there are none.' }),
  })
  .meta({ id: 'ScanView', description: 'Everything the scan page shows for a genuine code.' });
