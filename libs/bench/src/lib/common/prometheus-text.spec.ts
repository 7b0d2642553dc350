import { firstValue, metricSum, nodeGauges, parsePrometheusText } from './prometheus-text';

// What prom-client writes for a node of this project (default metrics with the `role` label).
const LEADER_METRICS = `# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes{role="leader"} 83582976

# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.
# TYPE nodejs_heap_size_used_bytes gauge
nodejs_heap_size_used_bytes{role="leader"} 21475528
# HELP quorumkv_replication_lag_entries Entries the follower has not applied
# TYPE quorumkv_replication_lag_entries gauge
quorumkv_replication_lag_entries{follower="http://127.0.0.1:4001",role="leader"} 3
quorumkv_replication_lag_entries{follower="http://127.0.0.1:4002",role="leader"} 0
# TYPE quorumkv_log_entries gauge
quorumkv_log_entries{role="leader"} 1200
`;

describe('metricSum', () => {
  it.each<{ name: string; labels: Record<string, string>; sum: number; why: string }>([
    { name: 'quorumkv_replication_lag_entries', labels: {}, sum: 3, why: 'summed over its label sets' },
    {
      name: 'quorumkv_replication_lag_entries',
      labels: { follower: 'http://127.0.0.1:4002' },
      sum: 0,
      why: 'only the label sets that hold every label asked for',
    },
    { name: 'quorumkv_log_entries', labels: { role: 'leader' }, sum: 1200, why: 'one sample' },
    { name: 'quorumkv_snapshots_sent_total', labels: {}, sum: 0, why: 'a metric the page lacks is 0' },
  ])('$why', ({ name, labels, sum }) => {
    expect(metricSum(LEADER_METRICS, name, labels)).toBe(sum);
  });
});

describe('parsePrometheusText', () => {
  it('reads names, labels and values, skipping comments and blank lines', () => {
    const samples = parsePrometheusText(LEADER_METRICS);
    expect(samples).toHaveLength(5);
    expect(samples[2]).toEqual({
      name: 'quorumkv_replication_lag_entries',
      labels: { follower: 'http://127.0.0.1:4001', role: 'leader' },
      value: 3,
    });
  });

  it('reads samples without labels, with timestamps, and special values', () => {
    // Each case: a line, the value it carries.
    const cases: Array<[string, number]> = [
      ['up 1', 1],
      ['up{} 1', 1],
      ['x_total 12 1700000000000', 12], // a timestamp after the value
      ['x 1.5e3', 1500],
      ['x +Inf', Infinity],
      ['x -Inf', -Infinity],
    ];
    for (const [line, value] of cases) expect(parsePrometheusText(line)[0]?.value).toBe(value);
    expect(parsePrometheusText('x NaN')[0]?.value).toBeNaN();
  });

  it('understands escaped quotes, commas and braces inside label values', () => {
    const [sample] = parsePrometheusText('m{path="/a,b}",msg="say \\"hi\\"\\n"} 2');
    expect(sample).toEqual({ name: 'm', labels: { path: '/a,b}', msg: 'say "hi"\n' }, value: 2 });
  });

  it('skips lines it cannot read instead of failing', () => {
    const samples = parsePrometheusText('garbage here too\nm{broken 1\nm{a="1"} notanumber\nok 3');
    expect(samples).toEqual([{ name: 'ok', labels: {}, value: 3 }]);
  });
});

describe('nodeGauges', () => {
  it('reads RSS, heap used and the leader log size', () => {
    expect(nodeGauges(LEADER_METRICS)).toEqual({ rssBytes: 83582976, heapUsedBytes: 21475528, logEntries: 1200 });
  });

  it('gives null for a gauge the node does not export (a follower, or a leader without log trimming)', () => {
    const follower = LEADER_METRICS.split('\n')
      .filter((l) => !l.includes('quorumkv_log_entries'))
      .join('\n');
    expect(nodeGauges(follower).logEntries).toBeNull();
    expect(firstValue([], 'anything')).toBeNull();
  });
});
