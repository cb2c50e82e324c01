/** Why a GS1 Digital Link URI, or the keys to build one, was refused. */
export type DigitalLinkRefusal =
  | 'not-digital-link' // no `/01/{gtin}` followed by AI/value pairs, or not an http(s) URI
  | 'bad-gtin' // not 8, 12, 13 or 14 digits
  | 'bad-check-digit'
  | 'unknown-ai' // an AI the standard does not allow there
  | 'bad-order' // qualifiers out of the order 22, 10, 21, or a qualifier/attribute on the wrong side of `?`
  | 'duplicate-ai'
  | 'empty-value'
  | 'bad-characters' // outside GS1 character set 82, or not percent-encoded where the standard requires it
  | 'too-long'
  | 'bad-expiry' // AI 17 is not a valid YYMMDD date
  | 'bad-format' // a data attribute's value does not match its AI's format
  | 'bad-resolver'; // the resolver option is not an http(s) origin

export class DigitalLinkException extends Error {
  override readonly name = 'DigitalLinkException';
  readonly reason: DigitalLinkRefusal;

  constructor(reason: DigitalLinkRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}
