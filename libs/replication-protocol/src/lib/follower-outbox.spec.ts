import { FakeClock } from '../testing';
import { FollowerOutbox, type OutboxLimits } from './follower-outbox';

/** A script against one outbox and a fake clock; every `take` records the LSNs of each message it cut. */
type Step =
  | { advanceMs: number }
  /** Writes arriving now, each with the delay injected for this follower (bytes default 100). */
  | { write: Array<{ lsn: number; delayMs: number; bytes?: number }> }
  | { take: true }
  /** The n-th message sent so far (1-based) is answered. */
  | { answer: number };

function run(limits: OutboxLimits, steps: Step[]): { takes: number[][][]; outbox: FollowerOutbox<string> } {
  const clock = new FakeClock();
  const outbox = new FollowerOutbox<string>(limits);
  const sent: number[] = [];
  const takes: number[][][] = [];
  for (const step of steps) {
    if ('advanceMs' in step) clock.advance(step.advanceMs);
    else if ('write' in step)
      for (const { lsn, delayMs, bytes = 100 } of step.write)
        outbox.enqueue({ lsn, readyAtMs: clock.now() + delayMs, bytes, entry: `e${lsn}` });
    else if ('take' in step) {
      const messages = outbox.take(clock.now());
      messages.forEach((m) => sent.push(m.id));
      takes.push(messages.map((m) => m.lsns));
    } else outbox.complete(sent[step.answer - 1] as number);
  }
  return { takes, outbox };
}

const wide: OutboxLimits = { maxInFlightMessages: 8, maxEntriesPerMessage: 100, maxMessageBytes: 1_000_000 };

describe('FollowerOutbox', () => {
  const cases: Array<{ name: string; limits: OutboxLimits; steps: Step[]; takes: number[][][] }> = [
    {
      name: 'entries ready at one moment leave together, in LSN order, in one message',
      limits: wide,
      steps: [
        {
          write: [
            { lsn: 2, delayMs: 0 },
            { lsn: 1, delayMs: 0 },
            { lsn: 3, delayMs: 0 },
          ],
        },
        { take: true },
      ],
      takes: [[[1, 2, 3]]],
    },
    {
      name: 'an entry whose delay has not elapsed stays; it leaves at its ready time, not before',
      limits: wide,
      steps: [
        {
          write: [
            { lsn: 1, delayMs: 0 },
            { lsn: 2, delayMs: 10 },
          ],
        },
        { take: true },
        { advanceMs: 9 },
        { take: true },
        { advanceMs: 1 },
        { take: true },
      ],
      takes: [[[1]], [], [[2]]],
    },
    {
      name: 'entries of different writes whose delays end by the same moment join one message',
      limits: wide,
      steps: [
        { write: [{ lsn: 1, delayMs: 5 }] },
        { advanceMs: 2 },
        {
          write: [
            { lsn: 2, delayMs: 3 },
            { lsn: 3, delayMs: 1 },
          ],
        },
        { advanceMs: 3 },
        { take: true },
      ],
      takes: [[[1, 2, 3]]],
    },
    {
      name: 'with the window full, ready entries wait and then go together in the next message',
      limits: { ...wide, maxInFlightMessages: 1 },
      steps: [
        { write: [{ lsn: 1, delayMs: 0 }] },
        { take: true },
        { write: [{ lsn: 2, delayMs: 0 }] },
        { take: true },
        { advanceMs: 1 },
        { write: [{ lsn: 3, delayMs: 0 }] },
        { take: true },
        { answer: 1 },
        { take: true },
      ],
      takes: [[[1]], [], [], [[2, 3]]],
    },
    {
      name: 'a free slot means no wait at all: the window adds nothing to an entry ready when a slot is free',
      limits: { ...wide, maxInFlightMessages: 2 },
      steps: [{ write: [{ lsn: 1, delayMs: 0 }] }, { take: true }, { write: [{ lsn: 2, delayMs: 0 }] }, { take: true }],
      takes: [[[1]], [[2]]],
    },
    {
      name: 'the count bound splits a ready batch into several messages, as many as the window takes',
      limits: { ...wide, maxEntriesPerMessage: 2, maxInFlightMessages: 2 },
      steps: [
        { write: [1, 2, 3, 4, 5].map((lsn) => ({ lsn, delayMs: 0 })) },
        { take: true },
        { answer: 1 },
        { take: true },
      ],
      takes: [
        [
          [1, 2],
          [3, 4],
        ],
        [[5]],
      ],
    },
    {
      name: 'the byte bound splits a batch; an entry alone over the bound still goes, alone',
      limits: { ...wide, maxMessageBytes: 250 },
      steps: [
        {
          write: [
            { lsn: 1, delayMs: 0, bytes: 100 },
            { lsn: 2, delayMs: 0, bytes: 100 },
            { lsn: 3, delayMs: 0, bytes: 100 },
            { lsn: 4, delayMs: 0, bytes: 900 },
            { lsn: 5, delayMs: 0, bytes: 10 },
          ],
        },
        { take: true },
      ],
      takes: [[[1, 2], [3], [4], [5]]],
    },
    {
      name: 'an entry that became ready while the window was full is not held behind entries still waiting',
      limits: { ...wide, maxInFlightMessages: 1 },
      steps: [
        {
          write: [
            { lsn: 1, delayMs: 0 },
            { lsn: 2, delayMs: 5 },
            { lsn: 3, delayMs: 50 },
          ],
        },
        { take: true },
        { advanceMs: 10 },
        { answer: 1 },
        { take: true },
      ],
      takes: [[[1]], [[2]]],
    },
  ];

  it.each(cases)('$name', ({ limits, steps, takes }) => {
    expect(run(limits, steps).takes).toEqual(takes);
  });

  const wakeCases: Array<{ name: string; limits: OutboxLimits; steps: Step[]; nextReadyAtMs: number | null }> = [
    { name: 'nothing queued: no wake-up', limits: wide, steps: [], nextReadyAtMs: null },
    {
      name: 'the earliest ready time among waiting entries',
      limits: wide,
      steps: [
        {
          write: [
            { lsn: 1, delayMs: 30 },
            { lsn: 2, delayMs: 7 },
          ],
        },
      ],
      nextReadyAtMs: 7,
    },
    {
      name: 'none while the window is full: the next answer is the moment',
      limits: { ...wide, maxInFlightMessages: 1 },
      steps: [
        {
          write: [
            { lsn: 1, delayMs: 0 },
            { lsn: 2, delayMs: 7 },
          ],
        },
        { take: true },
      ],
      nextReadyAtMs: null,
    },
    {
      name: 'at once when entries are ready and a slot just freed',
      limits: { ...wide, maxInFlightMessages: 1 },
      steps: [
        { write: [{ lsn: 1, delayMs: 0 }] },
        { take: true },
        { write: [{ lsn: 2, delayMs: 0 }] },
        { take: true },
        { answer: 1 },
      ],
      nextReadyAtMs: -Infinity,
    },
  ];

  it.each(wakeCases)('nextReadyAtMs: $name', ({ limits, steps, nextReadyAtMs }) => {
    expect(run(limits, steps).outbox.nextReadyAtMs()).toBe(nextReadyAtMs);
  });

  it('counts what is queued and in flight, and gives back the LSNs of an answered message', () => {
    const outbox = new FollowerOutbox<string>({ ...wide, maxInFlightMessages: 1 });
    outbox.enqueue({ lsn: 1, readyAtMs: 0, bytes: 1, entry: 'a' });
    outbox.enqueue({ lsn: 2, readyAtMs: 0, bytes: 1, entry: 'b' });
    outbox.enqueue({ lsn: 3, readyAtMs: 5, bytes: 1, entry: 'c' });
    const [message] = outbox.take(0);
    expect(message?.entries).toEqual(['a', 'b']);
    expect([outbox.inFlightCount, outbox.queuedCount]).toEqual([1, 1]);
    expect(outbox.complete(message?.id as number)).toEqual([1, 2]);
    expect(outbox.inFlightCount).toBe(0);
  });

  it('refuses to complete a message that is not in flight (an answer counted twice)', () => {
    const outbox = new FollowerOutbox<string>(wide);
    outbox.enqueue({ lsn: 1, readyAtMs: 0, bytes: 1, entry: 'a' });
    const [message] = outbox.take(0);
    outbox.complete(message?.id as number);
    expect(() => outbox.complete(message?.id as number)).toThrow(/not|no message/);
  });

  it.each([
    { name: 'a window of zero', limits: { ...wide, maxInFlightMessages: 0 } },
    { name: 'a fractional count bound', limits: { ...wide, maxEntriesPerMessage: 1.5 } },
  ])('refuses $name', ({ limits }) => {
    expect(() => new FollowerOutbox(limits)).toThrow(RangeError);
  });
});
