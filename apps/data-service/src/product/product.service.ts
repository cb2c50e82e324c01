import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ARCHIVE_PRODUCT_RECORD_TYPE,
  archiveProductRegisteredV1,
  createCloudEvent,
  recordKeyOf,
  type ArchiveProductRegisteredV1,
  type ProductRecord,
} from '@traceport/contracts';
import { parseGtin } from '@traceport/identity';
import { currentCorrelationId } from '@traceport/observability';
import { enqueueEvent, OutboxRelay } from '@traceport/messaging';
import { DataSource, QueryFailedError } from 'typeorm';
import { Product } from './product.entity.js';
import { gtinTaken, productNotFound } from './product.exception.js';
import { parseRegisterProduct } from './register-product.command.js';

export interface ProductView {
  readonly record: ProductRecord;
  readonly recordKey: string;
}

/** The record the API shows and the ledger anchors: one object, one JSON shape. */
export function productRecordOf(product: Product): ProductRecord {
  return {
    id: product.id,
    version: product.version,
    gtin: product.gtin,
    name: product.name,
    brand: product.brand,
    category: product.category,
    hsCode: product.hsCode,
    originCountry: product.originCountry,
    registeredAt: product.registeredAt.toISOString(),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

@Injectable()
export class ProductService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  private readonly logger = new Logger(ProductService.name);

  /** Stores the product and queues its anchorable event in one transaction. */
  async register(input: unknown): Promise<ProductView> {
    const command = parseRegisterProduct(input);
    const product = Object.assign(new Product(), {
      id: crypto.randomUUID(),
      version: 1,
      ...command,
      registeredAt: new Date(),
    });
    const record = productRecordOf(product);
    const recordKey = recordKeyOf(ARCHIVE_PRODUCT_RECORD_TYPE, product.id, product.version);
    const data: ArchiveProductRegisteredV1 = { recordType: ARCHIVE_PRODUCT_RECORD_TYPE, recordKey, record };
    const correlationId = currentCorrelationId();
    const event = createCloudEvent({
      type: archiveProductRegisteredV1.type,
      source: '/traceport/data-service',
      subject: recordKey,
      data: archiveProductRegisteredV1.schema.parse(data),
      ...(correlationId === undefined ? {} : { correlationId }),
    });
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(Product, product);
        await enqueueEvent(manager, archiveProductRegisteredV1.topic, product.id, event);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw gtinTaken(product.gtin);
      throw error;
    }
    this.relay.nudge();
    this.logger.log(`product registered: ${recordKey} (GTIN ${product.gtin})`);
    return { record, recordKey };
  }

  async get(id: string): Promise<ProductView> {
    const product = /^[0-9a-f-]{36}$/i.test(id) ? await this.dataSource.manager.findOneBy(Product, { id }) : null;
    if (product === null) throw productNotFound(`id ${id}`);
    return this.viewOf(product);
  }

  async getByGtin(gtin: string): Promise<ProductView> {
    const parsed = parseGtin(gtin);
    const product = parsed.ok ? await this.dataSource.manager.findOneBy(Product, { gtin: parsed.gtin14 }) : null;
    if (product === null) throw productNotFound(`GTIN ${gtin}`);
    return this.viewOf(product);
  }

  private viewOf(product: Product): ProductView {
    return { record: productRecordOf(product), recordKey: recordKeyOf(ARCHIVE_PRODUCT_RECORD_TYPE, product.id, product.version) };
  }
}
