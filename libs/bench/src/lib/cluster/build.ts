/**
 * The single-file builds the runtimes start. `ensureBuilt` runs the Nx build when a build is
 * missing or older than the sources it comes from, so `quorum-sweep` works on a fresh clone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../../../..');

export function builtAppPath(app: 'leader' | 'follower'): string {
  return path.join(WORKSPACE_ROOT, 'dist', 'apps', app, 'main.js');
}

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtimeMs(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

export function isBuildStale(): boolean {
  const sources = ['apps/leader/src', 'apps/follower/src', 'libs/replication-protocol/src', 'libs/http-edge/src'];
  const newestSource = Math.max(...sources.map((s) => newestMtimeMs(path.join(WORKSPACE_ROOT, s))));
  return (['leader', 'follower'] as const).some((app) => {
    const built = builtAppPath(app);
    return !existsSync(built) || statSync(built).mtimeMs < newestSource;
  });
}

export function ensureBuilt(log: (line: string) => void = () => undefined): void {
  if (!isBuildStale()) return;
  log('building leader and follower (nx run-many -t build)');
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'leader', 'follower', '--output-style=static'], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
}
