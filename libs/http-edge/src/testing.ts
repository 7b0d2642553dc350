/** Test helpers for callers of this library (`@quorum-kv/http-edge/testing`, in specs only). */
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

/** Asserts that `run` stops the start with a one-line `ConfigError` naming `variable` and saying `says`. */
export function expectConfigError(run: () => unknown, variable: string, says: RegExp): void {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(ConfigError);
  expect(error.message).not.toContain('\n');
  expect(error.message).toMatch(new RegExp(`^invalid configuration: .*\\b${variable}\\b`));
  expect(error.message).toMatch(says);
}
