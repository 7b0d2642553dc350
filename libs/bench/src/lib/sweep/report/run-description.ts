/**
 * What a sweep did, in words (the report's "What was measured"), and the command line that
 * does it again. Both read only the run's configuration. Pure.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import { ACK_MODE_STYLES } from '../../common/chart-theme';
import type { SweepConfig } from '../records';
import { SCENARIOS } from '../scenarios';
import { warmupParts } from '../workload';
import { benchCommandLine, joinWords, plural } from '../../common/format';

/** The command line that repeats the run (same flags and seed; a new output folder). */
export function reproduceCommand(config: SweepConfig): string {
  const ackModes =
    config.ackModes.length > 1
      ? (['--ack-modes', config.ackModes.join(',')] as const)
      : (['--ack-mode', config.ackMode] as const);
  return benchCommandLine('quorum-sweep', [
    ['--runtime', config.runtime],
    ['--leader-url', config.runtime === 'external' ? config.leaderUrl : undefined],
    ['--followers', config.followers],
    ['--quorums', config.quorums.join(',')],
    ['--writes', config.writes],
    ['--concurrency', config.concurrency],
    ['--keys', config.keys],
    ['--scenario', config.scenario],
    ['--delay', config.delay],
    ['--replication-timeout-ms', config.replicationTimeoutMs],
    ackModes,
    ['--repeat', config.repeat],
    ['--rate', config.rate],
    ['--seed', config.seed],
    ['--warmup-writes', config.warmupWrites],
    ['--warmup-concurrency', config.warmupConcurrency],
    ['--warmup-seconds', config.warmupSeconds],
    ['--data-dir', config.dataDir],
    ['--fsync', config.fsync],
    ['--no-floor', config.floor !== true],
  ]);
}

/** The scenario and what it teaches; says so when `--delay` replaced its delay plan. */
export function scenarioParagraph(config: Pick<SweepConfig, 'scenario' | 'delay'>): string {
  const scenario = SCENARIOS.find((s) => s.name === config.scenario);
  if (scenario === undefined) return `Scenario \`${config.scenario}\`.`;
  const replaced =
    scenario.delay === config.delay
      ? ''
      : ` This run replaced the scenario's delay plan \`${scenario.delay}\` with \`${config.delay}\`, so expect the same shape at a different scale.`;
  return `Scenario \`${scenario.name}\`: ${scenario.teaches}${replaced}`;
}

function ackModeMeaning(mode: AckMode): string {
  return ACK_MODE_STYLES[mode].meaning;
}

function ackModeSentence(config: Pick<SweepConfig, 'ackModes' | 'ackMode'>): string {
  const modes = config.ackModes.length > 0 ? config.ackModes : [config.ackMode];
  if (modes.length === 1) return `The ack mode was "${modes[0]}" (${ackModeMeaning(modes[0] as AckMode)}).`;
  return `Both ack modes were measured, one after the other on the same cluster: ${joinWords(modes.map((m) => `"${m}" (${ackModeMeaning(m)})`))}.`;
}

function workloadSentence(config: SweepConfig): string {
  const keys = `to keys k0..k${config.keys - 1}`;
  if (config.rate === null) {
    return (
      `For each write quorum W in {${config.quorums.join(', ')}}, the client sent ` +
      `${plural(config.writes, 'write')} (${config.concurrency} in flight) ${keys} ` +
      '(closed loop: a new write starts only when one finishes), and timed each from just before its request was sent to just after its answer was read.'
    );
  }
  return (
    `For each write quorum W in {${config.quorums.join(', ')}}, the client started ` +
    `${plural(config.writes, 'write')} ${keys} at ${config.rate} per second on a seeded Poisson schedule ` +
    '(open loop: each write starts on time whether or not earlier ones have finished), ' +
    'and timed each from the moment it was due to start, so time spent waiting in the client counts, ' +
    'to just after its answer was read.'
  );
}

/** The paragraphs of "What was measured". */
export function whatWasMeasured(config: SweepConfig): string[] {
  const where = {
    process: 'as child processes on this machine (loopback)',
    docker: 'in Docker containers on their own network',
    external: `in an external cluster${config.leaderUrl ? ` (leader ${config.leaderUrl})` : ''}`,
  }[config.runtime];
  const down = config.downFollowers;
  const stopped =
    down.length === 0
      ? ''
      : ` ${down.length === 1 ? 'Follower' : 'Followers'} ` +
        `${joinWords(down.map(String))} ${down.length === 1 ? 'was' : 'were'} stopped ` +
        `after the warm-up, before anything was measured, ` +
        `so at most ${plural(config.followers - down.length, 'follower')} could ack.`;
  const [first, settle] = warmupParts(config);
  const warmup =
    first !== undefined
      ? `Before measuring, ${plural(first.writes, 'warm-up write')} ` +
        `at W=1 (${first.concurrency} in flight)` +
        (settle !== undefined
          ? `, then up to ${settle.writes} more at the measured ${settle.concurrency} in flight for at most ${settle.seconds} s, `
          : ', ') +
        `which are not counted, opened the connections and let the JIT compile every node's hot paths.`
      : 'Connections were not warmed before measuring (0 warm-up writes), so the first writes include opening them.';
  const repeats =
    config.repeat > 1
      ? ` The whole sweep ran ${config.repeat} times (run r with workload seed ${config.seed} + r); ` +
        `statistics are computed per run for the intervals in "Repeats" and pooled over the runs in the tables.`
      : '';
  return [
    scenarioParagraph(config),
    '',
    `One leader replicated every write to ${plural(config.followers, 'follower')}, running ${where}.${stopped} ` +
      `${workloadSentence(config)} ` +
      `Every replication RPC was delayed by \`${config.delay}\` (ms), drawn independently per follower and per write; ` +
      `the replication (quorum) timeout was ${config.replicationTimeoutMs} ms, the seed ${config.seed}. ${ackModeSentence(config)}${repeats} ` +
      `${warmup} After the last write of each W, the followers were compared with the leader, then again after draining.`,
  ];
}
