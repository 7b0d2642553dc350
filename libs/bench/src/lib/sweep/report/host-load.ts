/**
 * How busy the host was during a sweep: the load averages (`os.loadavg()`) at its start and
 * end, and the warning the report gives when they say processes waited for a CPU. Pure.
 */

/** `os.loadavg()` at the start and end of the run: 1, 5 and 15-minute averages. */
export interface HostLoad {
  start: readonly number[];
  end: readonly number[];
  /** Logical CPUs (`os.cpus().length`). */
  cpus: number;
}

/** "1.20 / 0.85 / 0.40" (1, 5 and 15 minutes). */
export function fmtLoadAverage(load: readonly number[]): string {
  return load.map((l) => l.toFixed(2)).join(' / ');
}

/**
 * A warning when the 1-minute load average exceeded the number of CPUs at the start or the end
 * of the run: then runnable processes were queueing for a CPU, and every latency measured
 * includes some of that wait. None on a quiet host, or when the load is unknown.
 */
export function busyHostWarning({ start, end, cpus }: HostLoad): string | undefined {
  const [atStart, atEnd] = [start[0], end[0]];
  if (atStart === undefined || atEnd === undefined || !(cpus > 0)) return undefined;
  if (!(atStart > cpus) && !(atEnd > cpus)) return undefined;
  return (
    `The host was busy: the 1-minute load average was ${atStart.toFixed(2)} at the ` +
    `start and ${atEnd.toFixed(2)} at the end, on ${cpus} CPU${cpus === 1 ? '' : 's'} ` +
    `(above ${cpus} means processes were waiting for a CPU). The latencies include that waiting, the overheads most; compare runs only from a quiet host.`
  );
}
