import type { ServerUnaryCall } from '@grpc/grpc-js';
import { RecordTypes } from '@traceport/contracts';
import { ArchiveGateway } from '../archive/archive.gateway.js';

type Incoming = ServerUnaryCall<unknown, unknown> | undefined;
type ArchiveRecordJson = Record<string, unknown> & { id?: unknown };

/**
 * Which merchant a record belongs to, by following the archive's references: a brand names its
 * owner merchant, a product its brand, a lot its product. Records of other types (factories,
 * standards, declarations) belong to no merchant. One instance per request memoises the walk, so a
 * page of lots of one product costs one lookup of the product and one of its brand.
 */
export class MerchantOwnership {
  private readonly owners = new Map<string, Promise<string | null>>();

  constructor(
    private readonly archive: ArchiveGateway,
    private readonly incoming: Incoming,
  ) {}

  /** The owner merchant of a record given by type and id (null: none, or no such record's reference). */
  ownerOf(recordType: string, id: string): Promise<string | null> {
    const memoKey = `${recordType}/${id}`;
    let owner = this.owners.get(memoKey);
    if (owner === undefined) {
      owner = this.archive.get(recordType, id, 0, this.incoming).then((found) => this.ownerOfRecord(recordType, JSON.parse(found.recordJson) as ArchiveRecordJson));
      this.owners.set(memoKey, owner);
    }
    return owner;
  }

  /** The owner merchant of a record already in hand. */
  async ownerOfRecord(recordType: string, record: ArchiveRecordJson): Promise<string | null> {
    const reference = (field: string) => (typeof record[field] === 'string' ? (record[field] as string) : null);
    switch (recordType) {
      case RecordTypes.merchant:
        return typeof record.id === 'string' ? record.id : null;
      case RecordTypes.brand:
        return reference('ownerMerchantId');
      case RecordTypes.product: {
        const brandId = reference('brandId');
        return brandId === null ? null : this.referencedOwner(RecordTypes.brand, brandId);
      }
      case RecordTypes.lot: {
        const productId = reference('productId');
        return productId === null ? null : this.referencedOwner(RecordTypes.product, productId);
      }
      default:
        return null;
    }
  }

  /** A referenced record that cannot be read owns nothing: the check fails closed. */
  private referencedOwner(recordType: string, id: string): Promise<string | null> {
    return this.ownerOf(recordType, id).catch(() => null);
  }
}
