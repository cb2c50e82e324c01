export type SwitchingStateConflict = 'inspection-discontinued' | 'not-discontinued';

/**
 * The call does not fit the supplier's switching state: a lot submitted while inspection is
 * discontinued (ISO 2859-1:1999 9.4), or a resumption asked for when it is not. A conflict with
 * stored state, not bad input, so callers can tell it from the RangeErrors of invalid requests.
 */
export class SwitchingStateConflictException extends Error {
  override readonly name = 'SwitchingStateConflictException';

  constructor(
    readonly code: SwitchingStateConflict,
    message: string,
  ) {
    super(message);
  }
}
