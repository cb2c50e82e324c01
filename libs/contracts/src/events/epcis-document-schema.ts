import { fileURLToPath } from 'node:url';

/**
 * GS1's official EPCIS 2.0 JSON Schema (draft-07), vendored with its notice in libs/contracts/epcis/.
 * Resolved from this module's location, which works from src/ under tests and from dist/ at run time.
 */
export const EPCIS_JSON_SCHEMA_PATH = fileURLToPath(new URL('../../epcis/EPCIS-JSON-Schema.json', import.meta.url));

/** The JSON-LD context every EPCIS 2.0 document and query result names. */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** The versions the REST binding announces in GS1-EPCIS-Version / GS1-CBV-Version. */
export const EPCIS_VERSION = '2.0.0';
export const CBV_VERSION = '2.0.0';
