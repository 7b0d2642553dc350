import { expectContainsAll } from '../../common/testing';
import {
  fakeConfig,
  fakeConsistencyRow,
  fakeDownRow,
  fakeIntervals,
  fakeSummaryRow,
  fakeWrite,
} from '../charts/testing';
import type { AckMode } from '@quorum-kv/replication-protocol';
import type { ReportInput } from './report-md';
import { buildReportMarkdown, reproduceCommand } from './report-md';
import { compareWithFloor } from '../../floor/floor-comparison';

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    config: fakeConfig({
      followers: 2,
      quorums: [1, 2],
      writes: 50,
      concurrency: 5,
      keys: 4,
      seed: 42,
      warmupWrites: 30,
      warmupConcurrency: 10,
    }),
    summary: [
      fakeSummaryRow(1, {
        count: 50,
        mean: 340.04,
        median: 300,
        p95: 800,
        p99: 900,
        modelMean: 333.33,
        modelP99: 900.5,
        overheadP50: 1.21,
        overheadP99: 3.3,
      }),
      fakeSummaryRow(2, {
        count: 50,
        errors: 1,
        mean: 668.96,
        median: 700,
        p95: 980,
        p99: 995,
        modelMean: 666.67,
        modelP99: 994.99,
        overheadP50: 1.5,
        overheadP99: 6.25,
      }),
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
    for (const fact of [
      '2 followers',
      '{1, 2}',
      '50 writes (5 in flight)',
      'k0..k3',
      '`uniform:0:1000`',
      '2000 ms',
      '"received"',
      'seed 42',
      'child processes',
    ]) {
      expect(section).toContain(fact);
    }
    expect(section).toContain('30 warm-up writes at W=1 (10 in flight), which are not counted, opened the connections');
  });

  it('says when connections were not warmed', () => {
    expect(buildReportMarkdown(input({ config: fakeConfig({ warmupWrites: 0 }) }))).toContain(
      'Connections were not warmed',
    );
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
    expectContainsAll(md, [
      '| W | writes | errors | mean | median | p95 | p99 | model mean | model p99 | overhead p50 | overhead p99 |',
      '| 1 | 50 | 0 | 340.0 | 300.0 | 800.0 | 900.0 | 333.3 | 900.5 | 1.2 | 3.3 |',
      '| 2 | 50 | 1 | 669.0 | 700.0 | 980.0 | 995.0 | 666.7 | 995.0 | 1.5 | 6.3 |',
    ]);
  });

  it('states the findings with the numbers from the data', () => {
    const findings = md.slice(md.indexOf('## Findings'), md.indexOf('## Latency per W'));
    expectContainsAll(findings, [
      'Latency grows with W: mean from 340.0 ms at W=1 to 669.0 ms at W=2',
      'within 6.7 ms of the model at every W',
      'overhead p50 ≤ 2 ms and p99 ≤ 5 ms): missed at W=2 (p99 6.3 ms > 5 ms); met at W=1',
      '1 of 100 writes failed or timed out',
      'up to 5 entries behind and 3 keys differing at W=1',
      'After draining, every follower equals the leader at every W',
    ]);
  });

  it('says NOT converged when a follower differs after draining', () => {
    const bad = input({
      consistency: [fakeConsistencyRow(1, 1, { differingKeysAfterDrain: 1, lsnBehindAfterDrain: 1 })],
    });
    const text = buildReportMarkdown(bad);
    expect(text).toContain('NOT converged');
    expect(text).toContain('**NOT equal**');
  });

  it('has a glossary and the command that reproduces the run', () => {
    for (const term of ['W (write quorum)', 'ack', 'order statistic', 'overhead', 'drain'])
      expect(md).toContain(`- **${term}`);
    expectContainsAll(md, ['npx nx run bench:quorum-sweep --', '--quorums 1,2', '--seed 42']);
  });

  it('shows the environment without the host name', () => {
    expect(md).toContain('- Node.js: v20.20.2');
    expect(md).toContain('- CPUs: 2');
    expect(md).not.toContain('secret-box');
  });
});

describe('buildReportMarkdown cautions', () => {
  const findings = (overrides: Partial<ReportInput>) => sectionOf(buildReportMarkdown(input(overrides)), 'Findings');
  const quiet = { start: [0.2, 0.2, 0.2], end: [0.9, 0.5, 0.3], cpus: 2 };
  const busy = { start: [5.5, 4, 3], end: [7.25, 5, 4], cpus: 2 };

  it.each([
    { why: 'a quiet host, one run: nothing to caution', hostLoad: quiet, repeat: 1, want: [] as string[] },
    { why: 'a busy host is named first', hostLoad: busy, repeat: 1, want: ['The host was busy'] },
    { why: 'two runs give wide intervals', hostLoad: quiet, repeat: 2, want: ['Only 2 runs'] },
    { why: 'both, the host first', hostLoad: busy, repeat: 2, want: ['The host was busy', 'Only 2 runs'] },
    { why: 'no load recorded (an older caller): no host warning', hostLoad: undefined, repeat: 1, want: [] },
  ])('$why', ({ hostLoad, repeat, want }) => {
    const text = findings({ hostLoad, config: fakeConfig({ ...input().config, repeat }) });
    const bullets = text.split('\n').filter((l) => l.startsWith('- **Caution.**'));
    expect(bullets).toHaveLength(want.length);
    want.forEach((w, i) => expect(bullets[i]).toContain(w));
    // Cautions open the section, before the first finding.
    if (want.length > 0) expect(text.split('\n').find((l) => l.startsWith('- '))).toContain('**Caution.**');
  });

  it('records the git commit and both load averages in the environment', () => {
    const md = buildReportMarkdown(
      input({
        environment: {
          ...input().environment,
          gitCommit: 'c'.repeat(40),
          loadAverageStart: '0.20 / 0.20 / 0.20',
          loadAverageEnd: '0.90 / 0.50 / 0.30',
        },
      }),
    );
    expectContainsAll(sectionOf(md, 'Environment'), [
      `- git commit: ${'c'.repeat(40)}`,
      '- load average at the start (1 / 5 / 15 min): 0.20 / 0.20 / 0.20',
      '- load average at the end (1 / 5 / 15 min): 0.90 / 0.50 / 0.30',
    ]);
  });
});

/** The text of one `## ` section. */
function sectionOf(md: string, heading: string): string {
  const start = md.indexOf(`## ${heading}\n`);
  if (start < 0) return '';
  const next = md.indexOf('\n## ', start + 3);
  return md.slice(start, next < 0 ? undefined : next);
}

describe('buildReportMarkdown for a plain run', () => {
  const md = buildReportMarkdown(input());

  it('names the scenario and what it teaches', () => {
    expect(sectionOf(md, 'What was measured')).toContain('Scenario `seed`: The reference study');
  });

  it('has no ack-mode column, "Received vs applied" or "Repeats" section', () => {
    expect(md).not.toContain('## Received vs applied');
    expect(md).not.toContain('## Repeats');
    expect(md).not.toContain('| ack mode |');
    expect(md).not.toContain('**Ack mode');
  });

  it('separates sections by exactly one blank line', () => {
    expect(md).not.toMatch(/\n\n\n/);
  });
});

describe('buildReportMarkdown with both ack modes', () => {
  const rows = (ackMode: AckMode, extraMs: number) =>
    [1, 2].map((w) => fakeSummaryRow(w, { ackMode, count: 50, mean: 300 * w + extraMs, p99: 800 + extraMs }));
  const md = buildReportMarkdown(
    input({
      config: fakeConfig({ followers: 2, quorums: [1, 2], writes: 50, ackModes: ['received', 'applied'] }),
      summary: [...rows('received', 0), ...rows('applied', 120)],
      consistency: [1, 2].flatMap((w) => [
        fakeConsistencyRow(w, 1),
        fakeConsistencyRow(w, 1, { ackMode: 'applied', lsnBehindAtLastAck: 3 - w, differingKeysAtLastAck: 1 }),
      ]),
      charts: ['quorum_vs_latency_full.png', 'ack_modes.png'],
    }),
  );

  it('says both were measured and embeds the comparison chart', () => {
    expect(sectionOf(md, 'What was measured')).toContain('Both ack modes were measured');
    expect(md).toMatch(/!\[Ack mode "received" vs "applied"[^\]]*\]\(ack_modes\.png\)/);
  });

  it('gives the findings per ack mode, each bullet saying which, and the model prediction once', () => {
    const findings = sectionOf(md, 'Findings');
    expect(findings).toContain('- **Ack mode "received"**: Latency grows with W');
    expect(findings).toContain('- **Ack mode "applied"**: Fidelity target');
    expect(findings.match(/predicts a mean/g)).toHaveLength(1);
    expect(findings).toContain(
      '- **Ack mode "applied"**: Right after the last ack, followers were up to 2 entries behind',
    );
  });

  it('has a "Received vs applied" section with the difference per W in ms and as a ratio, and why', () => {
    expectContainsAll(sectionOf(md, 'Received vs applied'), [
      'head-of-line blocking',
      '| 1 | 300.0 | 420.0 | +120.0 | ×1.40 | 800.0 | 920.0 | +120.0 | ×1.15 |',
      'slower than acking once received at every W',
    ]);
  });

  it('adds an ack-mode column to the tables, "received" first', () => {
    const latency = sectionOf(md, 'Latency per W (ms)');
    expect(latency).toContain('| ack mode | W | writes |');
    expect(latency.indexOf('| received | 1 |')).toBeLessThan(latency.indexOf('| applied | 1 |'));
    expect(sectionOf(md, 'Consistency per W')).toContain('| applied | 1 | 1 of 1 | 2 | 1 | all equal |');
  });

  it('reproduces with --ack-modes', () => {
    expect(md).toContain('--ack-modes received,applied');
  });
});

describe('buildReportMarkdown with repeats', () => {
  const summary = [1, 2].map((w) => fakeSummaryRow(w, { count: 150, runs: 3, mean: 300 * w }));
  const md = buildReportMarkdown(
    input({
      config: fakeConfig({ followers: 2, quorums: [1, 2], writes: 50, repeat: 3 }),
      summary,
      intervals: summary.flatMap((r) => fakeIntervals(r, 3, 25)),
    }),
  );

  it('has a "Repeats" section with mean [low, high] and p99 [low, high] per W, and a word on the width', () => {
    expectContainsAll(sectionOf(md, 'Repeats'), [
      '| W | runs | mean [95% interval] | p99 [95% interval] |',
      '| 1 | 3 | 300.0 [275.0, 325.0] |',
      'The interval of the mean is widest at',
    ]);
  });

  it('says the tables pool the runs, names summary-ci.csv and reproduces with --repeat', () => {
    expect(sectionOf(md, 'Latency per W (ms)')).toContain('pooled over the 3 runs');
    expectContainsAll(md, ['`summary-ci.csv`', '--repeat 3', '- **95% interval**']);
  });

  it('states the model noise over the pooled writes', () => {
    expect(sectionOf(md, 'Findings')).toContain('With 150 writes per W');
  });
});

describe('buildReportMarkdown for follower-down', () => {
  const config = fakeConfig({
    followers: 3,
    quorums: [2, 3],
    writes: 20,
    scenario: 'follower-down',
    downFollowers: [3],
  });
  const summary = [
    fakeSummaryRow(2, { count: 20 }),
    fakeSummaryRow(3, {
      count: 20,
      errors: 20,
      mean: NaN,
      median: NaN,
      p95: NaN,
      p99: NaN,
      modelMean: NaN,
      modelP99: NaN,
      overheadP50: NaN,
      overheadP99: NaN,
    }),
  ];
  const consistency = [2, 3].flatMap((w) => [fakeConsistencyRow(w, 1), fakeConsistencyRow(w, 2), fakeDownRow(w, 3)]);
  const writes = [
    fakeWrite(3, 0, 40, { outcome: 'info', httpStatus: 503, error: 'quorum_unreachable', overheadMs: null }),
  ];
  const md = buildReportMarkdown(input({ config, summary, consistency, writes }));

  it('explains the scenario and the stopped follower', () => {
    const measured = sectionOf(md, 'What was measured');
    expect(measured).toContain('Scenario `follower-down`');
    expect(measured).toContain('Follower 3 was stopped after the warm-up');
  });

  it('explains why W=3 failed fast, from the data', () => {
    const findings = sectionOf(md, 'Findings');
    expectContainsAll(findings, [
      'W=3 asks for more acks than that, so it can never be met: all 20 writes there failed (1 quorum_unreachable)',
      '20 of 40 writes failed or timed out (20 at W=3)',
      'Not measurable at W=3 (every write failed)',
      'every live follower equals the leader',
    ]);
    expect(findings).not.toContain('NaN');
  });

  it('leaves the stopped follower out of the consistency table, and says so', () => {
    const section = sectionOf(md, 'Consistency per W');
    expect(section).toContain('Follower 3, stopped on purpose, is not compared');
    expect(section).toContain('| 3 | 0 of 2 | 0 | 0 | all equal |');
    expect(section).not.toContain('NOT equal');
  });

  it('reproduces with --scenario and defines quorum_unreachable', () => {
    expect(md).toContain('--scenario follower-down');
    expect(md).toContain('- **quorum_unreachable**');
  });
});

describe('buildReportMarkdown for an open-loop run', () => {
  const md = buildReportMarkdown(input({ config: fakeConfig({ rate: 40 }) }));

  it('says writes started on a schedule and were timed from their intended start', () => {
    expect(sectionOf(md, 'What was measured')).toContain('at 40 per second on a seeded Poisson schedule');
    expect(md).toContain('--rate 40');
  });
});

describe('reproduceCommand', () => {
  it('gives every flag of the run, quoting values the shell would split', () => {
    const command = reproduceCommand(fakeConfig({ delay: 'uniform:0:50;5=uniform:800:1000', ackMode: 'applied' }));
    expect(command).toContain("--delay 'uniform:0:50;5=uniform:800:1000'");
    for (const flag of [
      '--runtime process',
      '--followers 5',
      '--quorums 1,2,3,4,5',
      '--writes 100',
      '--concurrency 10',
      '--keys 10',
      '--replication-timeout-ms 2000',
      '--ack-mode applied',
      '--seed 1',
      '--warmup-writes 200',
      '--warmup-concurrency 50',
    ]) {
      expect(command).toContain(flag);
    }
    expect(command).not.toContain('--leader-url');
    expect(command).not.toContain('--out');
  });

  it('names the leader of an external cluster', () => {
    expect(reproduceCommand(fakeConfig({ runtime: 'external', leaderUrl: 'http://127.0.0.1:7000' }))).toContain(
      '--leader-url http://127.0.0.1:7000',
    );
  });
});

describe('buildReportMarkdown with the floor', () => {
  const floor = compareWithFloor(
    [
      { w: 1, overheadMs: 1.1 },
      { w: 2, overheadMs: 4 },
    ],
    [
      { w: 1, delaysMs: [0], latencyMs: 1 },
      { w: 2, delaysMs: [0, 0], latencyMs: 1 },
    ],
  );

  it('gives a finding, a section with one row per W and pooled, and names floor.json', () => {
    const md = buildReportMarkdown(input({ floor }));
    expect(sectionOf(md, 'Findings')).toMatch(/- Against the bare relay floor .* missed at W=2/);
    const table = sectionOf(md, 'Against the floor');
    expect(table).toMatch(/\| W=1 \|/);
    expect(table).toMatch(/\| pooled \|/);
    expect(md).toContain('`floor.json`');
  });

  it('has neither without a floor', () => {
    const md = buildReportMarkdown(input());
    expect(sectionOf(md, 'Against the floor')).toBe('');
    expect(md).not.toContain('floor.json');
  });
});
