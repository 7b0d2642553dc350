import { apiErrorOf } from '@quorum-kv/replication-protocol';
import { parseQuorum } from './write-quorum';

describe('parseQuorum', () => {
  const n = 5;
  const defaultW = 3;
  const valid: Array<{ query: unknown; header: unknown; want: number; why: string }> = [
    { query: undefined, header: undefined, want: defaultW, why: 'neither given: the default' },
    { query: '2', header: undefined, want: 2, why: 'from ?w=' },
    { query: undefined, header: '4', want: 4, why: 'from X-Write-Quorum' },
    { query: '2', header: '2', want: 2, why: 'both given and agreeing' },
    { query: '1', header: undefined, want: 1, why: 'lowest W' },
    { query: '5', header: undefined, want: 5, why: 'W = N' },
    { query: '05', header: '5', want: 5, why: 'leading zero is the same number' },
    { query: ['2'], header: undefined, want: 2, why: 'a one-element array is one value' },
  ];
  test.each(valid)('$why -> $want', ({ query, header, want }) => {
    expect(parseQuorum(query, header, defaultW, n)).toBe(want);
  });

  const invalid: Array<{ query: unknown; header: unknown; why: string }> = [
    { query: '2', header: '3', why: 'query and header disagree' },
    { query: '0', header: undefined, why: 'below 1' },
    { query: '6', header: undefined, why: 'above N' },
    { query: undefined, header: '6', why: 'header above N' },
    { query: '-1', header: undefined, why: 'negative' },
    { query: '1.5', header: undefined, why: 'not an integer' },
    { query: '2.0', header: undefined, why: 'integer written as a decimal' },
    { query: '1e0', header: undefined, why: 'exponent notation' },
    { query: ' 2', header: undefined, why: 'blank around it' },
    { query: '', header: undefined, why: 'empty ?w=' },
    { query: undefined, header: '', why: 'empty header' },
    { query: 'two', header: undefined, why: 'not a number' },
    { query: ['1', '2'], header: undefined, why: 'repeated ?w=1&w=2' },
    { query: [], header: undefined, why: 'empty array' },
    { query: { w: '1' }, header: undefined, why: 'nested query object' },
    { query: '2', header: 'x', why: 'valid query, invalid header' },
  ];
  // A W the leader cannot honour is refused before the write, as a definite 400.
  test.each(invalid)('rejects $why', ({ query, header }) => {
    const error = apiErrorOf(() => parseQuorum(query, header, defaultW, n));
    expect(error.code).toBe('invalid_quorum');
    expect(error.definite).toBe(true);
  });
});
