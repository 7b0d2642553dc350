import { fakeConfig, fakeConsistencyRow, fakeSummaryRow } from '../charts/testing';
import type { ReportInput } from './report-md';
import { buildReportMarkdown, reproduceCommand } from './report-md';

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    config: fakeConfig({ followers: 2, quorums: [1, 2], writes: 50, concurrency: 5, keys: 4, seed: 42, warmupWrites: 30, warmupConcurrency: 10 }),
    summary: [
      fakeSummaryRow(1, { count: 50, mean: 340.04, median: 300, p95: 800, p99: 900, modelMean: 333.33, modelP99: 900.5, overheadP50: 1.21, overheadP99: 3.3 }),
      fakeSummaryRow(2, { count: 50, errors: 1, mean: 668.96, median: 700, p95: 980, p99: 995, modelMean: 666.67, modelP99: 994.99, overheadP50: 1.5, overheadP99: 6.25 }),
    ],
    consistency: [
      fakeConsistencyRow(1, 1, { lsnBehindAtLastAck: 5, differingKeysAtLastAck: 3 }),
      fakeConsistencyRow(1, 2, { lsnBehindAtLastAck: 2, differingKeysAtLastAck: 2 }),
      fakeConsistencyRow(2, 1),
      fakeConsistencyRow(2, 2),
    ],
    charts: ['quorum_vs_latency_full.svg', 'quorum_vs_latency_full.png', 'consistency.svg', 'consistency.png'],
    environment: { node: 'v20.20.2', platform: 'linux x64', cpus: 2, memoryGiB: 4, hostname: 'secret-box' },
    ...overrides,
  };
}

describe('buildReportMarkdown', () => {
  const md = buildReportMarkdown(input());

  it('starts with a title naming the quorums and followers', () => {
    expect(md.split('\n')[0]).toBe('# Write latency vs write quorum: W = 1, 2 with 2 followers');
  });

  it('says what was measured, including the warm-up', () => {
    const section = md.slice(md.indexOf('## What was measured'), md.indexOf('## Charts'));
    for (const fact of ['2 followers', '{1, 2}', '50 writes (5 in flight)', 'k0..k3', '`uniform:0:1000`', '2000 ms', '"received"', 'seed 42', 'child processes']) {
      expect(section).toContain(fact);
    }
    expect(section).toContain('connections were warmed with 30 warm-up writes (10 in flight)');
  });

  it('says when connections were not warmed', () => {
    expect(buildReportMarkdown(input({ config: fakeConfig({ warmupWrites: 0 }) }))).toContain('Connections were not warmed');
  });

  it('embeds the PNG charts, linking their SVGs', () => {
    expect(md).toMatch(/!\[Write latency vs write quorum W[^\]]*\]\(quorum_vs_latency_full\.png\)/);
    expect(md).toContain('[SVG](quorum_vs_latency_full.svg)');
    expect(md).toMatch(/!\[[^\]]+\]\(consistency\.png\)/);
    expect(md).not.toContain('overhead_distribution.png');
  });

  it('says so when no chart was rendered', () => {
    expect(buildReportMarkdown(input({ charts: [] }))).toContain('No chart was rendered');
  });

  it('has the summary table with ms rounded to one decimal', () => {
    expect(md).toContain('| W | writes | errors | mean | median | p95 | p99 | model mean | model p99 | overhead p50 | overhead p99 |');
    expect(md).toContain('| 1 | 50 | 0 | 340.0 | 300.0 | 800.0 | 900.0 | 333.3 | 900.5 | 1.2 | 3.3 |');
    expect(md).toContain('| 2 | 50 | 1 | 669.0 | 700.0 | 980.0 | 995.0 | 666.7 | 995.0 | 1.5 | 6.3 |');
  });

  it('states the findings with the numbers from the data', () => {
    const findings = md.slice(md.indexOf('## Findings'), md.indexOf('## Latency per W'));
    expect(findings).toContain('Latency grows with W: mean from 340.0 ms at W=1 to 669.0 ms at W=2');
    expect(findings).toContain('within 6.7 ms of the model at every W');
    expect(findings).toContain('overhead p50 ≤ 2 ms and p99 ≤ 5 ms): missed at W=2 (p99 6.3 ms > 5 ms); met at W=1');
    expect(findings).toContain('1 of 100 writes failed or timed out');
    expect(findings).toContain('up to 5 entries behind and 3 keys differing at W=1');
    expect(findings).toContain('After draining, every follower equals the leader at every W');
  });

  it('says NOT converged when a follower differs after draining', () => {
    const bad = input({ consistency: [fakeConsistencyRow(1, 1, { differingKeysAfterDrain: 1, lsnBehindAfterDrain: 1 })] });
    const text = buildReportMarkdown(bad);
    expect(text).toContain('NOT converged');
    expect(text).toContain('**NOT equal**');
  });

  it('has a glossary and the command that reproduces the run', () => {
    for (const term of ['W (write quorum)', 'ack', 'order statistic', 'overhead', 'drain']) expect(md).toContain(`- **${term}`);
    expect(md).toContain('npx nx run bench:quorum-sweep --');
    expect(md).toContain('--quorums 1,2');
    expect(md).toContain('--seed 42');
  });

  it('shows the environment without the host name', () => {
    expect(md).toContain('- Node.js: v20.20.2');
    expect(md).toContain('- CPUs: 2');
    expect(md).not.toContain('secret-box');
  });
});

describe('reproduceCommand', () => {
  it('gives every flag of the run, quoting values the shell would split', () => {
    const command = reproduceCommand(fakeConfig({ delay: 'uniform:0:50;5=uniform:800:1000', ackMode: 'applied' }));
    expect(command).toContain("--delay 'uniform:0:50;5=uniform:800:1000'");
    for (const flag of ['--runtime process', '--followers 5', '--quorums 1,2,3,4,5', '--writes 100', '--concurrency 10', '--keys 10', '--replication-timeout-ms 2000', '--ack-mode applied', '--seed 1', '--warmup-writes 200', '--warmup-concurrency 50']) {
      expect(command).toContain(flag);
    }
    expect(command).not.toContain('--leader-url');
    expect(command).not.toContain('--out');
  });

  it('names the leader of an external cluster', () => {
    expect(reproduceCommand(fakeConfig({ runtime: 'external', leaderUrl: 'http://127.0.0.1:7000' }))).toContain('--leader-url http://127.0.0.1:7000');
  });
});
