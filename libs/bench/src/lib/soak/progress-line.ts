/** The plain line a soak prints at every sample: time, load so far, p99 so far, the leader's memory and log. Pure. */
import { fmtMs } from '../common/format';
import type { SoakSample } from './soak-records';

const mib = (value: number | null | undefined) => (typeof value === 'number' ? `${value.toFixed(1)} MiB` : '?');

export function progressLine({ tS, load, leader, nodes }: SoakSample): string {
  const leaderNode = nodes.find((n) => n.node === 'leader');
  const unreadable = nodes.filter((n) => n.error !== null).map((n) => n.node);
  return [
    `t=${tS.toFixed(1).padStart(6)} s`,
    `sent ${load.writesSent} (ok ${load.writesOk}, failed ${load.writesFailed}, dropped ${load.writesDropped}, in flight ${load.outstanding})`,
    `p99 so far ${fmtMs(load.latencyMsP99SoFar, true)}`,
    `leader RSS ${leaderNode?.error ? `? (${leaderNode.error})` : mib(leaderNode?.rssMiB)}, heap ${mib(leaderNode?.heapUsedMiB)}`,
    `lsn ${leader.lsn ?? '?'}`,
    ...(leader.logEntries !== null ? [`log ${leader.logEntries} entries`] : []),
    ...(unreadable.length > 0 ? [`unreadable: ${unreadable.join(', ')}`] : []),
  ].join(' | ');
}
