export const LEDGER_LOGGER = Symbol('LEDGER_LOGGER');
export const REGISTRY_CLIENT = Symbol('REGISTRY_CLIENT');
