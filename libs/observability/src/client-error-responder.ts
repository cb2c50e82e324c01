import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemTypeOf } from '@traceport/errors';

/**
 * What Node's HTTP parser refuses before any handler runs (a URL or headers over the 16 KB limit,
 * a malformed request line, a client too slow to send its headers), answered like every other
 * refusal: RFC 9457 problem+json with a stable type, instead of Node's bare status line.
 */
const REFUSALS: Readonly<Record<string, { status: number; code: string; detail: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'request-header-too-large', detail: 'the request line and headers exceed 16 KB: send long values in the body' },
  HPE_URI_TOO_LONG: { status: 414, code: 'uri-too-long', detail: 'the request URI is too long: send long values in the body' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request-timeout', detail: 'the request was not received in time' },
};
const MALFORMED = { status: 400, code: 'malformed-request', detail: 'the request is not valid HTTP/1.1' };

export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or a half-closed socket has no one left to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const refusal = REFUSALS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ type: problemTypeOf(refusal.code), title: STATUS_CODES[refusal.status], status: refusal.status, detail: refusal.detail, code: refusal.code });
    socket.end(
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
