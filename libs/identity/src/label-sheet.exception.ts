/** Why a label sheet could not be written. */
export type LabelSheetRefusal =
  | 'bad-layout' // labels per row / rows per page out of range, or labels too small for a readable QR code
  | 'label-mismatch' // a label's human-readable GTIN, lot, serial or expiry is not what its QR code's URI says
  | 'output-closed'; // the output stream closed before the sheet was written

export class LabelSheetException extends Error {
  override readonly name = 'LabelSheetException';
  readonly reason: LabelSheetRefusal;

  constructor(reason: LabelSheetRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}
