import { Inject, Injectable } from '@nestjs/common';
import { RecordTypes } from '@traceport/contracts';
import { DomainException } from '@traceport/errors';
import { ArchiveGateway, type ArchiveRecordMessage } from '../archive/archive.gateway.js';
import { ControlGateway } from '../control/control.gateway.js';
import { InspectionGateway } from '../decision/inspection.gateway.js';
import { TraceGateway, type TrailMessage } from '../epcis/trace.gateway.js';
import { ProofGateway, proofJsonOf } from '../proof/proof.gateway.js';
import { IDENTITY_LOOKUP, type IdentityLookup } from './identity-lookup.js';
import { recordIntegrity } from './record-integrity.js';
import { ScanGateway } from './scan.gateway.js';
import type { CertificationView, ControlFlagView, ScanPageView, ShownRecord, TimelineEntry } from './scan-page.view.js';

type Json = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

function certificationStatus(validFrom: string, validTo: string, today: string): CertificationView['status'] {
  if (today < validFrom) return 'notYetValid';
  return today > validTo ? 'expired' : 'valid';
}

/** Declarations in the order they happened: export before import. */
const customsDate = (message: ArchiveRecordMessage) => str((JSON.parse(message.recordJson) as Json)['date']);

/** A GLN location as people read it: the 13 digits, not the URI. */
function locationOf(uri: string): string | null {
  if (uri === '') return null;
  return /\/414\/(\d{13})/.exec(uri)?.[1] ?? /sgln:([\d.]+)/.exec(uri)?.[1] ?? uri;
}

/**
 * Gathers what the consumer sees for one code: its issuance (the proof that Traceport issued it),
 * the product, brand, importer, factory and certifications, the lot, customs, the engine's decision
 * and the agency's result, the trace events of the lot and the item, and the scan history with its
 * cloning signals; and, for each anchorable record shown, its proof (null while pending). Null when
 * the code was never issued.
 */
@Injectable()
export class ScanPageService {
  constructor(
    @Inject(IDENTITY_LOOKUP) private readonly identities: IdentityLookup,
    private readonly archive: ArchiveGateway,
    private readonly trace: TraceGateway,
    private readonly inspections: InspectionGateway,
    private readonly proofs: ProofGateway,
    private readonly scans: ScanGateway,
    private readonly control: ControlGateway,
  ) {}

  async view(gtin: string, serial: string, region: string): Promise<ScanPageView | null> {
    const identity = await this.identities.find(gtin, serial);
    if (identity === null) return null;
    const scanSummary = await this.scans.record(gtin, serial, region);
    const shown: { type: string; recordKey: string; record: Json }[] = [{ type: identity.issuanceRecordType, recordKey: identity.issuanceRecordKey, record: identity.issuanceRecord }];
    const archiveRecord = async (recordType: string, id: string | undefined): Promise<Json | null> => {
      if (id === undefined || id === '') return null;
      const message = await this.optional(this.archive.get(recordType, id));
      if (message === null) return null;
      const record = JSON.parse(message.recordJson) as Json;
      shown.push({ type: message.recordType, recordKey: message.recordKey, record });
      return record;
    };
    const lot = (await archiveRecord(RecordTypes.lot, identity.lotId))!;
    const product = (await archiveRecord(RecordTypes.product, str(lot['productId'])))!;
    const brand = await archiveRecord(RecordTypes.brand, str(product['brandId']));
    const merchant = await archiveRecord(RecordTypes.merchant, str(brand?.['ownerMerchantId']));
    const factory = await archiveRecord(RecordTypes.factory, str(product['factoryId']));
    const customsPage = await this.archive.search({ recordType: RecordTypes.customsDeclaration, query: '', filters: { lotIds: identity.lotId }, pageSize: 50, pageToken: '' });
    const customs = [...(customsPage.records ?? [])].sort((a, b) => customsDate(a).localeCompare(customsDate(b))).map((message: ArchiveRecordMessage) => {
      const record = JSON.parse(message.recordJson) as Json;
      shown.push({ type: message.recordType, recordKey: message.recordKey, record });
      return record;
    });

    const decision = await this.optional(this.inspections.lotDecision(identity.lotId));
    let inspection: ScanPageView['inspection'] = null;
    if (decision !== null) {
      const record = JSON.parse(decision.recordJson) as Json;
      shown.push({ type: 'decision.lot-decision', recordKey: `decision.lot-decision/${decision.id}/v1`, record });
      const resultMessage = decision.order?.result ?? null;
      if (resultMessage !== null) {
        shown.push({ type: 'decision.inspection-result', recordKey: `decision.inspection-result/${resultMessage.id}/v1`, record: JSON.parse(resultMessage.recordJson) as Json });
      }
      const plan = record['plan'] as Json | null;
      inspection = {
        outcome: decision.outcome,
        initialOutcome: decision.initialOutcome,
        decidedAt: decision.decidedAt,
        reason: str(record['reason']),
        plan:
          plan === null
            ? null
            : { sampleSize: num(plan['sampleSize']), ac: num(plan['ac']), re: num(plan['re']), level: str(plan['level']), aql: num(plan['aql']), severity: str(plan['severity']), inspectAll: plan['inspectAll'] === true },
        agency: str(record['agency']) || null,
        result: resultMessage === null ? null : { verdict: resultMessage.verdict, reason: resultMessage.reason, inspector: resultMessage.inspector, recordedAt: resultMessage.recordedAt },
      };
    }

    // Recalls and holds on this item, each shown with its anchored record.
    const control = await this.control.itemControl({ gtin, serial, lot: str(lot['lotNumber']) });
    const flags: ControlFlagView[] = control.flags.map((flag) => {
      shown.push({ type: flag.recordType, recordKey: flag.recordKey, record: JSON.parse(flag.recordJson) as Json });
      return { kind: flag.kind, id: flag.id, cause: flag.causeKind, reason: flag.reason, since: flag.since, record_key: flag.recordKey };
    });

    const trails = await Promise.all([this.trace.lotTrail(gtin, str(lot['lotNumber'])), this.trace.itemTrail(gtin, serial)].map((trail) => this.optional(trail)));
    const events = new Map<string, TrailMessage['events'][number]>();
    for (const trail of trails) for (const event of trail?.events ?? []) events.set(event.recordKey, event);
    const timeline: TimelineEntry[] = [...events.values()]
      .sort((a, b) => a.eventTime.localeCompare(b.eventTime))
      .map((event) => {
        shown.push({ type: 'epcis.event', recordKey: event.recordKey, record: JSON.parse(event.eventJson) as Json });
        return { eventId: event.eventId, eventType: event.eventType, eventTime: event.eventTime, bizStep: event.bizStep || null, disposition: event.disposition || null, location: locationOf(event.bizLocation), recordKey: event.recordKey };
      });

    const records: ShownRecord[] = await Promise.all(
      shown.map(async (entry) => {
        const found = await this.proofs.findProof(entry.recordKey);
        const proof = found === null ? null : proofJsonOf(found);
        return { type: entry.type, record_key: entry.recordKey, record: entry.record, proof, integrity: recordIntegrity(entry.record, proof) };
      }),
    );

    const today = new Date().toISOString().slice(0, 10);
    const certifications = Array.isArray(factory?.['certifications']) ? (factory['certifications'] as Json[]) : [];
    return {
      code: {
        gtin,
        serial,
        lot: str(lot['lotNumber']) || null,
        expiry: identity.expiry,
        digitalLink: identity.digitalLink,
        issuance_proof: {
          leaf_index: identity.issuanceProof.leafIndex,
          tree_size: identity.issuanceProof.treeSize,
          inclusion_path: identity.issuanceProof.inclusionPath,
          serials_root: identity.issuanceProof.serialsRoot,
        },
      },
      product: { name: str(product['name']), gtin: str(product['gtin']), category: str(product['category']), originCountry: str(product['originCountry']), hsCode: str(product['hsCode']) },
      brand: brand === null ? null : { name: str(brand['name']) },
      merchant: merchant === null ? null : { legalName: str(merchant['legalName']), country: str(merchant['country']) },
      factory:
        factory === null
          ? null
          : {
              name: str(factory['name']),
              country: str(factory['country']),
              address: str(factory['address']),
              certifications: certifications.map((certification) => ({
                type: str(certification['type']),
                issuer: str(certification['issuer']),
                number: str(certification['number']),
                validFrom: str(certification['validFrom']),
                validTo: str(certification['validTo']),
                status: certificationStatus(str(certification['validFrom']), str(certification['validTo']), today),
              })),
            },
      lot: { lotNumber: str(lot['lotNumber']), productionDate: str(lot['productionDate']), expiryDate: str(lot['expiryDate']), quantity: num(lot['quantity']) },
      customs: customs.map((declaration) => ({
        direction: str(declaration['direction']),
        declarationNumber: str(declaration['declarationNumber']),
        port: str(declaration['port']),
        date: str(declaration['date']),
        status: str(declaration['status']),
        quarantineCertificateNumber: str(declaration['quarantineCertificateNumber']) || null,
      })),
      inspection,
      timeline,
      scans: { scans: scanSummary.scans, firstScanAt: scanSummary.firstScanAt || null, regions: scanSummary.regions ?? [], signals: scanSummary.signals ?? [] },
      records,
      control: { flags },
    };
  }

  /** A read whose NOT_FOUND means "nothing to show", not a failure of the page. */
  private async optional<T>(read: Promise<T>): Promise<T | null> {
    try {
      return await read;
    } catch (error) {
      if (error instanceof DomainException && error.kind === 'not_found') return null;
      throw error;
    }
  }
}
