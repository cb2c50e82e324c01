import { CreateMerkleLog1764115300000 } from './1764115300000-create-merkle-log.js';

/** In order of application. */
export const LEDGER_MIGRATIONS = [CreateMerkleLog1764115300000];
