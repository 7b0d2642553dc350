import { busyHostWarning, fmtLoadAverage } from './host-load';

describe('busyHostWarning', () => {
  it.each([
    { why: 'a quiet host gets no warning', start: [0.5, 0.4, 0.3], end: [1.2, 0.6, 0.4], cpus: 2, busy: false },
    { why: 'a load equal to the CPUs is still not queueing', start: [2, 2, 2], end: [2, 2, 2], cpus: 2, busy: false },
    { why: 'busy at the start', start: [6.5, 5, 4], end: [1, 2, 3], cpus: 2, busy: true },
    {
      why: 'busy only by the end (the sweep itself, or a neighbour)',
      start: [0.1, 0.1, 0.1],
      end: [3.1, 1, 1],
      cpus: 2,
      busy: true,
    },
    { why: 'the 5 and 15-minute averages do not count', start: [1, 9, 9], end: [1, 9, 9], cpus: 2, busy: false },
    { why: 'more CPUs absorb the same load', start: [6.5, 5, 4], end: [6, 5, 4], cpus: 8, busy: false },
    { why: 'an unknown load (empty, as on some platforms) gives no warning', start: [], end: [], cpus: 2, busy: false },
  ])('$why', ({ start, end, cpus, busy }) => {
    const warning = busyHostWarning({ start, end, cpus });
    expect(warning !== undefined).toBe(busy);
    if (warning !== undefined) {
      expect(warning).toContain(`${start[0]?.toFixed(2)} at the start and ${end[0]?.toFixed(2)} at the end`);
      expect(warning).toContain(`on ${cpus} CPUs`);
    }
  });
});

describe('fmtLoadAverage', () => {
  it('gives the 1, 5 and 15-minute averages with two decimals', () => {
    expect(fmtLoadAverage([1.2, 0.854, 0.4])).toBe('1.20 / 0.85 / 0.40');
  });
});
