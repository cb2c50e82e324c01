// The console's one way to the gateway's REST API: the signed-in user's key as a bearer token on
// every call, and RFC 9457 problem+json answers turned into ApiProblem, with their field errors.

const KEY_STORAGE = 'traceport.console.apiKey';

export interface FieldError {
  readonly field: string;
  readonly message: string;
  readonly line?: number | null;
  readonly column?: number | null;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly FieldError[],
  ) {
    super(detail === '' ? `${status} ${title}` : detail);
  }

  /** The messages for one field (paths compared as `a.0.b`, whatever notation the server used). */
  errorsFor(field: string): string[] {
    const wanted = normalizeField(field);
    return this.errors.filter((error) => normalizeField(error.field) === wanted).map((error) => error.message);
  }
}

/** `certifications[0].validTo`, `/certifications/0/validTo` and `certifications.0.validTo` alike. */
export function normalizeField(field: string): string {
  return field
    .replace(/^\//, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replaceAll('/', '.')
    .replace(/^\./, '');
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

/** Called when the gateway answers 401 to a signed-in call: the key expired or was revoked. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The key to use instead of the stored one (signing in). */
  readonly key?: string;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { type?: string; title?: string; detail?: string; errors?: FieldError[] };
    return new ApiProblem(response.status, body.type ?? 'about:blank', body.title ?? response.statusText, body.detail ?? '', Array.isArray(body.errors) ? body.errors : []);
  } catch {
    return new ApiProblem(response.status, 'about:blank', response.statusText, text.slice(0, 300), []);
  }
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const key = options.key ?? storedKey();
  const headers: Record<string, string> = { accept: 'application/json', 'x-traceport-actor': 'console', ...options.headers };
  if (key !== null && key !== '') headers['authorization'] = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && options.key === undefined) onUnauthorized();
    throw problem;
  }
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiProblem) return error.errors.length > 0 && error.detail === '' ? error.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : error.message;
  return error instanceof Error ? error.message : String(error);
}
