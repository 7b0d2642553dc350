import { CumulativeAcks, type CumulativeAck } from './cumulative-acks';

describe('CumulativeAcks', () => {
  const cases: Array<{
    name: string;
    acks: CumulativeAck[];
    /** What each ack newly covers. */
    fresh: number[][];
    upToLsn: number;
    beyondLsns: number[];
  }> = [
    {
      name: 'a cumulative ack covers every LSN up to it, once',
      acks: [{ upToLsn: 3 }],
      fresh: [[1, 2, 3]],
      upToLsn: 3,
      beyondLsns: [],
    },
    {
      name: 'a later ack covers only what the earlier one did not',
      acks: [{ upToLsn: 3 }, { upToLsn: 5 }],
      fresh: [
        [1, 2, 3],
        [4, 5],
      ],
      upToLsn: 5,
      beyondLsns: [],
    },
    {
      name: 'an old ack arriving late (acks travel apart) covers nothing and moves nothing back',
      acks: [{ upToLsn: 5 }, { upToLsn: 2 }],
      fresh: [[1, 2, 3, 4, 5], []],
      upToLsn: 5,
      beyondLsns: [],
    },
    {
      name: 'the same ack twice covers nothing the second time',
      acks: [
        { upToLsn: 2, beyondLsns: [4] },
        { upToLsn: 2, beyondLsns: [4] },
      ],
      fresh: [[1, 2, 4], []],
      upToLsn: 2,
      beyondLsns: [4],
    },
    {
      name: 'LSNs received beyond a gap are acknowledged at once, before the gap fills',
      acks: [{ upToLsn: 1, beyondLsns: [5, 3] }],
      fresh: [[1, 3, 5]],
      upToLsn: 1,
      beyondLsns: [3, 5],
    },
    {
      name: 'when the gap fills, the cumulative part absorbs them without counting them again',
      acks: [{ upToLsn: 1, beyondLsns: [3, 4] }, { upToLsn: 4 }],
      fresh: [[1, 3, 4], [2]],
      upToLsn: 4,
      beyondLsns: [],
    },
    {
      name: 'an out-of-order LSN right after the cumulative one joins it at once',
      acks: [{ upToLsn: 2, beyondLsns: [3, 5] }],
      fresh: [[1, 2, 3, 5]],
      upToLsn: 3,
      beyondLsns: [5],
    },
    {
      name: 'listed LSNs at or below the cumulative one are ignored',
      acks: [{ upToLsn: 4, beyondLsns: [2, 4] }],
      fresh: [[1, 2, 3, 4]],
      upToLsn: 4,
      beyondLsns: [],
    },
    {
      name: 'an ack of nothing (upToLsn 0) covers nothing',
      acks: [{ upToLsn: 0 }],
      fresh: [[]],
      upToLsn: 0,
      beyondLsns: [],
    },
  ];

  it.each(cases)('$name', ({ acks, fresh, upToLsn, beyondLsns }) => {
    const tracker = new CumulativeAcks(100);
    expect(acks.map((ack) => tracker.record(ack))).toEqual(fresh);
    expect({ upToLsn: tracker.upToLsn, beyondLsns: tracker.beyondLsns }).toEqual({ upToLsn, beyondLsns });
  });

  it('answers has() for the cumulative part and for out-of-order LSNs alike', () => {
    const tracker = new CumulativeAcks(100);
    tracker.record({ upToLsn: 2, beyondLsns: [5] });
    expect([1, 2, 3, 4, 5, 6].map((lsn) => tracker.has(lsn))).toEqual([true, true, false, false, true, false]);
  });

  it('does work proportional to what an ack covers, not to how far the log goes', () => {
    // 10 000 writes pending and acknowledged one by one: each ack returns exactly one LSN, so the
    // total work is linear. (Counted in LSNs returned, not timed: no timing asserts.)
    const tracker = new CumulativeAcks(100);
    let returned = 0;
    for (let lsn = 1; lsn <= 10_000; lsn++) returned += tracker.record({ upToLsn: lsn }).length;
    expect(returned).toBe(10_000);
  });

  it.each([
    { name: 'more out-of-order LSNs than the follower may buffer', ack: { upToLsn: 0, beyondLsns: [2, 3, 4] } },
    { name: 'a negative upToLsn', ack: { upToLsn: -1 } },
    { name: 'a fractional upToLsn', ack: { upToLsn: 1.5 } },
  ])('refuses $name', ({ ack }) => {
    expect(() => new CumulativeAcks(2).record(ack)).toThrow(RangeError);
  });
});
