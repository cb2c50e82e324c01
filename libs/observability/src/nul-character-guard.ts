import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { DomainException } from '@traceport/errors';
import { type Observable, throwError } from 'rxjs';

/**
 * U+0000 has no place in any Traceport value, and PostgreSQL cannot store it in text or jsonb (it
 * would fail deep in a query as a 500). Refused at the door instead, naming where it was: in the
 * path or query (as %00), or in a JSON body's keys or strings; over gRPC, in a request message.
 */
export const rejectNulCharacters: RequestHandler = (request, _response, next) => {
  if (/%00/i.test(request.originalUrl) || request.originalUrl.includes('\u0000')) {
    next(new DomainException('nul-character', 'invalid', 'the request URL contains U+0000 (%00), which no identifier or parameter may contain'));
    return;
  }
  const where = nulCharacterIn(request.body as unknown, '');
  if (where !== undefined) {
    next(nulCharacterRefusal('request body', where));
    return;
  }
  next();
};

/** The same refusal for gRPC requests (INVALID_ARGUMENT); HTTP bodies are checked by the middleware above. */
@Injectable()
export class NulCharacterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<'http' | 'rpc'>() !== 'rpc') return next.handle();
    const where = nulCharacterIn(context.switchToRpc().getData(), '');
    return where === undefined ? next.handle() : throwError(() => nulCharacterRefusal('request message', where));
  }
}

function nulCharacterRefusal(what: string, where: string): DomainException {
  const field = where || '/';
  return new DomainException('nul-character', 'invalid', `the ${what} contains U+0000 at ${field}, which no value may contain`, [{ field, message: 'contains U+0000' }]);
}

/** The JSON pointer of the first key or string holding U+0000, or undefined. */
function nulCharacterIn(value: unknown, pointer: string): string | undefined {
  // Walked without building pointers (every request body passes through here, and almost none holds
  // U+0000): the path is assembled only for the one that does.
  const path = nulCharacterPath(value);
  if (path === undefined) return undefined;
  return pointer + path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The path (outermost first) to the first key or string holding U+0000, or undefined. */
function nulCharacterPath(value: unknown): (string | number)[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? [] : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = nulCharacterPath(value[index]);
      if (found !== undefined) return [index, ...found];
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.includes('\u0000')) return [key];
    const found = nulCharacterPath((value as Record<string, unknown>)[key]);
    if (found !== undefined) return [key, ...found];
  }
  return undefined;
}
