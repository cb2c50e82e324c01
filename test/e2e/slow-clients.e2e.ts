import { connect, type Socket } from 'node:net';
import { testPlatform } from '@traceport/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayFetch } from '../support/gateway-client.js';

// Slow clients (slowloris): connections that send their request a byte at a time hold a socket,
// never a worker — Node serves everyone else meanwhile — and the server ends them itself once its
// headers timeout passes, with a 408 problem+json. The timeout itself takes 66 s plus Node's 30 s
// check interval to show, so that part runs with TRACEPORT_FAULTS=long.

const platform = testPlatform();
const gateway = new URL(platform.gatewayUrl);
const sockets: Socket[] = [];

afterAll(() => {
  for (const socket of sockets) socket.destroy();
});

/** A client that starts a request and then sends a header byte every `intervalMs`, forever. */
function slowClient(intervalMs: number): { socket: Socket; received: () => string; closed: Promise<number> } {
  const socket = connect(Number(gateway.port), gateway.hostname);
  sockets.push(socket);
  let received = '';
  const started = Date.now();
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  socket.write(`GET /health/live HTTP/1.1\r\nHost: ${gateway.host}\r\nX-Slow: `);
  const timer = setInterval(() => socket.writable && socket.write('a'), intervalMs);
  const closed = new Promise<number>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    }),
  );
  return { socket, received: () => received, closed };
}

describe('slow clients', () => {
  it('200 connections trickling their headers do not keep anyone else waiting', async () => {
    const slow = Array.from({ length: 200 }, () => slowClient(1_000));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // Twenty ordinary requests, each given 30 s (a liveness bound, not a speed target): all answered
    // while the 200 slow ones hang.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => gatewayFetch('/v1/sampling/plan?lot_size=500&level=II&aql=1.0&severity=normal', { signal: AbortSignal.timeout(30_000) })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    for (const client of slow) expect(client.received(), 'a slow client got an answer before it finished its request').toBe('');
    for (const client of slow) client.socket.destroy();
  });

  it.runIf(process.env['TRACEPORT_FAULTS'] === 'long')(
    'a client that never finishes its headers is cut off with 408 problem+json',
    async () => {
      const client = slowClient(5_000);
      const lasted = await client.closed;
      expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(client.received()).toContain('application/problem+json');
      expect(client.received()).toContain('"type":"/problems/request-timeout"');
      // Node's headersTimeout (66 s) plus at most one 30 s connection check.
      expect(lasted).toBeLessThan(100_000);
    },
    150_000,
  );
});
