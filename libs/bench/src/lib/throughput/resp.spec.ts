import { encodeCommand, RespError, RespParser, type RespValue } from './resp';

describe('encodeCommand', () => {
  it('sends every argument as a bulk string, its length in bytes (not characters)', () => {
    expect(encodeCommand(['SET', 'k1', 'é']).toString()).toBe('*3\r\n$3\r\nSET\r\n$2\r\nk1\r\n$2\r\né\r\n');
  });
  it('turns numbers into their decimal text', () => {
    expect(encodeCommand(['WAIT', 3, 2000]).toString()).toBe('*3\r\n$4\r\nWAIT\r\n$1\r\n3\r\n$4\r\n2000\r\n');
  });
});

describe('RespParser', () => {
  const cases: Array<{ name: string; chunks: string[]; replies: RespValue[] }> = [
    { name: 'a simple string', chunks: ['+OK\r\n'], replies: ['OK'] },
    { name: 'an integer (WAIT answers how many replicas acked)', chunks: [':3\r\n'], replies: [3] },
    { name: 'an error keeps its message', chunks: ['-ERR wrong\r\n'], replies: [new RespError('ERR wrong')] },
    { name: 'a bulk string may hold CRLF inside', chunks: ['$4\r\na\r\nb\r\n'], replies: ['a\r\nb'] },
    { name: 'a null bulk string', chunks: ['$-1\r\n'], replies: [null] },
    { name: 'an array of mixed replies', chunks: ['*2\r\n:1\r\n$1\r\nx\r\n'], replies: [[1, 'x']] },
    { name: 'two replies in one packet (SET and WAIT pipelined)', chunks: ['+OK\r\n:2\r\n'], replies: ['OK', 2] },
    { name: 'a reply split mid-line waits for the rest', chunks: ['+O', 'K\r\n'], replies: ['OK'] },
    { name: 'a bulk string split mid-payload waits for the rest', chunks: ['$5\r\nab', 'cde\r\n'], replies: ['abcde'] },
    { name: 'an array split between items waits for the rest', chunks: ['*2\r\n:1\r\n', ':2\r\n'], replies: [[1, 2]] },
  ];
  it.each(cases)('parses $name', ({ chunks, replies }) => {
    const parser = new RespParser();
    const seen = chunks.flatMap((c) => parser.push(Buffer.from(c)));
    expect(seen).toEqual(replies);
  });

  it('returns nothing until a reply is whole, then exactly that reply once', () => {
    const parser = new RespParser();
    expect(parser.push(Buffer.from(':4'))).toEqual([]);
    expect(parser.push(Buffer.from('2\r\n'))).toEqual([42]);
    expect(parser.push(Buffer.from('+OK\r\n'))).toEqual(['OK']);
  });

  it('refuses a byte that starts no RESP reply (the stream is out of step)', () => {
    expect(() => new RespParser().push(Buffer.from('?\r\n'))).toThrow(/not a RESP reply/);
  });
});
