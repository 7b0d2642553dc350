/** Temporary data directories for this library's specs, removed after each test. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function useTempDirs(): { make(): string } {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'disk-log-spec-'));
      dirs.push(dir);
      return dir;
    },
  };
}

export function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('segment-'))
    .sort();
}

/** The path of the `index`-th segment file of `dir`, in seq order; a test that expects one fails if it is not there. */
export function segmentPath(dir: string, index = 0): string {
  const name = segmentFiles(dir)[index];
  if (name === undefined) throw new Error(`${dir} has no segment file number ${index}`);
  return join(dir, name);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
