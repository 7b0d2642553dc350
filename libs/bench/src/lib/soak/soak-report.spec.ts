import { expectContainsAll } from '../common/testing';
import { buildSoakReport, fmtSlope, reproduceSoakCommand, verdictText } from './soak-report';
import { buildSoakSummary } from './soak-summary';
import { fakeLoadTotals, fakeSamples, fakeSoakConfig } from './testing';
import type { SoakSample } from './soak-records';

const config = fakeSoakConfig();
const environment = { node: 'v20.20.2', cpus: 2 };

function report(samples: SoakSample[], charts: string[] = ['memory_over_time.svg', 'memory_over_time.png']) {
  const summary = buildSoakSummary(config, samples, fakeLoadTotals());
  return { summary, text: buildSoakReport({ config, summary, charts, environment }) };
}

describe('verdictText', () => {
  it('says flat with the steepest slope and its band', () => {
    const { summary } = report(fakeSamples((node, tS) => 100 + (node === 'follower2' ? tS / 120 : 0)));
    expect(verdictText(config, summary)).toBe(
      "**Verdict: memory flat.** Over the second half of the run (30–60 s), every node's RSS and heap used grew by " +
        "less than 1 MiB/min, each slope's band narrower than that; " +
        'the steepest was follower2 RSS +0.50 ± 0.00 MiB/min.',
    );
  });

  it('says grows, naming each slope at or above the threshold', () => {
    const { summary } = report(fakeSamples((node, tS) => 100 + (node === 'leader' ? tS / 10 : 0)));
    expect(verdictText(config, summary)).toBe(
      '**Verdict: memory grows.** Over the second half of the run (30–60 s), with a threshold of 1 MiB/min and ' +
        'every band narrower than it: leader RSS +6.00 ± 0.00 MiB/min and leader heap used +3.00 ± 0.00 MiB/min.',
    );
  });

  it('says inconclusive with the widest band when GC moves memory more than the threshold', () => {
    const { summary } = report(fakeSamples((node, tS) => (node === 'follower1' ? 60 + 2 * (tS % 20) : 60)));
    const text = verdictText(config, summary);
    expect(text).toMatch(/^\*\*Verdict: inconclusive\*\* at 1 MiB\/min\. .* 2 slopes of 6 had a band/);
    expect(text).toContain('the widest follower1 RSS');
    expect(text).toContain('run (`--duration-s`)');
  });

  it('names at most three unresolved steep slopes, steepest first', () => {
    // Every node grows 60 MiB/min and jumps 20 MiB at every other sample: steep slopes, wide bands.
    const { summary } = report(
      fakeSamples((node, tS) => 60 + tS + ((tS / 2) % 2 === 1 ? 20 : 0) + (node === 'leader' ? 1 : 0)),
    );
    const text = verdictText(config, summary);
    expect(summary.verdict.growing.length).toBeGreaterThan(3);
    const suspects = text.slice(text.indexOf('not resolved: '), text.indexOf(' A longer run'));
    expect(suspects.match(/MiB\/min/g)).toHaveLength(3);
    expect(suspects.endsWith(`and ${summary.verdict.growing.length - 3} more.`)).toBe(true);
  });
});

describe('buildSoakReport', () => {
  it('has the verdict first, then the run, the load, the table, the log and the chart', () => {
    const { text } = report(fakeSamples(() => 100, { logEntries: () => 4 }));
    const headings = text.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Soak: memory under a steady write load',
      '## What was run',
      '## Load',
      '## Memory per node (MiB)',
      '## Chart',
      '## How to read it',
      '## Run it again',
    ]);
    expect(text.split('\n')[2]).toMatch(/^\*\*Verdict: memory flat\.\*\*/);
    expectContainsAll(text, [
      '| leader | 100.0 | 100.0 | 100.0 | +0.00 ± 0.00 | 50.0 | 50.0 | 50.0 | +0.00 ± 0.00 | 0 |',
      'p50 13.1 ms, p99 21.7 ms, max 48.3 ms',
      'Failed writes by error: 2 quorum_timeout.',
      'Its log held 4 entries then (at most 4 during the run)',
      '![RSS and heap used of every node over time](memory_over_time.png)',
    ]);
  });

  it('says when the leader exports no log size, and when no chart was rendered', () => {
    const { text } = report(
      fakeSamples(() => 100),
      [],
    );
    expect(text).toContain('exports no `quorumkv_log_entries` gauge');
    expect(text).toContain('The chart was not rendered in this run');
  });
});

describe('reproduceSoakCommand', () => {
  it('repeats every flag, quoting what the shell would split', () => {
    const command = reproduceSoakCommand(fakeSoakConfig({ delay: 'uniform:0:50;5=uniform:800:1000' }));
    expect(command.startsWith('npx nx run bench:soak -- \\\n  --runtime process')).toBe(true);
    expect(command).toContain("--delay 'uniform:0:50;5=uniform:800:1000'");
    expect(command).not.toContain('--leader-url');
    expect(reproduceSoakCommand(fakeSoakConfig({ runtime: 'external', leaderUrl: 'http://127.0.0.1:8080' }))).toContain(
      '--leader-url http://127.0.0.1:8080',
    );
  });
});

describe('fmtSlope', () => {
  // Each case: a slope, how the report prints it.
  it.each([
    [0.354, '+0.35'],
    [-2.5, '-2.50'],
    [-0.001, '+0.00'], // a rounded negative zero is shown as +0.00
    [NaN, '—'],
  ])('%p -> %p', (value, text) => {
    expect(fmtSlope(value)).toBe(text);
  });
});
