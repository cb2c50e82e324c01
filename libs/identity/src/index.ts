// @traceport/identity: GTINs, GS1 Digital Link URIs, serial numbers, QR codes and label sheets —
// pure (no I/O but writing to a stream it is given).

export * from './gtin.js';
export { gs1DateToIsoDate, isValidGs1Date } from './gs1-date.js';
export {
  buildDigitalLink,
  DEFAULT_RESOLVER,
  type DigitalLinkKeys,
  type DigitalLinkOptions,
  parseDigitalLink,
  parseDigitalLinkPath,
} from './digital-link.js';
export { DigitalLinkException, type DigitalLinkRefusal } from './digital-link.exception.js';
export { isWellFormedSerial, newSerial, newSerials, SERIAL_ALPHABET, SERIAL_ENTROPY_BITS, SERIAL_LENGTH } from './serial-number.js';
export {
  digitalLinkQrText,
  QR_ERROR_CORRECTION,
  QR_QUIET_ZONE,
  qrFriendlyUri,
  qrPng,
  qrPngForDigitalLink,
  type QrPngOptions,
  qrSvg,
  qrSvgForDigitalLink,
  type QrSvgOptions,
  type QrSymbol,
  qrSymbol,
} from './qr-code.js';
export { type LabelContent, type LabelSheetOptions, type LabelSheetResult, writeLabelSheet } from './label-sheet.js';
export { LabelSheetException, type LabelSheetRefusal } from './label-sheet.exception.js';
