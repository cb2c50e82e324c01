import { CreateProductProfiles1764115400000 } from './1764115400000-create-product-profiles.js';
import { CreateDecisionTables1764300000000 } from './1764300000000-create-decision-tables.js';
import { CreateControlHolds1764810000000 } from './1764810000000-create-control-holds.js';

/** In order of application. */
export const DECISION_ENGINE_MIGRATIONS = [CreateProductProfiles1764115400000, CreateDecisionTables1764300000000, CreateControlHolds1764810000000];
