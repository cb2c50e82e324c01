import type { ServerWritableStream } from '@grpc/grpc-js';
import { Observable } from 'rxjs';

/**
 * A server-streaming response from an async source, paced by the client: NestJS writes each
 * value to the call as it is emitted, so the next one is pulled only once the call's buffer has
 * drained. A slow reader thus holds back the database reads instead of filling memory; a
 * cancelled call stops the source (its `finally` blocks run).
 */
export function pacedStream<T>(source: AsyncIterable<T>, call: ServerWritableStream<unknown, unknown>): Observable<T> {
  return new Observable<T>((subscriber) => {
    let stopped = false;
    const drained = () =>
      new Promise<void>((resolve) => {
        const done = () => {
          call.off('drain', done);
          call.off('cancelled', done);
          call.off('close', done);
          resolve();
        };
        call.on('drain', done);
        call.on('cancelled', done);
        call.on('close', done);
      });
    const pump = async () => {
      for await (const value of source) {
        if (stopped || call.cancelled) return;
        subscriber.next(value);
        while (call.writableNeedDrain && !stopped && !call.cancelled) await drained();
      }
      subscriber.complete();
    };
    pump().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
    };
  });
}
