/**
 * Reading an app's configuration from the environment, once, into a frozen typed object. A bad
 * value stops the start with one line naming the variable and what it must be.
 */
import { z } from 'zod';
import { describeIssue } from '@quorum-kv/replication-protocol';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const env = {
  port: (fallback: number) =>
    z.coerce
      .number()
      .int('must be an integer')
      .min(0, 'must be 0..65535')
      .max(65535, 'must be 0..65535')
      .default(fallback),
  int: (fallback: number, min: number, max: number) =>
    z.coerce
      .number()
      .int('must be an integer')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  token: () =>
    z.string({ message: 'is required (a shared secret for the cluster)' }).min(8, 'must be at least 8 characters'),
};

/** Parses `source` (normally process.env) with `schema`; throws ConfigError with one line. */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
): Readonly<z.infer<S>> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${describeIssue(parsed.error)}`);
  }
  return Object.freeze(parsed.data);
}
