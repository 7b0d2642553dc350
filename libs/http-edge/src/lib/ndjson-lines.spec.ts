import { LineTooLong, NdjsonLines } from './ndjson-lines';

describe('NdjsonLines', () => {
  // Each case: chunks as they arrive, and the lines they complete, in order.
  test.each([
    { name: 'one line per chunk', chunks: ['{"a":1}\n', '{"b":2}\n'], lines: ['{"a":1}', '{"b":2}'] },
    { name: 'two lines in one chunk', chunks: ['{"a":1}\n{"b":2}\n'], lines: ['{"a":1}', '{"b":2}'] },
    { name: 'a line split over three chunks', chunks: ['{"a"', ':', '1}\n'], lines: ['{"a":1}'] },
    { name: 'an unfinished line waits', chunks: ['{"a":1}\n{"b"'], lines: ['{"a":1}'] },
    { name: 'an empty line is a line', chunks: ['\n'], lines: [''] },
  ])('$name', ({ chunks, lines }) => {
    const reader = new NdjsonLines(1024);
    expect(chunks.flatMap((chunk) => reader.push(Buffer.from(chunk)))).toEqual(lines);
  });

  it('joins a character whose UTF-8 bytes are split between chunks', () => {
    const bytes = Buffer.from('"é€"\n');
    const reader = new NdjsonLines(1024);
    expect([...reader.push(bytes.subarray(0, 2)), ...reader.push(bytes.subarray(2))]).toEqual(['"é€"']);
  });

  it('refuses a line longer than its bound, even before its newline comes', () => {
    const reader = new NdjsonLines(8);
    expect(reader.push(Buffer.from('12345678\n'))).toEqual(['12345678']);
    expect(() => reader.push(Buffer.from('123456789'))).toThrow(LineTooLong);
    expect(() => new NdjsonLines(8).push(Buffer.from('1234\n12345', 'utf8').subarray(0, 5))).not.toThrow();
  });
});
