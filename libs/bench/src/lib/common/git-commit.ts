/** The commit the bench runs from, for the record of a run. */
import { execFileSync } from 'node:child_process';

/** Runs `git rev-parse HEAD` in a folder and returns its output; throws when git fails or is missing. */
export type RevParse = (cwd: string) => string;

const gitRevParse: RevParse = (cwd) =>
  execFileSync('git', ['rev-parse', 'HEAD'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 5000,
  });

/** The full commit hash of HEAD, or "unknown" when there is no git, no repository, or no commit. */
export function gitCommit(cwd: string = process.cwd(), revParse: RevParse = gitRevParse): string {
  try {
    const out = revParse(cwd).trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(out) ? out : 'unknown';
  } catch {
    return 'unknown';
  }
}
