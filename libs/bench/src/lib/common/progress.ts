/**
 * Progress of a sweep: a bar on a terminal (cli-progress), plain lines elsewhere (CI, pipes),
 * so logs stay readable.
 */
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  /** A line of text (never lost under the bar). */
  log(line: string): void;
  start(label: string, total: number): void;
  tick(): void;
  done(summaryLine: string): void;
}

export function createProgress(
  stream: NodeJS.WriteStream = process.stdout,
  interactive = stream.isTTY && !process.env['CI'],
): Progress {
  if (!interactive) {
    let label = '';
    return {
      log: (line) => stream.write(`${line}\n`),
      start: (l, total) => {
        label = l;
        stream.write(`${label}: ${total} writes...\n`);
      },
      tick: () => undefined,
      done: (summaryLine) => stream.write(`${label}: ${summaryLine}\n`),
    };
  }
  const bar = new SingleBar(
    { format: '{label} [{bar}] {value}/{total} writes | {duration}s', hideCursor: true, stream },
    Presets.shades_classic,
  );
  let active = false;
  return {
    log: (line) => {
      if (active) bar.stop();
      stream.write(`${line}\n`);
      active = false;
    },
    start: (label, total) => {
      bar.start(total, 0, { label });
      active = true;
    },
    tick: () => bar.increment(),
    done: (summaryLine) => {
      bar.stop();
      active = false;
      stream.write(`  ${summaryLine}\n`);
    },
  };
}
