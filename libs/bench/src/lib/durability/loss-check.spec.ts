import type { DurabilityWrite } from './durability-records';
import { checkLosses, findingOf, isLoss, type KeyRead } from './loss-check';
import { fakeDurabilityWrite } from './testing';

const write = (seq: number, overrides: Partial<DurabilityWrite> = {}) => fakeDurabilityWrite({ seq, ...overrides });

describe('findingOf', () => {
  it.each([
    { read: { httpStatus: 200, value: 'v' }, finding: 'present', reason: 'there with the acknowledged value' },
    { read: { httpStatus: 200, value: 'other' }, finding: 'changed', reason: 'a unique key with another value' },
    { read: { httpStatus: 200, value: { value: 'v' } }, finding: 'changed', reason: 'not the value itself' },
    { read: { httpStatus: 404 }, finding: 'lost', reason: 'the leader does not have it' },
    { read: { httpStatus: 503 }, finding: 'unreadable', reason: 'the leader did not answer the read' },
    { read: { httpStatus: 0 }, finding: 'unreadable', reason: 'no answer at all' },
  ] satisfies Array<{ read: KeyRead; finding: string; reason: string }>)('$finding: $reason', ({ read, finding }) => {
    expect(findingOf('v', read)).toBe(finding);
  });

  it.each([
    { finding: 'present', loss: false },
    { finding: 'lost', loss: true },
    { finding: 'changed', loss: true },
    { finding: 'unreadable', loss: false },
  ] as const)('$finding counts as a loss: $loss', ({ finding, loss }) => {
    expect(isLoss(finding)).toBe(loss);
  });
});

describe('checkLosses', () => {
  it('checks only acknowledged writes, one row each, and treats a key never read as unreadable', () => {
    const writes = [
      write(0),
      write(1, { outcome: 'info', httpStatus: 504, error: 'quorum_timeout' }),
      write(2),
      write(3),
      write(4, { outcome: 'fail', httpStatus: 503, error: 'recovering' }),
    ];
    const reads = new Map<string, KeyRead>([
      ['d-w2-r2-0', { httpStatus: 200, value: 'v-0' }],
      ['d-w2-r2-1', { httpStatus: 404 }],
      ['d-w2-r2-2', { httpStatus: 404 }],
    ]);
    const rows = checkLosses(writes, reads);
    expect(rows.map((r) => [r.seq, r.finding])).toEqual([
      [0, 'present'],
      [2, 'lost'],
      [3, 'unreadable'],
    ]);
  });
});
