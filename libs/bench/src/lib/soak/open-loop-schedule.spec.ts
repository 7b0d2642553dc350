import { OpenLoopSchedule, sampleTimesS } from './open-loop-schedule';

describe('OpenLoopSchedule', () => {
  it('plans rate × duration writes, the last one due before the end', () => {
    // Each case: rate, duration, writes planned.
    const cases: Array<[number, number, number]> = [
      [200, 60, 12_000], // the default run
      [100, 20, 2_000],
      [0.5, 3, 2], // due at 0 s and 2 s; the third would be due at 4 s, after the end
      [3, 0.5, 2], // due at 0 ms and 333 ms
      [10, 0.1, 1], // only the first, due at 0
    ];
    for (const [rate, duration, writes] of cases) expect(new OpenLoopSchedule(rate, duration).totalWrites).toBe(writes);
  });

  it('spaces writes 1/rate apart from the start', () => {
    const schedule = new OpenLoopSchedule(200, 1);
    expect([0, 1, 2, 199].map((i) => schedule.dueAtMs(i))).toEqual([0, 5, 10, 995]);
  });

  it('hands out each write once, when its time has come', () => {
    const schedule = new OpenLoopSchedule(100, 1); // one write every 10 ms
    expect(schedule.takeDue(0)).toEqual({ first: 0, count: 1 });
    expect(schedule.takeDue(9.9)).toEqual({ first: 1, count: 0 });
    expect(schedule.takeDue(10)).toEqual({ first: 1, count: 1 });
    expect(schedule.taken).toBe(2);
  });

  it('hands out everything overdue at once after a stall, never skipping a write', () => {
    const schedule = new OpenLoopSchedule(100, 1);
    schedule.takeDue(0);
    expect(schedule.takeDue(55)).toEqual({ first: 1, count: 5 }); // writes due at 10..50 ms
    expect(schedule.msUntilNext(55)).toBe(5);
    expect(schedule.msUntilNext(70)).toBe(0); // overdue
  });

  it('ends after the last write, however late the caller is', () => {
    const schedule = new OpenLoopSchedule(100, 1);
    expect(schedule.takeDue(60_000)).toEqual({ first: 0, count: 100 });
    expect(schedule.done).toBe(true);
    expect(schedule.msUntilNext(60_000)).toBeNull();
    expect(schedule.takeDue(120_000)).toEqual({ first: 100, count: 0 });
  });

  it('refuses a rate or duration that is not positive', () => {
    expect(() => new OpenLoopSchedule(0, 10)).toThrow(RangeError);
    expect(() => new OpenLoopSchedule(10, -1)).toThrow(RangeError);
    expect(() => new OpenLoopSchedule(NaN, 10)).toThrow(RangeError);
  });
});

describe('sampleTimesS', () => {
  it('samples on the grid from 0 and always at the end', () => {
    // Each case: duration, interval, sample times.
    const cases: Array<[number, number, number[]]> = [
      [10, 2, [0, 2, 4, 6, 8, 10]], // the end is on the grid: once
      [7, 2, [0, 2, 4, 6, 7]], // the end is not: added
      [1, 0.3, [0, 0.3, 0.6, 0.9, 1]], // no floating-point drift in the times
    ];
    for (const [duration, interval, times] of cases) expect(sampleTimesS(duration, interval)).toEqual(times);
  });
});
