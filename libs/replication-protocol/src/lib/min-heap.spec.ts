import { MinHeap } from './min-heap';
import { createRng } from './random';

describe('MinHeap', () => {
  it('pops in ascending order whatever the push order (seeded shuffles)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed, 0);
      const values = Array.from({ length: 200 }, () => Math.floor(rng.next() * 50));
      const heap = new MinHeap<number>((a, b) => a - b);
      values.forEach((v) => heap.push(v));
      const popped: number[] = [];
      while (heap.size > 0) popped.push(heap.pop() as number);
      expect({ seed, popped }).toEqual({ seed, popped: [...values].sort((a, b) => a - b) });
    }
  });
  it('is empty-safe: peek and pop give undefined', () => {
    const heap = new MinHeap<number>((a, b) => a - b);
    expect([heap.peek(), heap.pop(), heap.size]).toEqual([undefined, undefined, 0]);
  });
});
