import { CreateArchiveProducts1764115200000 } from './1764115200000-create-archive-products.js';
import { CreateArchiveRecords1764150000000 } from './1764150000000-create-archive-records.js';

/** In order of application. */
export const DATA_SERVICE_MIGRATIONS = [CreateArchiveProducts1764115200000, CreateArchiveRecords1764150000000];
