import { AFTER_DRAIN, AT_LAST_ACK, consistencyPoints, consistencySpec, drainVerdict, ENTRIES_BEHIND, KEYS_DIFFERING } from './consistency-spec';
import { asJson, fakeConsistencyRow } from './testing';

describe('consistencyPoints', () => {
  it('gives four values per W and follower: entries and keys, at the last ack and after drain', () => {
    const points = consistencyPoints([fakeConsistencyRow(1, 2, { lsnBehindAtLastAck: 7, differingKeysAtLastAck: 4 })]);
    expect(points).toEqual([
      { w: 1, follower: 'follower 2', moment: AT_LAST_ACK, measure: ENTRIES_BEHIND, value: 7 },
      { w: 1, follower: 'follower 2', moment: AT_LAST_ACK, measure: KEYS_DIFFERING, value: 4 },
      { w: 1, follower: 'follower 2', moment: AFTER_DRAIN, measure: ENTRIES_BEHIND, value: 0 },
      { w: 1, follower: 'follower 2', moment: AFTER_DRAIN, measure: KEYS_DIFFERING, value: 0 },
    ]);
  });

  it('turns an unknown value into null, which JSON can carry', () => {
    const [, , entries] = consistencyPoints([fakeConsistencyRow(1, 1, { lsnBehindAfterDrain: NaN })]);
    expect(entries?.value).toBeNull();
  });
});

describe('consistencySpec', () => {
  const rows = [1, 2].flatMap((w) => [1, 2, 3].map((f) => fakeConsistencyRow(w, f, { lsnBehindAtLastAck: 3 - w, differingKeysAtLastAck: 3 - w })));

  it('draws grouped bars: W on x, one bar per follower, a panel per measure and moment', () => {
    const spec = asJson(consistencySpec(rows));
    expect(spec.data.values).toHaveLength(rows.length * 4);
    expect(spec.facet.row.field).toBe('measure');
    expect(spec.facet.column.field).toBe('moment');
    const bar = spec.spec.layer.find((l: { mark: { type: string } }) => l.mark.type === 'bar');
    expect(bar.encoding.x).toMatchObject({ field: 'w', scale: { domain: [1, 2] } });
    expect(bar.encoding.xOffset).toMatchObject({ field: 'follower', scale: { domain: ['follower 1', 'follower 2', 'follower 3'] } });
    expect(bar.encoding.y.field).toBe('value');
    expect(bar.encoding.color.field).toBe('follower');
  });

  it('says in its subtitle that draining converged', () => {
    expect(asJson(consistencySpec(rows)).title.subtitle.join(' ')).toContain('every follower equals the leader');
  });

  it('says NOT CONVERGED, and where, when a follower still differs after draining', () => {
    const bad = [...rows, fakeConsistencyRow(3, 2, { lsnBehindAfterDrain: 4, differingKeysAfterDrain: 1 })];
    const subtitle = asJson(consistencySpec(bad)).title.subtitle.join(' ');
    expect(subtitle).toContain('NOT CONVERGED at W=3');
    expect(subtitle).toContain('1 follower still differs');
  });

  it('counts a follower that could not be checked after draining as not converged', () => {
    expect(drainVerdict([fakeConsistencyRow(1, 1, { differingKeysAfterDrain: NaN })])[0]).toMatch(/^NOT CONVERGED/);
  });
});
