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

/** Writes arriving now, as [lsn, delayMs, bytes?]. */
const write = (...entries: Array<[number, number, number?]>): Step => ({
  write: entries.map(([lsn, delayMs, bytes]) => ({ lsn, delayMs, ...(bytes !== undefined && { bytes }) })),
});
const TAKE: Step = { take: true };
const advance = (advanceMs: number): Step => ({ advanceMs });
const answer = (nth: number): Step => ({ answer: nth });

describe('FollowerOutbox', () => {
  const cases: Array<{ name: string; limits: OutboxLimits; steps: Step[]; takes: number[][][] }> = [
    {
      name: 'entries ready at one moment leave together, in LSN order, in one message',
      limits: wide,
      steps: [write([2, 0], [1, 0], [3, 0]), TAKE],
      takes: [[[1, 2, 3]]],
    },
    {
      name: 'an entry whose delay has not elapsed stays; it leaves at its ready time, not before',
      limits: wide,
      steps: [write([1, 0], [2, 10]), TAKE, advance(9), TAKE, advance(1), TAKE],
      takes: [[[1]], [], [[2]]],
    },
    {
      name: 'entries of different writes whose delays end by the same moment join one message',
      limits: wide,
      steps: [write([1, 5]), advance(2), write([2, 3], [3, 1]), advance(3), TAKE],
      takes: [[[1, 2, 3]]],
    },
    {
      name: 'with the window full, ready entries wait and then go together in the next message',
      limits: { ...wide, maxInFlightMessages: 1 },
      steps: [write([1, 0]), TAKE, write([2, 0]), TAKE, advance(1), write([3, 0]), TAKE, answer(1), TAKE],
      takes: [[[1]], [], [], [[2, 3]]],
    },
    {
      name: 'a free slot means no wait at all: the window adds nothing to an entry ready when a slot is free',
      limits: { ...wide, maxInFlightMessages: 2 },
      steps: [write([1, 0]), TAKE, write([2, 0]), TAKE],
      takes: [[[1]], [[2]]],
    },
    {
      name: 'the count bound splits a ready batch into several messages, as many as the window takes',
      limits: { ...wide, maxEntriesPerMessage: 2, maxInFlightMessages: 2 },
      steps: [write([1, 0], [2, 0], [3, 0], [4, 0], [5, 0]), TAKE, answer(1), TAKE],
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
      steps: [write([1, 0, 100], [2, 0, 100], [3, 0, 100], [4, 0, 900], [5, 0, 10]), TAKE],
      takes: [[[1, 2], [3], [4], [5]]],
    },
    {
      name: 'an entry that became ready while the window was full is not held behind entries still waiting',
      limits: { ...wide, maxInFlightMessages: 1 },
      steps: [write([1, 0], [2, 5], [3, 50]), TAKE, advance(10), answer(1), TAKE],
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
      steps: [write([1, 30], [2, 7])],
      nextReadyAtMs: 7,
    },
    {
      name: 'none while the window is full: the next answer is the moment',
      limits: { ...wide, maxInFlightMessages: 1 },
      steps: [write([1, 0], [2, 7]), TAKE],
      nextReadyAtMs: null,
    },
    {
      name: 'at once when entries are ready and a slot just freed',
      limits: { ...wide, maxInFlightMessages: 1 },
      steps: [write([1, 0]), TAKE, write([2, 0]), TAKE, answer(1)],
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
