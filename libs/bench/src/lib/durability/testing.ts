/**
 * Test fakes for the durability sweep: records with plausible defaults, overridden per test.
 * Not exported from the library's index.
 */
import type { CrashRecord, DurabilityCell, DurabilityWrite, LossCheckRow } from './durability-records';

export function fakeDurabilityWrite(overrides: Partial<DurabilityWrite> = {}): DurabilityWrite {
  const w = overrides.w ?? 2;
  const r = overrides.r ?? 2;
  const seq = overrides.seq ?? 0;
  return {
    w,
    r,
    seq,
    key: `d-w${w}-r${r}-${seq}`,
    value: `v-${seq}`,
    beforeCrash: 0,
    cutFollowers: [],
    startMs: 0,
    latencyMs: 1,
    outcome: 'ok',
    httpStatus: 200,
    error: null,
    lsn: seq + 1,
    epoch: 1,
    acks: w,
    ...overrides,
  };
}

export function fakeCrash(overrides: Partial<CrashRecord> = {}): CrashRecord {
  return {
    w: 2,
    r: 2,
    index: 0,
    cutBefore: [3, 4, 5],
    holders: [1, 2],
    recoveryCut: [1, 2],
    adversarial: true,
    writesBefore: 5,
    acknowledgedBefore: 5,
    killedAtMs: 100,
    recoveredUnderCut: true,
    recovered: true,
    recoveryMs: 50,
    epoch: 2,
    recovery: null,
    ...overrides,
  };
}

export function fakeCheck(overrides: Partial<LossCheckRow> = {}): LossCheckRow {
  return { w: 2, r: 2, key: 'd-w2-r2-0', seq: 0, finding: 'present', httpStatus: 200, ...overrides };
}

export function fakeCell(w: number, r: number, overrides: Partial<DurabilityCell> = {}): DurabilityCell {
  const followers = overrides.followers ?? 5;
  return {
    w,
    r,
    followers,
    writes: 20,
    acknowledged: 20,
    lost: 0,
    unreadable: 0,
    lostFraction: 0,
    crashes: 2,
    adversarialCrashes: w + r <= followers ? 2 : 0,
    recoveries: 2,
    modelVerdict: w + r > followers ? 'no loss' : 'may lose',
    status: 'held',
    ...overrides,
  };
}
