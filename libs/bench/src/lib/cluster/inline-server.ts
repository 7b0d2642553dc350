/**
 * A bare server the bench starts as `node -e <source>`: the floor server, the relay floor's
 * nodes. The source listens on a free port of 127.0.0.1 and prints `{"port": N}` as its first
 * line; this resolves with that port, or rejects when the child exits or stays silent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killOnExit } from './process-cluster';

const START_TIMEOUT_MS = 15_000;

export function startInlineServer(
  what: string,
  source: string,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): { child: ChildProcess; url: Promise<string> } {
  const child = killOnExit(
    spawn(process.execPath, [...nodeArgs, '-e', source], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const url = new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with code ${code}`));
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once('exit', onExit);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
    });
  });
  return { child, url };
}
