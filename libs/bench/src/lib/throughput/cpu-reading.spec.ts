import { cpuDelta, metricsCpuSeconds, procStatCpuSeconds } from './cpu-reading';

/** A /proc/<pid>/stat line with utime and stime at fields 14 and 15. */
const stat = (comm: string, utime: number, stime: number) =>
  `4242 (${comm}) S 1 4242 4242 0 -1 4194304 100 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 123 456 789`;

describe('procStatCpuSeconds', () => {
  const cases = [
    { name: 'user plus system time, in ticks of 1/100 s', text: stat('node', 150, 50), ticks: 100, seconds: 2 },
    { name: 'another tick rate divides by it', text: stat('node', 500, 500), ticks: 1000, seconds: 1 },
    {
      name: 'a command name holding spaces and parentheses does not shift the fields',
      text: stat('redis-server *:6379) (x', 30, 10),
      ticks: 100,
      seconds: 0.4,
    },
  ];
  it.each(cases)('$name', ({ text, ticks, seconds }) => {
    expect(procStatCpuSeconds(text, ticks)).toBeCloseTo(seconds, 9);
  });

  it.each([
    { name: 'no command name at all', text: '4242 S 1 2 3' },
    { name: 'a line cut short before stime', text: '4242 (node) S 1 4242 4242 0 -1 4194304 100 0 0 0 150' },
  ])('gives null for $name rather than a wrong figure', ({ text }) => {
    expect(procStatCpuSeconds(text, 100)).toBeNull();
  });
});

describe('metricsCpuSeconds', () => {
  it("reads prom-client's process_cpu_seconds_total", () => {
    const text = [
      '# HELP process_cpu_user_seconds_total Total user CPU time spent in seconds.',
      'process_cpu_user_seconds_total 1.5',
      '# TYPE process_cpu_seconds_total counter',
      'process_cpu_seconds_total 2.25',
    ].join('\n');
    expect(metricsCpuSeconds(text)).toBe(2.25);
  });
  it('gives null when a node does not export it', () => {
    expect(metricsCpuSeconds('process_resident_memory_bytes 1000\n')).toBeNull();
  });
});

describe('cpuDelta', () => {
  it('gives each process its CPU over the window and sums them', () => {
    const { total, byProcess } = cpuDelta({ leader: 1, follower1: 2 }, { leader: 1.5, follower1: 2.25 });
    expect(byProcess).toEqual({ leader: 0.5, follower1: 0.25 });
    expect(total).toBeCloseTo(0.75, 9);
  });
  it('gives no total when one process could not be read, rather than a sum that misses it', () => {
    const { total, byProcess } = cpuDelta({ leader: 1, follower1: null }, { leader: 2, follower1: 3 });
    expect(total).toBeNull();
    expect(byProcess).toEqual({ leader: 1, follower1: null });
  });
});
