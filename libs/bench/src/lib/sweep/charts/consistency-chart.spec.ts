import {
  AFTER_DRAIN,
  AT_LAST_ACK,
  consistencyPoints,
  consistencySpec,
  DOWN_LABEL,
  drainVerdict,
  ENTRIES_BEHIND,
  KEYS_DIFFERING,
  unconvergedRows,
} from './consistency-chart';
import { asJson, type SpecLayer, fakeConsistencyRow, fakeDownRow } from './testing';

describe('consistencyPoints', () => {
  it('gives four values per W and follower: entries and keys, at the last ack and after drain', () => {
    const points = consistencyPoints([fakeConsistencyRow(1, 2, { lsnBehindAtLastAck: 7, differingKeysAtLastAck: 4 })]);
    const at = { w: 1, ackMode: 'received', follower: 'follower 2', down: false };
    expect(points).toEqual([
      { ...at, moment: AT_LAST_ACK, measure: ENTRIES_BEHIND, panel: AT_LAST_ACK, value: 7 },
      { ...at, moment: AT_LAST_ACK, measure: KEYS_DIFFERING, panel: AT_LAST_ACK, value: 4 },
      { ...at, moment: AFTER_DRAIN, measure: ENTRIES_BEHIND, panel: AFTER_DRAIN, value: 0 },
      { ...at, moment: AFTER_DRAIN, measure: KEYS_DIFFERING, panel: AFTER_DRAIN, value: 0 },
    ]);
  });

  it('keeps the largest value over the runs, per W and follower', () => {
    const points = consistencyPoints([
      fakeConsistencyRow(1, 1, { run: 0, lsnBehindAtLastAck: 2, differingKeysAtLastAck: 5 }),
      fakeConsistencyRow(1, 1, { run: 1, lsnBehindAtLastAck: 6, differingKeysAtLastAck: 1 }),
      fakeConsistencyRow(1, 1, { run: 2, lsnBehindAtLastAck: NaN, differingKeysAtLastAck: 3 }),
    ]);
    expect(points).toHaveLength(4);
    expect(points.slice(0, 2).map((p) => p.value)).toEqual([6, 5]);
  });

  it('marks a follower stopped on purpose as down, with no value rather than zero', () => {
    const points = consistencyPoints([fakeDownRow(5, 5)]);
    expect(points).toHaveLength(4);
    expect(points.every((p) => p.down && p.value === null)).toBe(true);
  });

  it('names the ack mode in the panel when there are two', () => {
    const points = consistencyPoints([fakeConsistencyRow(1, 1), fakeConsistencyRow(1, 1, { ackMode: 'applied' })]);
    expect([...new Set(points.map((p) => p.panel))]).toEqual([
      `${AT_LAST_ACK} (received)`,
      `${AFTER_DRAIN} (received)`,
      `${AT_LAST_ACK} (applied)`,
      `${AFTER_DRAIN} (applied)`,
    ]);
  });

  it('turns an unknown value into null, which JSON can carry', () => {
    const [, , entries] = consistencyPoints([fakeConsistencyRow(1, 1, { lsnBehindAfterDrain: NaN })]);
    expect(entries?.value).toBeNull();
  });
});

describe('consistencySpec', () => {
  const rows = [1, 2].flatMap((w) =>
    [1, 2, 3].map((f) => fakeConsistencyRow(w, f, { lsnBehindAtLastAck: 3 - w, differingKeysAtLastAck: 3 - w })),
  );

  it('draws grouped bars: W on x, one bar per follower, a panel per measure and moment', () => {
    const spec = asJson(consistencySpec(rows));
    expect(spec.data.values).toHaveLength(rows.length * 4);
    expect(spec.facet.row.field).toBe('measure');
    expect(spec.facet.column).toMatchObject({ field: 'panel', sort: [AT_LAST_ACK, AFTER_DRAIN] });
    expect(spec.resolve.scale.y).toBe('independent');
    const bar = spec.spec.layer.find((l: { mark: { type: string } }) => l.mark.type === 'bar');
    expect(bar.encoding.x).toMatchObject({ field: 'w', scale: { domain: [1, 2] } });
    expect(bar.encoding.xOffset).toMatchObject({
      field: 'follower',
      scale: { domain: ['follower 1', 'follower 2', 'follower 3'] },
    });
    expect(bar.encoding.y.field).toBe('value');
    expect(bar.encoding.color.field).toBe('follower');
  });

  it('says in its subtitle that draining converged', () => {
    expect(asJson(consistencySpec(rows)).title.subtitle.join(' ')).toContain('every live follower equals the leader');
  });

  it('labels a stopped follower "down" in its slot instead of drawing a bar, and does not call it unconverged', () => {
    const withDown = [...rows, fakeDownRow(1, 5), fakeDownRow(2, 5)];
    const spec = asJson(consistencySpec(withDown));
    const label = spec.spec.layer.find((l: SpecLayer) => l.mark.type === 'text');
    expect(label.mark.text).toBe(DOWN_LABEL);
    expect(label.transform[0].filter).toBe('datum.down');
    expect(label.encoding.xOffset.field).toBe('follower');
    expect(label.encoding.y.datum).toBe(0);
    expect(spec.facet.row.field).toBe('measure');
    const subtitle = spec.title.subtitle.join(' ');
    expect(subtitle).toContain('Follower 5 was stopped on purpose');
    expect(subtitle).not.toContain('NOT CONVERGED');
    expect(unconvergedRows(withDown)).toEqual([]);
  });

  it('draws no "down" layer when every follower ran', () => {
    expect(asJson(consistencySpec(rows)).spec.layer.map((l: SpecLayer) => l.mark.type)).toEqual(['bar', 'tick']);
  });

  it('with two ack modes and repeats: four columns on one scale, the largest over the runs', () => {
    const many = (['received', 'applied'] as const).flatMap((ackMode) =>
      [0, 1].map((run) => fakeConsistencyRow(1, 1, { ackMode, run, lsnBehindAtLastAck: run + 1 })),
    );
    const spec = asJson(consistencySpec(many));
    expect(spec.facet.column.sort).toEqual([
      `${AT_LAST_ACK} (received)`,
      `${AT_LAST_ACK} (applied)`,
      `${AFTER_DRAIN} (received)`,
      `${AFTER_DRAIN} (applied)`,
    ]);
    expect(spec.resolve.scale.y).toBe('shared');
    expect(spec.data.values).toHaveLength(2 * 4);
    expect(spec.title.subtitle.join(' ')).toContain('largest value over the 2 runs');
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
