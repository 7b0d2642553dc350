/**
 * The files a sweep writes into its folder, as it writes them: the closing line ("results in
 * ...") lists exactly these, so it cannot name a file that was not written or miss one that was.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export type WriteFileFn = (file: string, data: string | Uint8Array) => Promise<void>;

export interface OutputFiles {
  /** Writes `<dir>/<name>` and records the name once the write succeeded. */
  write(name: string, data: string | Uint8Array): Promise<void>;
  /** Records files written by someone else into the same folder (charts, report.html). */
  add(...names: readonly string[]): void;
  /** Every name recorded, in the order first written. */
  readonly names: readonly string[];
}

export function outputFiles(dir: string, write: WriteFileFn = (file, data) => writeFile(file, data)): OutputFiles {
  const names: string[] = [];
  const add = (...more: readonly string[]) => {
    for (const name of more) if (!names.includes(name)) names.push(name);
  };
  return {
    async write(name, data) {
      await write(path.join(dir, name), data);
      add(name);
    },
    add,
    get names() {
      return [...names];
    },
  };
}

/** The sweep's closing line: the folder and every file written into it. */
export function resultsLine(outDir: string, files: readonly string[]): string {
  return files.length === 0 ? `results in ${outDir}: no file written` : `results in ${outDir}: ${files.join(', ')}`;
}
