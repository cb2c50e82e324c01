import { randomUUID } from 'node:crypto';
import { gatewayFetch } from './gateway-client.js';

/**
 * A steady stream of EPCIS captures and lot receipts through the gateway, as a warehouse system
 * would send them, recording what the platform answered for each: the promise under test is about
 * exactly the captures that got 202.
 */
export interface LoadProduct {
  readonly id: string;
  readonly gtin: string;
  /** The decision the published rule set gives this product's lots. */
  readonly expectedOutcome: 'held' | 'released';
}

export interface CaptureOutcome {
  readonly eventIds: readonly string[];
  /** HTTP status, or 0 when no answer came (connection refused, reset, timed out). */
  readonly status: number;
  readonly sentAt: number;
  readonly answeredAt: number;
}

export interface LotReceipt {
  readonly lotId: string;
  readonly lotNumber: string;
  readonly expectedOutcome: 'held' | 'released';
  readonly receipt: CaptureOutcome;
}

export interface LoadOptions {
  /** Capture documents per second (each with `eventsPerDocument` item events). */
  readonly documentsPerSecond: number;
  readonly eventsPerDocument: number;
  /** A new lot is created and received this often. */
  readonly lotEveryMs: number;
  /** Requests waiting for an answer beyond this are not sent (counted as skipped): a stalled gateway does not pile up thousands. */
  readonly maxInFlight: number;
  readonly products: readonly LoadProduct[];
  readonly run: string;
}

const EPCIS_CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];

function document(events: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ '@context': EPCIS_CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { eventList: events } });
}

export class CaptureLoad {
  readonly captures: CaptureOutcome[] = [];
  readonly lots: LotReceipt[] = [];
  skipped = 0;
  lotsNotCreated = 0;
  private inFlight = new Set<Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private serial = 0;
  private lotCount = 0;
  private startedAt = 0;
  private stoppedAt = 0;

  constructor(private readonly options: LoadOptions) {}

  start(): void {
    this.startedAt = Date.now();
    this.timers.push(setInterval(() => this.launch(() => this.captureItems()), 1_000 / this.options.documentsPerSecond));
    this.timers.push(setInterval(() => this.launch(() => this.receiveLot()), this.options.lotEveryMs));
  }

  async stop(): Promise<void> {
    if (this.timers.length === 0) return;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await Promise.all([...this.inFlight]);
    this.stoppedAt = Date.now();
  }

  /** Event ids of captures answered 202, and of those answered otherwise (which may or may not be stored). */
  acceptedEventIds(before = Number.POSITIVE_INFINITY): string[] {
    return this.captures.filter((capture) => capture.status === 202 && capture.answeredAt <= before).flatMap((capture) => capture.eventIds);
  }

  unansweredOrRefusedEventIds(): string[] {
    return this.captures.filter((capture) => capture.status !== 202).flatMap((capture) => capture.eventIds);
  }

  receivedLots(before = Number.POSITIVE_INFINITY): LotReceipt[] {
    return this.lots.filter((lot) => lot.receipt.status === 202 && lot.receipt.answeredAt <= before);
  }

  summary(): { seconds: number; documents: number; accepted: number; eventsAccepted: number; failed: number; skipped: number; eventsPerSecond: number; lotsReceived: number } {
    const seconds = ((this.stoppedAt || Date.now()) - this.startedAt) / 1000;
    const accepted = this.captures.filter((capture) => capture.status === 202);
    const eventsAccepted = accepted.reduce((sum, capture) => sum + capture.eventIds.length, 0);
    return {
      seconds,
      documents: this.captures.length,
      accepted: accepted.length,
      eventsAccepted,
      failed: this.captures.length - accepted.length,
      skipped: this.skipped,
      eventsPerSecond: eventsAccepted / Math.max(seconds, 1),
      lotsReceived: this.receivedLots().length,
    };
  }

  private launch(work: () => Promise<void>): void {
    if (this.inFlight.size >= this.options.maxInFlight) {
      this.skipped += 1;
      return;
    }
    const running: Promise<void> = work()
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  private async capture(events: readonly Record<string, unknown>[]): Promise<CaptureOutcome> {
    const sentAt = Date.now();
    let status = 0;
    try {
      const response = await gatewayFetch('/epcis/capture', {
        method: 'POST',
        headers: { 'content-type': 'application/ld+json' },
        body: document(events),
        signal: AbortSignal.timeout(20_000),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 0;
    }
    return { eventIds: events.map((event) => event['eventID'] as string), status, sentAt, answeredAt: Date.now() };
  }

  private async captureItems(): Promise<void> {
    const product = this.options.products[this.serial % this.options.products.length]!;
    const events = Array.from({ length: this.options.eventsPerDocument }, () => {
      this.serial += 1;
      return {
        type: 'ObjectEvent',
        eventID: `urn:uuid:${randomUUID()}`,
        eventTime: new Date().toISOString(),
        eventTimeZoneOffset: '+08:00',
        epcList: [`https://id.gs1.org/01/${product.gtin}/21/F${this.options.run}${this.serial}`],
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: 'https://id.gs1.org/414/9506000002002' },
      };
    });
    this.captures.push(await this.capture(events));
  }

  /** A lot's archive record, then its receiving event in the bonded warehouse: what the decision engine decides on. */
  private async receiveLot(): Promise<void> {
    this.lotCount += 1;
    const product = this.options.products[this.lotCount % this.options.products.length]!;
    const lotNumber = `FL${this.options.run.slice(0, 6)}${this.lotCount}`;
    const quantity = 200;
    let lotId: string;
    try {
      const created = await gatewayFetch('/v1/lots', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ productId: product.id, lotNumber, quantity, productionDate: '2026-10-01', expiryDate: '2028-10-01' }),
        signal: AbortSignal.timeout(20_000),
      });
      const body = (await created.json()) as { record?: { id: string } };
      if (created.status !== 201 || body.record === undefined) throw new Error(`lot not created: ${created.status}`);
      lotId = body.record.id;
    } catch {
      this.lotsNotCreated += 1;
      return;
    }
    const receipt = await this.capture([
      {
        type: 'ObjectEvent',
        eventID: `urn:uuid:${randomUUID()}`,
        eventTime: new Date().toISOString(),
        eventTimeZoneOffset: '+08:00',
        quantityList: [{ epcClass: `https://id.gs1.org/01/${product.gtin}/10/${lotNumber}`, quantity, uom: 'EA' }],
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: 'in_progress',
        bizLocation: { id: 'https://id.gs1.org/414/9506000002002' },
      },
    ]);
    this.captures.push(receipt);
    this.lots.push({ lotId, lotNumber, expectedOutcome: product.expectedOutcome, receipt });
  }
}
