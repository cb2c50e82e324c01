/** Thrown for values that JCS cannot represent; `path` locates the value (`$`, `$.a[2]`). */
export class CanonicalJsonException extends TypeError {
  override readonly name = 'CanonicalJsonException';
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`canonicalJson: ${path} ${reason}`);
    this.path = path;
  }
}
