import { compareWithFloor } from '../../floor/floor-comparison';
import { floorFinding, floorLines, floorTable } from './floor-lines';

const floorWrite = (w: number, overheadMs: number) => ({
  w,
  delaysMs: Array.from({ length: w }, () => 0),
  latencyMs: overheadMs,
});
const comparison = (storeAt: Record<number, number>, floorAt: Record<number, number>) =>
  compareWithFloor(
    Object.entries(storeAt).map(([w, overheadMs]) => ({ w: Number(w), overheadMs })),
    Object.entries(floorAt).map(([w, o]) => floorWrite(Number(w), o)),
  );

describe('floorFinding', () => {
  it.each([
    { name: 'met everywhere', store: { 1: 1.2, 2: 1.4 }, floor: { 1: 1, 2: 1 }, says: /met at every W and pooled/ },
    { name: 'missed at one W', store: { 1: 1.2, 2: 3 }, floor: { 1: 1, 2: 1 }, says: /missed at W=2 and pooled/ },
  ])('$name', ({ store, floor, says }) => {
    const text = floorFinding(comparison(store, floor));
    expect(text).toMatch(/^Against the bare relay floor/);
    expect(text).toMatch(says);
  });

  it('gives the pooled figures with the difference and the ratio', () => {
    expect(floorFinding(comparison({ 1: 3 }, { 1: 1 }))).toContain(
      "overhead p50 3.0 ms vs the floor's 1.0 ms (+2.0 ms)",
    );
  });

  it('says so when no W was measured on both sides', () => {
    expect(floorFinding(comparison({ 1: 1 }, { 2: 1 }))).toMatch(/nothing to compare/);
  });
});

describe('floorTable and floorLines', () => {
  it('has one row per W, then the pooled row, with the verdict', () => {
    const lines = floorTable(comparison({ 1: 1.2, 3: 9 }, { 1: 1, 3: 1 })).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^\| W=1 \| 1\.2 \| 1\.0 \| \+0\.2 \| .* \| yes \|$/);
    expect(lines[3]).toMatch(/^\| W=3 \| 9\.0 \| 1\.0 \| \+8\.0 \| .* \| ×9\.00 \| no \|$/);
    expect(lines[4]).toMatch(/^\| pooled \|/);
  });

  it('is empty without a floor', () => {
    expect(floorLines(undefined)).toEqual([]);
    expect(floorLines(comparison({ 1: 1 }, { 1: 1 })).join('\n')).toContain('floor.json');
  });
});
