import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import type { TraceEventMessage } from '@traceport/contracts';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

export interface CaptureJobMessage {
  captureId: string;
  createdAt: string;
  finishedAt: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: string;
  errors: { path: string; message: string }[];
  eventCount: number;
  storedCount: number;
  duplicateCount: number;
  newVersionCount: number;
}

export interface QueryParameterMessage {
  name: string;
  value: string;
}

export interface TrailMessage {
  gtin: string;
  lot: string;
  serial: string;
  events: TraceEventMessage[];
  truncated: boolean;
}

interface TraceServiceClient {
  captureDocument: UpstreamMethod<{ documentJson: string; captureErrorBehaviour: string }, CaptureJobMessage>;
  getCaptureJob: UpstreamMethod<{ captureId: string }, CaptureJobMessage>;
  queryEvents: UpstreamMethod<{ parameters: QueryParameterMessage[] }, { events?: TraceEventMessage[]; nextPageToken: string }>;
  getEvent: UpstreamMethod<{ eventId: string; version: number }, { event: TraceEventMessage; versions?: number[] }>;
  getLotTrail: UpstreamMethod<{ gtin: string; lot: string }, TrailMessage>;
  getItemTrail: UpstreamMethod<{ gtin: string; serial: string }, TrailMessage>;
}

type Incoming = ServerUnaryCall<unknown, unknown> | undefined;

/** The gateway's side of trace events: forwards to the data-service's TraceService. */
@Injectable()
export class TraceGateway implements OnModuleInit {
  private trace!: TraceServiceClient;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.trace = this.client.getService<TraceServiceClient>('TraceService');
  }

  capture(documentJson: string, captureErrorBehaviour: string, incoming?: Incoming): Promise<CaptureJobMessage> {
    // A large document takes longer than a lookup; give it a longer upper bound than the default.
    return callUpstream(this.trace.captureDocument.bind(this.trace), { documentJson, captureErrorBehaviour }, Math.max(this.timeoutMs, 60_000), incoming);
  }

  captureJob(captureId: string, incoming?: Incoming): Promise<CaptureJobMessage> {
    return callUpstream(this.trace.getCaptureJob.bind(this.trace), { captureId }, this.timeoutMs, incoming);
  }

  async query(parameters: QueryParameterMessage[], incoming?: Incoming): Promise<{ events: TraceEventMessage[]; nextPageToken: string }> {
    const result = await callUpstream(this.trace.queryEvents.bind(this.trace), { parameters }, this.timeoutMs, incoming);
    return { events: result.events ?? [], nextPageToken: result.nextPageToken };
  }

  async event(eventId: string, version: number, incoming?: Incoming): Promise<{ event: TraceEventMessage; versions: number[] }> {
    const result = await callUpstream(this.trace.getEvent.bind(this.trace), { eventId, version }, this.timeoutMs, incoming);
    return { event: result.event, versions: result.versions ?? [] };
  }

  async lotTrail(gtin: string, lot: string, incoming?: Incoming): Promise<TrailMessage> {
    const trail = await callUpstream(this.trace.getLotTrail.bind(this.trace), { gtin, lot }, this.timeoutMs, incoming);
    return { ...trail, events: trail.events ?? [] };
  }

  async itemTrail(gtin: string, serial: string, incoming?: Incoming): Promise<TrailMessage> {
    const trail = await callUpstream(this.trace.getItemTrail.bind(this.trace), { gtin, serial }, this.timeoutMs, incoming);
    return { ...trail, events: trail.events ?? [] };
  }
}
