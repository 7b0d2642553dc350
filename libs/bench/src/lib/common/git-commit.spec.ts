import { gitCommit, type RevParse } from './git-commit';

const HASH = 'a'.repeat(40);

describe('gitCommit', () => {
  it.each<{ why: string; revParse: RevParse; want: string }>([
    { why: 'the hash git prints, without its newline', revParse: () => `${HASH}\n`, want: HASH },
    { why: 'a SHA-256 repository has 64-digit hashes', revParse: () => 'b'.repeat(64), want: 'b'.repeat(64) },
    {
      why: 'no git or no repository: git fails',
      revParse: () => {
        throw new Error('spawn git ENOENT');
      },
      want: 'unknown',
    },
    { why: 'a repository without a commit prints "HEAD", not a hash', revParse: () => 'HEAD\n', want: 'unknown' },
    { why: 'nothing at all', revParse: () => '', want: 'unknown' },
  ])('$why', ({ revParse, want }) => {
    expect(gitCommit('/somewhere', revParse)).toBe(want);
  });

  it('asks git in the folder it is given', () => {
    const seen: string[] = [];
    gitCommit('/the/repo', (cwd) => (seen.push(cwd), HASH));
    expect(seen).toEqual(['/the/repo']);
  });
});
