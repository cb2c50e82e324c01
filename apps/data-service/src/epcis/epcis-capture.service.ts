import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainException, invalid, type FieldViolation } from '@traceport/errors';
import { OutboxRelay } from '@traceport/messaging';
import { currentCorrelationId } from '@traceport/observability';
import { DataSource } from 'typeorm';
import { capturedEventOf } from './captured-event.js';
import { EpcisDocumentValidator } from './epcis-document.validator.js';
import { storeCapture } from './epcis-event.store.js';
import { captureJobNotFound, EpcisErrorCode, invalidDocument } from './epcis.exception.js';
import { EpcisMetrics } from './epcis.metrics.js';
import { IdentifierCanon } from './gs1-identifier.js';

/** The EPCIS 2.0 capture job, as GET /epcis/capture/{id} shows it. */
export interface CaptureJobView {
  readonly captureId: string;
  readonly createdAt: string;
  readonly finishedAt: string;
  readonly running: boolean;
  readonly success: boolean;
  readonly captureErrorBehaviour: string;
  readonly errors: { path: string; message: string }[];
  readonly eventCount: number;
  readonly storedCount: number;
  readonly duplicateCount: number;
  readonly newVersionCount: number;
}

/** The most events one document may carry (announced as GS1-EPCIS-Capture-Limit). */
export const CAPTURE_EVENT_LIMIT = 10_000;

interface CaptureJobRow {
  capture_id: string;
  created_at: Date;
  finished_at: Date | null;
  running: boolean;
  success: boolean;
  capture_error_behaviour: string;
  errors: { path: string; message: string }[];
  event_count: number;
  stored_count: number;
  duplicate_count: number;
  new_version_count: number;
}

/**
 * EPCIS capture: everything that can reject a document (JSON, the GS1 schema, event types, GS1 keys
 * and check digits) is checked before anything is written, then the whole document is stored in one
 * transaction. The capture job is therefore finished when the 202 is sent; it is kept so that
 * GET /epcis/capture/{id} answers as the binding describes.
 */
@Injectable()
export class EpcisCaptureService {
  private readonly logger = new Logger(EpcisCaptureService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    private readonly validator: EpcisDocumentValidator,
    private readonly metrics: EpcisMetrics,
  ) {}

  async capture(documentJson: string, captureErrorBehaviour: string): Promise<CaptureJobView> {
    try {
      return await this.captureDocument(documentJson, captureErrorBehaviour);
    } catch (error) {
      // A document the client must fix; anything else (the database down) is a failed request, not a refusal.
      if (error instanceof DomainException && error.kind === 'invalid') this.metrics.refused(error.code);
      throw error;
    }
  }

  private async captureDocument(documentJson: string, captureErrorBehaviour: string): Promise<CaptureJobView> {
    const behaviour = captureErrorBehaviour.trim() === '' ? 'rollback' : captureErrorBehaviour.trim();
    if (behaviour !== 'rollback') {
      throw invalid(EpcisErrorCode.unsupportedCaptureErrorBehaviour, `GS1-Capture-Error-Behaviour ${behaviour} is not supported: a document is stored whole or not at all (rollback)`);
    }
    const document = this.validator.validate(documentJson);
    if (document.events.length > CAPTURE_EVENT_LIMIT) {
      throw invalid(EpcisErrorCode.captureLimitExceeded, `a document may carry at most ${CAPTURE_EVENT_LIMIT} events, not ${document.events.length}`);
    }
    const violations: FieldViolation[] = [];
    const canon = new IdentifierCanon();
    const events = document.events.map((event, index) => capturedEventOf(event, index, document.prefixes, document.customContext, violations, canon));
    if (violations.length > 0) throw invalidDocument(EpcisErrorCode.invalidIdentifier, 'the document names an invalid GS1 identifier', violations);

    const captureId = crypto.randomUUID();
    const recordTime = new Date();
    const correlationId = currentCorrelationId();
    const outcome = await this.dataSource.transaction((manager) =>
      storeCapture(manager, {
        captureId,
        recordTime,
        captureErrorBehaviour: behaviour,
        events,
        ...(correlationId === undefined ? {} : { correlationId }),
      }),
    );
    if (outcome.stored + outcome.newVersions > 0) this.relay.nudge();
    // Counted after the commit: a document that failed to store was neither accepted nor refused.
    this.metrics.accepted(events.map((event, index) => ({ eventType: event.type, outcome: outcome.eventOutcomes[index]! })));
    this.logger.log(`capture ${captureId}: ${events.length} events, ${outcome.stored} new, ${outcome.newVersions} new versions, ${outcome.duplicates} already stored`);
    const at = recordTime.toISOString();
    return {
      captureId,
      createdAt: at,
      finishedAt: at,
      running: false,
      success: true,
      captureErrorBehaviour: behaviour,
      errors: [],
      eventCount: events.length,
      storedCount: outcome.stored,
      duplicateCount: outcome.duplicates,
      newVersionCount: outcome.newVersions,
    };
  }

  async getJob(captureId: string): Promise<CaptureJobView> {
    const rows: CaptureJobRow[] = /^[0-9a-f-]{36}$/i.test(captureId)
      ? await this.dataSource.query(`SELECT * FROM "data_service"."epcis_capture_jobs" WHERE "capture_id" = $1`, [captureId])
      : [];
    const row = rows[0];
    if (row === undefined) throw captureJobNotFound(captureId);
    return {
      captureId: row.capture_id,
      createdAt: row.created_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? '',
      running: row.running,
      success: row.success,
      captureErrorBehaviour: row.capture_error_behaviour,
      errors: row.errors,
      eventCount: row.event_count,
      storedCount: row.stored_count,
      duplicateCount: row.duplicate_count,
      newVersionCount: row.new_version_count,
    };
  }
}
