/**
 * The one formatter of zod errors, for one-line messages (API answers, configuration, input
 * files): zod's own `z.prettifyError` wording and paths (`entries[0].lsn`), as `path: message`,
 * at most MAX_DESCRIBED_ISSUES of them, so that a message stays short however bad the input.
 */
import { z } from 'zod';

export const MAX_DESCRIBED_ISSUES = 3;

export function describeIssue(error: z.ZodError): string {
  const issues = error.issues.slice(0, MAX_DESCRIBED_ISSUES).map((issue) => {
    const [message = 'invalid', path] = z
      .prettifyError(new z.ZodError([issue]))
      .replace(/^✖ /, '')
      .split(/\n\s*→ at /);
    return path === undefined ? message : `${path}: ${message}`;
  });
  const rest = error.issues.length - issues.length;
  const more = rest > 0 ? ` (and ${rest} more ${rest === 1 ? 'problem' : 'problems'})` : '';
  return issues.length === 0 ? 'invalid' : `${issues.join('; ')}${more}`;
}
