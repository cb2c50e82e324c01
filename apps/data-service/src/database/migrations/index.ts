import { CreateArchiveProducts1764115200000 } from './1764115200000-create-archive-products.js';
import { CreateArchiveRecords1764150000000 } from './1764150000000-create-archive-records.js';
import { CreateArchiveImports1764150000001 } from './1764150000001-create-archive-imports.js';
import { CreateEpcis1764200000000 } from './1764200000000-create-epcis.js';
import { CreateItemScans1764400000000 } from './1764400000000-create-item-scans.js';
import { CreateIdentities1764500000000 } from './1764500000000-create-identities.js';
import { EpcisCaptureLookups1764600000000 } from './1764600000000-epcis-capture-lookups.js';
import { EpcisQueryFields1764600000001 } from './1764600000001-epcis-query-fields.js';
import { CreateTraceGraph1764700000000 } from './1764700000000-create-trace-graph.js';
import { CreateProductControl1764810000000 } from './1764810000000-create-product-control.js';
import { OutboxLz41764900000000 } from './1764900000000-outbox-lz4.js';
import { EpcisEarlierVersions1764900000001 } from './1764900000001-epcis-earlier-versions.js';

/** In order of application. */
export const DATA_SERVICE_MIGRATIONS = [CreateArchiveProducts1764115200000, CreateArchiveRecords1764150000000, CreateArchiveImports1764150000001, CreateEpcis1764200000000, CreateItemScans1764400000000, CreateIdentities1764500000000, EpcisCaptureLookups1764600000000, EpcisQueryFields1764600000001, CreateTraceGraph1764700000000, CreateProductControl1764810000000, OutboxLz41764900000000, EpcisEarlierVersions1764900000001];
