import { z } from 'zod';
import { describeIssue, MAX_DESCRIBED_ISSUES } from './zod-error';

describe('describeIssue', () => {
  const row = z.object({ lsn: z.number(), key: z.string(), ackMode: z.enum(['received', 'applied']) });
  const errorOf = (schema: z.ZodType, value: unknown) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) throw new Error('expected a zod error');
    return parsed.error;
  };

  // Each case: a schema, a bad value, and the one line that describes it.
  test.each([
    {
      why: 'one issue at the root has no path',
      error: errorOf(z.number(), 'x'),
      want: 'Invalid input: expected number, received string',
    },
    {
      why: 'a nested issue names its path as zod does, indices in brackets',
      error: errorOf(z.object({ entries: z.array(row) }), { entries: [{ lsn: 1, key: 'k', ackMode: 'received' }, {}] }),
      want: /^entries\[1\]\.lsn: Invalid input: expected number, received undefined; entries\[1\]\.key: /,
    },
    {
      why: 'a refinement message stays as written',
      error: errorOf(
        z.object({}).refine(() => false, 'needs A or B'),
        {},
      ),
      want: 'needs A or B',
    },
  ])('$why', ({ error, want }) => {
    const line = describeIssue(error);
    expect(line).not.toContain('\n');
    if (typeof want === 'string') expect(line).toBe(want);
    else expect(line).toMatch(want);
  });

  it(`names at most ${MAX_DESCRIBED_ISSUES} issues and counts the rest, so a message stays short`, () => {
    const error = errorOf(z.array(z.number()), ['a', 'b', 'c', 'd', 'e']);
    const line = describeIssue(error);
    expect(line.split('; ')).toHaveLength(MAX_DESCRIBED_ISSUES);
    expect(line).toMatch(/^\[0\]: .*; \[2\]: .* \(and 2 more problems\)$/);
  });
});
