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
  // cli-progress's own ETA is the remaining writes at the rate so far; the rate is shown beside it.
  const bar = new SingleBar(
    {
      format:
        '{label} [{bar}] {value}/{total} writes | {rate} writes/s | {duration_formatted} elapsed, ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 200,
      stream,
    },
    Presets.shades_classic,
  );
  let startedMs = 0;
  let count = 0;
  const rate = () => {
    const seconds = (Date.now() - startedMs) / 1000;
    return seconds > 0 ? (count / seconds).toFixed(0) : '0';
  };
  let active = false;
  return {
    log: (line) => {
      if (active) bar.stop();
      stream.write(`${line}\n`);
      active = false;
    },
    start: (label, total) => {
      startedMs = Date.now();
      count = 0;
      bar.start(total, 0, { label, rate: '0' });
      active = true;
    },
    tick: () => {
      count++;
      bar.increment(1, { rate: rate() });
    },
    done: (summaryLine) => {
      bar.stop();
      active = false;
      stream.write(`  ${summaryLine}\n`);
    },
  };
}
