import { ecdfPoints } from './ecdf';

describe('ecdfPoints', () => {
  it('starts at 0 on the smallest value and steps up by 1/n at every sorted value', () => {
    expect(ecdfPoints([30, 10, 20, 40])).toEqual([
      { x: 10, fraction: 0 },
      { x: 10, fraction: 0.25 },
      { x: 20, fraction: 0.5 },
      { x: 30, fraction: 0.75 },
      { x: 40, fraction: 1 },
    ]);
  });

  it('gives nothing for an empty sample and ignores values that are not finite numbers', () => {
    expect(ecdfPoints([])).toEqual([]);
    expect(ecdfPoints([Number.NaN, 5, Number.POSITIVE_INFINITY])).toEqual([
      { x: 5, fraction: 0 },
      { x: 5, fraction: 1 },
    ]);
  });

  it('thins a large sample to maxPoints ranks, keeping the smallest and largest value', () => {
    const values = Array.from({ length: 1001 }, (_, i) => i);
    const points = ecdfPoints(values, 11);
    expect(points).toHaveLength(12); // the starting 0 plus 11 ranks
    expect(points[1]).toEqual({ x: 0, fraction: 1 / 1001 });
    expect(points[points.length - 1]).toEqual({ x: 1000, fraction: 1 });
    expect(points.map((p) => p.x)).toEqual([0, 0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('does not modify its input', () => {
    const values = [3, 1, 2];
    ecdfPoints(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rejects a maxPoints below 2', () => {
    expect(() => ecdfPoints([1, 2, 3], 1)).toThrow(RangeError);
  });
});
