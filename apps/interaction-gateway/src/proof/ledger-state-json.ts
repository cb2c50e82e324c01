import type { LedgerStateMessage } from './proof.gateway.js';

const orNull = (text: string): string | null => (text === '' ? null : text);

/** traceport.v1.LedgerState as REST shows it, with the lag worked out. */
export function ledgerStateJson(state: LedgerStateMessage, now: Date = new Date()) {
  const anchored = state.anchoredSize > 0;
  return {
    log_size: state.logSize,
    anchored_size: state.anchoredSize,
    lag_records: Math.max(0, state.logSize - state.anchoredSize),
    lag_seconds: state.oldestUnanchoredAt === '' ? 0 : Math.max(0, (now.getTime() - Date.parse(state.oldestUnanchoredAt)) / 1000),
    anchored_root: anchored ? orNull(state.anchoredRoot) : null,
    tx_hash: anchored ? orNull(state.txHash) : null,
    block_number: anchored ? state.blockNumber : null,
    anchored_at: orNull(state.anchoredAt),
    chain_id: state.chainId,
    contract: state.contract,
    oldest_unanchored_at: orNull(state.oldestUnanchoredAt),
  };
}
