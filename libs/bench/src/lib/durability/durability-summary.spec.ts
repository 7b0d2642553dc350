import { cellStatus, durabilityCsv, modelVerdict, summarizeDurability, sweepVerdict } from './durability-summary';
import { fakeCell, fakeCheck, fakeCrash, fakeDurabilityWrite } from './testing';

describe('modelVerdict', () => {
  it.each([
    { w: 3, r: 3, n: 5, verdict: 'no loss', reason: 'majorities intersect' },
    { w: 1, r: 5, n: 5, verdict: 'no loss', reason: 'recovery hears from everyone' },
    { w: 5, r: 1, n: 5, verdict: 'no loss', reason: 'everyone acknowledged' },
    { w: 2, r: 3, n: 5, verdict: 'may lose', reason: 'W + R = N: the two sets can be disjoint' },
    { w: 1, r: 1, n: 5, verdict: 'may lose', reason: 'one acknowledger, one responder' },
    { w: 2, r: 2, n: 3, verdict: 'no loss', reason: 'three followers: any two pairs share one' },
  ])('W=$w R=$r N=$n: $verdict ($reason)', ({ w, r, n, verdict }) => {
    expect(modelVerdict(w, r, n)).toBe(verdict);
  });
});

describe('cellStatus', () => {
  it.each([
    { verdict: 'no loss', lost: 0, unreadable: 0, status: 'held', reason: 'the promise kept' },
    { verdict: 'no loss', lost: 1, unreadable: 0, status: 'violated', reason: 'one loss where none may happen' },
    { verdict: 'no loss', lost: 1, unreadable: 3, status: 'violated', reason: 'a loss outweighs failed reads' },
    { verdict: 'may lose', lost: 7, unreadable: 0, status: 'held', reason: 'losses the model allows' },
    { verdict: 'may lose', lost: 0, unreadable: 0, status: 'held', reason: 'allowed, not required, to lose' },
    { verdict: 'no loss', lost: 0, unreadable: 2, status: 'unchecked', reason: 'reads failed: nothing proven' },
    { verdict: 'may lose', lost: 1, unreadable: 1, status: 'unchecked', reason: 'reads failed there too' },
    {
      verdict: 'no loss',
      lost: 0,
      unreadable: 0,
      acked: 0,
      status: 'unchecked',
      reason: 'nothing acknowledged: a vacuous pass',
    },
  ] as const)('$status: $reason', ({ verdict, lost, unreadable, status, ...rest }) => {
    expect(cellStatus(verdict, lost, unreadable, 'acked' in rest ? rest.acked : 1)).toBe(status);
  });
});

describe('summarizeDurability', () => {
  const input = {
    followers: 5,
    quorums: [2, 3],
    recoveryQuorums: [2, 3],
    writes: [
      fakeDurabilityWrite({ w: 2, r: 2, seq: 0 }),
      fakeDurabilityWrite({ w: 2, r: 2, seq: 1 }),
      fakeDurabilityWrite({ w: 2, r: 2, seq: 2, outcome: 'info', httpStatus: 504 }),
      fakeDurabilityWrite({ w: 3, r: 3, seq: 0 }),
    ],
    crashes: [
      fakeCrash({ w: 2, r: 2, adversarial: true }),
      fakeCrash({ w: 3, r: 3, adversarial: false, recovered: false }),
    ],
    checks: [
      fakeCheck({ w: 2, r: 2, seq: 0, finding: 'lost', httpStatus: 404 }),
      fakeCheck({ w: 2, r: 2, seq: 1, finding: 'present' }),
      fakeCheck({ w: 3, r: 3, seq: 0, finding: 'changed' }),
    ],
  };
  const cells = summarizeDurability(input);

  it('gives one cell per (W, R), W-major', () => {
    expect(cells.map((c) => [c.w, c.r])).toEqual([
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
    ]);
  });

  it('counts acknowledged and lost writes per cell, and crashes and recoveries', () => {
    expect(cells[0]).toMatchObject({
      writes: 3,
      acknowledged: 2,
      lost: 1,
      lostFraction: 0.5,
      crashes: 1,
      adversarialCrashes: 1,
      recoveries: 1,
      modelVerdict: 'may lose',
      status: 'held',
    });
    expect(cells[3]).toMatchObject({
      acknowledged: 1,
      lost: 1,
      recoveries: 0,
      modelVerdict: 'no loss',
      status: 'violated',
    });
  });

  it('leaves the loss fraction unknown (NaN) for a cell without writes, and holds it (nothing was run)', () => {
    expect(cells[1]).toMatchObject({ writes: 0, status: 'held' });
    expect(cells[1]?.lostFraction).toBeNaN();
  });

  it('marks a cell whose writes were all refused unchecked: it proves nothing', () => {
    const refused = summarizeDurability({
      ...input,
      quorums: [3],
      recoveryQuorums: [3],
      writes: [fakeDurabilityWrite({ w: 3, r: 3, outcome: 'info', httpStatus: 503 })],
      checks: [],
    });
    expect(refused[0]).toMatchObject({ acknowledged: 0, status: 'unchecked' });
  });
});

describe('sweepVerdict', () => {
  it.each([
    { cells: [fakeCell(3, 3), fakeCell(1, 1, { lost: 4 })], ok: true, allowed: 1, reason: 'losses only where allowed' },
    { cells: [fakeCell(3, 3, { lost: 1, status: 'violated' })], ok: false, allowed: 0, reason: 'a forbidden loss' },
    {
      cells: [fakeCell(1, 1, { unreadable: 1, status: 'unchecked' })],
      ok: false,
      allowed: 0,
      reason: 'an unread write',
    },
    { cells: [fakeCell(1, 1), fakeCell(5, 5)], ok: true, allowed: 0, reason: 'no loss anywhere' },
  ])('ok=$ok: $reason', ({ cells, ok, allowed }) => {
    const verdict = sweepVerdict(cells);
    expect(verdict.ok).toBe(ok);
    expect(verdict.lossesAllowed).toHaveLength(allowed);
  });
});

describe('durabilityCsv', () => {
  it('writes a header and one line per cell, an unknown fraction as an empty field', () => {
    const csv = durabilityCsv([
      fakeCell(1, 1, { lost: 3, lostFraction: 0.15 }),
      fakeCell(2, 4, { acknowledged: 0, lostFraction: NaN }),
    ]);
    const [header, first, second] = csv.trim().split('\n');
    expect(header).toBe(
      'w,r,followers,writes,acknowledged,lost,unreadable,lostFraction,crashes,adversarialCrashes,recoveries,modelVerdict,status',
    );
    expect(first).toBe('1,1,5,20,20,3,0,0.15,2,2,2,may lose,held');
    expect(second).toBe('2,4,5,20,0,0,0,,2,0,2,no loss,held');
  });
});
