/** Test helpers for callers of this library (`@quorum-kv/http-edge/testing`, in specs only). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from './lib/config';

/** The error `run` throws; fails the test if it throws nothing. */
export function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

/**
 * Asserts that `run`, given the variables `bad` (one table row's environment), stops the start
 * with a one-line `ConfigError` that names each of them and says `says`.
 */
export function expectConfigError(run: () => unknown, bad: Record<string, unknown>, says: RegExp): void {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(ConfigError);
  expect(error.message).not.toContain('\n');
  for (const variable of Object.keys(bad)) {
    expect(error.message).toMatch(new RegExp(`^invalid configuration: .*\\b${variable}\\b`));
  }
  expect(error.message).toMatch(says);
}

/** The URL of a port nothing listens on (opened, then closed): a peer that is down for sure. */
export async function refusingUrl(): Promise<string> {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  return `http://127.0.0.1:${port}`;
}
