import fc from 'fast-check';
import { findInexactNumber, inexactNumberReason } from './exact-numbers';

describe('inexactNumberReason', () => {
  // Each case: a literal as written, and whether a JS number keeps it exactly.
  test.each([
    { why: 'the largest safe integer is exact', literal: '9007199254740991', inexact: false },
    { why: 'the smallest safe integer is exact', literal: '-9007199254740991', inexact: false },
    { why: 'one past the safe range reads back as its neighbour', literal: '9007199254740993', inexact: true },
    { why: 'negative beyond the safe range too', literal: '-9007199254740993', inexact: true },
    {
      why: 'an integer written with a zero fraction is still that integer',
      literal: '9007199254740993.0',
      inexact: true,
    },
    { why: 'a float in exponent form is a float, kept as the nearest double', literal: '1e20', inexact: false },
    { why: '-0 becomes 0 in every JSON answer', literal: '-0', inexact: true },
    { why: '-0.0 is -0 too', literal: '-0.0', inexact: true },
    { why: '0 is exact', literal: '0', inexact: false },
    { why: '0e5 is a zero written as zero', literal: '0e5', inexact: false },
    { why: 'a tiny number underflows to 0', literal: '1e-400', inexact: true },
    { why: 'a negative tiny number underflows to -0', literal: '-1e-400', inexact: true },
    { why: 'the smallest subnormal is kept', literal: '5e-324', inexact: false },
    { why: 'a huge number overflows', literal: '1e400', inexact: true },
    { why: 'an ordinary fraction is the nearest double, as JSON means', literal: '0.1', inexact: false },
  ])('$literal: $why', ({ literal, inexact }) => {
    expect(inexactNumberReason(literal) !== undefined).toBe(inexact);
  });
});

describe('findInexactNumber', () => {
  test.each([
    { why: 'a number inside a string is text, not a number', text: '{"v":"9007199254740993"}', found: false },
    { why: 'an escaped quote does not end the string', text: '{"v":"a\\"9007199254740993"}', found: false },
    { why: 'an escaped backslash before the quote does end it', text: '{"v":["a\\\\",9007199254740993]}', found: true },
    { why: 'a number deep in arrays is found', text: '{"value":[[1,2,[-0]]]}', found: true },
    { why: 'a key that looks like a number is a string', text: '{"-0":1}', found: false },
    { why: 'plain values pass', text: '{"value":{"a":1.5,"b":-3,"c":[true,null,"x"]}}', found: false },
  ])('$why', ({ text, found }) => {
    JSON.parse(text); // every case is valid JSON
    expect(findInexactNumber(text) !== undefined).toBe(found);
  });

  it('flags exactly the digit-written integers beyond the safe range, in any JSON a round trip yields', () => {
    // JSON.stringify writes integers below 1e21 as plain digits, from 1e21 up in exponent form
    // (a float literal, kept as the nearest double, as JSON means it).
    const value = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(
      fc.property(value, (v) => {
        expect(findInexactNumber(JSON.stringify(v)) !== undefined).toBe(hasDigitWrittenUnsafeInteger(v));
      }),
      { seed: 12, numRuns: 500 },
    );
  });
});

function hasDigitWrittenUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number')
    return !Number.isSafeInteger(value) && Number.isInteger(value) && Math.abs(value) < 1e21;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(hasDigitWrittenUnsafeInteger);
}
