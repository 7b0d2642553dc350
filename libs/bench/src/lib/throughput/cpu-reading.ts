/**
 * CPU time of the processes a throughput run measures, read before and after each window:
 * the store's nodes report their own (prom-client's `process_cpu_seconds_total` on /metrics,
 * from `process.cpuUsage()`), and the processes the bench starts itself (the floor, Redis) are
 * read from /proc/<pid>/stat. Both count every thread of the process, user and system time.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { firstValue, parsePrometheusText } from '../common/prometheus-text';

export const CPU_METRIC = 'process_cpu_seconds_total';

/** User + system CPU seconds from the text of /proc/<pid>/stat (fields 14 and 15); null if malformed. Pure. */
export function procStatCpuSeconds(statText: string, ticksPerSecond: number): number | null {
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself:
  // the fields after it are counted from the last ')'.
  const close = statText.lastIndexOf(')');
  if (close < 0) return null;
  const fields = statText
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || fields.length < 13) return null;
  return (utime + stime) / ticksPerSecond;
}

/** `process_cpu_seconds_total` from a node's /metrics text; null when it is not exported. Pure. */
export function metricsCpuSeconds(metricsText: string): number | null {
  return firstValue(parsePrometheusText(metricsText), CPU_METRIC);
}

let ticks: number | undefined;
/** Clock ticks per second of this kernel (`getconf CLK_TCK`; 100 on every Linux the bench met). */
export function clockTicksPerSecond(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

export async function readProcessCpuSeconds(pid: number): Promise<number | null> {
  try {
    return procStatCpuSeconds(await readFile(`/proc/${pid}/stat`, 'utf8'), clockTicksPerSecond());
  } catch {
    return null;
  }
}

export async function readNodeCpuSeconds(baseUrl: string, timeoutMs = 5000): Promise<number | null> {
  try {
    const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    return metricsCpuSeconds(await res.text());
  } catch {
    return null;
  }
}

/** CPU seconds of each process so far, by process name (null where one could not be read). */
export type CpuReading = Record<string, number | null>;

/** Per-process CPU over a window (after minus before), and their sum: null as soon as one process could not be read. Pure. */
export function cpuDelta(before: CpuReading, after: CpuReading): { total: number | null; byProcess: CpuReading } {
  const byProcess: CpuReading = {};
  let total: number | null = 0;
  for (const name of Object.keys(after)) {
    const [b, a] = [before[name], after[name]];
    const delta = a === null || a === undefined || b === null || b === undefined ? null : a - b;
    byProcess[name] = delta;
    total = delta === null || total === null ? null : total + delta;
  }
  return { total, byProcess };
}

export async function readCpu(readers: Record<string, () => Promise<number | null>>): Promise<CpuReading> {
  const names = Object.keys(readers);
  const values = await Promise.all(names.map((name) => (readers[name] as () => Promise<number | null>)()));
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? null]));
}
