/**
 * Closed-loop HTTP load with autocannon: C keep-alive connections, each sending its next PUT as
 * soon as the last one is answered, for D seconds. autocannon's own histogram keeps whole
 * milliseconds only, too coarse for a floor under 1 ms, so every answer's exact time (from its
 * `response` event) goes into the bench's histogram instead. Any non-2xx answer is an error.
 */
import autocannon from 'autocannon';
import { LoadTally, type LoadOutcome } from './load-outcome';

export interface HttpLoadOptions {
  baseUrl: string;
  /** Query of every PUT (e.g. `w=3&ack=received`); empty for none. */
  query: string;
  connections: number;
  durationS: number;
  keys: number;
  valueBytes: number;
}

export function writeBody(valueBytes: number): string {
  return JSON.stringify({ value: 'x'.repeat(valueBytes) });
}

export function httpClosedLoop(options: HttpLoadOptions): Promise<LoadOutcome> {
  const tally = new LoadTally();
  const suffix = options.query === '' ? '' : `?${options.query}`;
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationS,
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: writeBody(options.valueBytes),
        requests: [
          {
            setupRequest: (request) => ({ ...request, path: `/kv/k${next++ % options.keys}${suffix}` }),
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        for (let i = 0; i < result.errors; i++) tally.failed('no_answer');
        resolve(tally.outcome(result.duration));
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) tally.ok(responseTimeMs);
      else tally.failed(`http_${statusCode}`);
    });
  });
}
