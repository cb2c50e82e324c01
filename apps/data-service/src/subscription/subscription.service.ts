import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CreateSubscriptionRequestMessage, DeliveryMessage, DeliveryPageMessage, EpcisQueryParameterMessage, NamedQueryMessage, SubscriptionMessage } from '@traceport/contracts';
import { DomainException, type FieldViolation } from '@traceport/errors';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { parseEventQuery } from '../epcis/epcis-event-query.js';
import { deliveryNotFound, invalidSubscriptionRequest, queryNotFound, SubscriptionErrorCode, subscriptionNotFound } from './subscription.exception.js';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';

const S = '"data_service"';
const QUERY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Paging belongs to a query's reader, not to the query a subscription evaluates. */
const PAGING_PARAMETERS = new Set(['perPage', 'nextPageToken']);

interface SubscriptionRow {
  id: string;
  query_name: string;
  dest: string;
  signature_token: string;
  stream: boolean;
  report_if_empty: boolean;
  created_at: Date;
  last_notified_at: Date | null;
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  query_name: string;
  dest: string;
  event_ids: string[];
  status: string;
  attempts: number;
  created_at: Date;
  next_attempt_at: Date;
  delivered_at: Date | null;
  last_error: string;
}

const subscriptionMessageOf = (row: SubscriptionRow): SubscriptionMessage => ({
  subscriptionId: row.id,
  queryName: row.query_name,
  dest: row.dest,
  stream: row.stream,
  reportIfEmpty: row.report_if_empty,
  createdAt: row.created_at.toISOString(),
  lastNotifiedAt: row.last_notified_at?.toISOString() ?? '',
  signed: row.signature_token !== '',
});

const deliveryMessageOf = (row: DeliveryRow): DeliveryMessage => ({
  id: row.id,
  subscriptionId: row.subscription_id,
  queryName: row.query_name,
  dest: row.dest,
  eventIds: row.event_ids,
  status: row.status,
  attempts: row.attempts,
  createdAt: row.created_at.toISOString(),
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : '',
  deliveredAt: row.delivered_at?.toISOString() ?? '',
  lastError: row.last_error,
});

const DELIVERY_COLUMNS = `d."id", d."subscription_id", s."query_name", s."dest", d."event_ids", d."status", d."attempts", d."created_at", d."next_attempt_at", d."delivered_at", d."last_error"`;

/**
 * EPCIS 2.0 named queries and their stream subscriptions (the binding's /queries resource), and the
 * notifications they produced: listed by status, a dead letter re-driven on request.
 */
@Injectable()
export class SubscriptionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  async createQuery(request: { name?: string; parameters?: EpcisQueryParameterMessage[] }): Promise<NamedQueryMessage> {
    const name = (request.name ?? '').trim();
    const parameters = (request.parameters ?? []).map((parameter) => ({ name: parameter.name.trim(), value: parameter.value }));
    const violations: FieldViolation[] = [];
    if (!QUERY_NAME.test(name)) violations.push({ field: 'name', message: '1 to 64 letters, digits, ".", "_" or "-"' });
    for (const parameter of parameters) if (PAGING_PARAMETERS.has(parameter.name)) violations.push({ field: `query.${parameter.name}`, message: 'paging is not part of a named query' });
    if (violations.length > 0) throw invalidSubscriptionRequest(SubscriptionErrorCode.invalidQuery, violations);
    try {
      parseEventQuery(parameters);
    } catch (error) {
      if (error instanceof DomainException && error.kind === 'invalid') {
        throw invalidSubscriptionRequest(SubscriptionErrorCode.invalidQuery, error.violations.map((violation) => ({ ...violation, field: `query.${violation.field}` })));
      }
      throw error;
    }
    const rows: { created_at: Date }[] = await this.db.query(
      `INSERT INTO ${S}."epcis_named_queries" ("name", "parameters") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING "created_at"`,
      [name, JSON.stringify(parameters)],
    );
    if (rows[0] === undefined) throw new DomainException(SubscriptionErrorCode.queryExists, 'conflict', `a query named ${name} exists already`);
    return { name, parameters, createdAt: rows[0].created_at.toISOString() };
  }

  async listQueries(): Promise<{ queries: NamedQueryMessage[] }> {
    const rows: { name: string; parameters: EpcisQueryParameterMessage[]; created_at: Date }[] = await this.db.query(
      `SELECT "name", "parameters", "created_at" FROM ${S}."epcis_named_queries" ORDER BY "name" LIMIT 1000`,
    );
    return { queries: rows.map((row) => ({ name: row.name, parameters: row.parameters, createdAt: row.created_at.toISOString() })) };
  }

  async getQuery(name: string): Promise<NamedQueryMessage> {
    const rows: { name: string; parameters: EpcisQueryParameterMessage[]; created_at: Date }[] = await this.db.query(
      `SELECT "name", "parameters", "created_at" FROM ${S}."epcis_named_queries" WHERE "name" = $1`,
      [name],
    );
    if (rows[0] === undefined) throw queryNotFound(name);
    return { name: rows[0].name, parameters: rows[0].parameters, createdAt: rows[0].created_at.toISOString() };
  }

  async deleteQuery(name: string): Promise<NamedQueryMessage> {
    const query = await this.getQuery(name);
    await this.db.query(`DELETE FROM ${S}."epcis_named_queries" WHERE "name" = $1`, [name]);
    return query;
  }

  async createSubscription(request: Partial<CreateSubscriptionRequestMessage>): Promise<SubscriptionMessage> {
    const queryName = (request.queryName ?? '').trim();
    const dest = (request.dest ?? '').trim();
    const token = request.signatureToken ?? '';
    const violations: FieldViolation[] = [];
    let url: URL | null = null;
    try {
      url = new URL(dest);
    } catch {
      url = null;
    }
    if (url === null || !['http:', 'https:'].includes(url.protocol)) violations.push({ field: 'dest', message: 'an http or https URL the notifications are POSTed to' });
    if (request.stream !== true) violations.push({ field: 'stream', message: 'must be true: only stream subscriptions (a notification per matching event) are supported, not schedules' });
    if (token.length > 512) violations.push({ field: 'signatureToken', message: 'at most 512 characters' });
    if (violations.length > 0) throw invalidSubscriptionRequest(SubscriptionErrorCode.invalidSubscription, violations);
    await this.getQuery(queryName);
    const rows: SubscriptionRow[] = await this.db.query(
      `INSERT INTO ${S}."epcis_subscriptions" ("id", "query_name", "dest", "signature_token", "stream", "report_if_empty") VALUES ($1, $2, $3, $4, true, $5) RETURNING *`,
      [crypto.randomUUID(), queryName, dest, token, request.reportIfEmpty === true],
    );
    const [created] = rows;
    if (created === undefined) throw new Error('the subscription insert returned no row');
    return subscriptionMessageOf(created);
  }

  async listSubscriptions(queryName: string): Promise<{ subscriptions: SubscriptionMessage[] }> {
    await this.getQuery(queryName);
    const rows: SubscriptionRow[] = await this.db.query(`SELECT * FROM ${S}."epcis_subscriptions" WHERE "query_name" = $1 ORDER BY "created_at", "id"`, [queryName]);
    return { subscriptions: rows.map(subscriptionMessageOf) };
  }

  async getSubscription(queryName: string, id: string): Promise<SubscriptionMessage> {
    const rows: SubscriptionRow[] = z.uuid().safeParse(id).success
      ? await this.db.query(`SELECT * FROM ${S}."epcis_subscriptions" WHERE "query_name" = $1 AND "id" = $2`, [queryName, id])
      : [];
    if (rows[0] === undefined) throw subscriptionNotFound(queryName, id);
    return subscriptionMessageOf(rows[0]);
  }

  async deleteSubscription(queryName: string, id: string): Promise<SubscriptionMessage> {
    const subscription = await this.getSubscription(queryName, id);
    await this.db.query(`DELETE FROM ${S}."epcis_subscriptions" WHERE "id" = $1`, [id]);
    return subscription;
  }

  async listDeliveries(request: { status?: string; subscriptionId?: string; pageSize?: number; pageToken?: string }): Promise<DeliveryPageMessage> {
    const status = (request.status ?? '').trim();
    const subscriptionId = (request.subscriptionId ?? '').trim();
    const violations: FieldViolation[] = [];
    if (!['', 'pending', 'delivered', 'dead'].includes(status)) violations.push({ field: 'status', message: 'pending, delivered or dead' });
    if (subscriptionId !== '' && !z.uuid().safeParse(subscriptionId).success) violations.push({ field: 'subscription_id', message: 'a subscription id (a UUID)' });
    let after: [string, string] | null = null;
    const token = request.pageToken ?? '';
    if (token !== '') {
      try {
        const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown;
        if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && !Number.isNaN(Date.parse(parsed[0]))) after = [parsed[0], parsed[1]];
      } catch {
        // refused below
      }
      if (after === null) violations.push({ field: 'page_token', message: 'not a token this API gave out' });
    }
    if (violations.length > 0) throw invalidSubscriptionRequest(SubscriptionErrorCode.invalidDeliveryQuery, violations);
    const size = request.pageSize === undefined || request.pageSize <= 0 ? 50 : Math.min(request.pageSize, 500);
    const rows: DeliveryRow[] = await this.db.query(
      `SELECT ${DELIVERY_COLUMNS} FROM ${S}."epcis_deliveries" d JOIN ${S}."epcis_subscriptions" s ON s."id" = d."subscription_id"
       WHERE ($1 = '' OR d."status" = $1) AND ($2 = '' OR d."subscription_id"::text = $2)
         AND ($3::timestamptz IS NULL OR (d."created_at", d."id") < ($3::timestamptz, $4::uuid))
       ORDER BY d."created_at" DESC, d."id" DESC LIMIT ${size + 1}`,
      [status, subscriptionId, after?.[0] ?? null, after?.[1] ?? null],
    );
    const page = rows.slice(0, size);
    const last = page.at(-1);
    return {
      deliveries: page.map(deliveryMessageOf),
      nextPageToken: rows.length > size && last !== undefined ? Buffer.from(JSON.stringify([last.created_at.toISOString(), last.id])).toString('base64url') : '',
    };
  }

  /** A dead letter back in the queue, attempted now with its attempts counted afresh. */
  async redrive(id: string): Promise<DeliveryMessage> {
    if (!z.uuid().safeParse(id).success) throw deliveryNotFound(id);
    const rows: DeliveryRow[] = await this.db.transaction(async (manager) => {
      const found: { status: string }[] = await manager.query(`SELECT "status" FROM ${S}."epcis_deliveries" WHERE "id" = $1 FOR UPDATE`, [id]);
      if (found[0] === undefined) throw deliveryNotFound(id);
      if (found[0].status !== 'dead') throw new DomainException(SubscriptionErrorCode.deliveryNotDead, 'conflict', `notification ${id} is ${found[0].status}, not a dead letter`);
      await manager.query(`UPDATE ${S}."epcis_deliveries" SET "status" = 'pending', "attempts" = 0, "next_attempt_at" = now() WHERE "id" = $1`, [id]);
      return manager.query(`SELECT ${DELIVERY_COLUMNS} FROM ${S}."epcis_deliveries" d JOIN ${S}."epcis_subscriptions" s ON s."id" = d."subscription_id" WHERE d."id" = $1`, [id]);
    });
    this.worker.nudge();
    const [redriven] = rows;
    if (redriven === undefined) throw deliveryNotFound(id);
    return deliveryMessageOf(redriven);
  }
}
