import { outputFiles, resultsLine, type WriteFileFn } from './output-files';

function fakeDisk(failing: readonly string[] = []) {
  const written: string[] = [];
  const write: WriteFileFn = async (file) => {
    if (failing.some((name) => file.endsWith(`/${name}`))) throw new Error(`EACCES: ${file}`);
    written.push(file);
  };
  return { written, write };
}

describe('outputFiles', () => {
  it('writes into its folder and records each name in the order written', async () => {
    const disk = fakeDisk();
    const files = outputFiles('/runs/r1', disk.write);
    await files.write('config.json', '{}');
    await files.write('summary.csv', 'w\n');
    files.add('chart.svg', 'chart.png');
    expect(disk.written).toEqual(['/runs/r1/config.json', '/runs/r1/summary.csv']);
    expect(files.names).toEqual(['config.json', 'summary.csv', 'chart.svg', 'chart.png']);
  });

  it.each([
    {
      why: 'a file written twice is listed once',
      act: async (f: ReturnType<typeof outputFiles>) => {
        await f.write('report.md', 'a');
        await f.write('report.md', 'b');
      },
      want: ['report.md'],
    },
    {
      why: 'a write that failed is not listed',
      act: async (f: ReturnType<typeof outputFiles>) => {
        await f.write('writes.json', '[]').catch(() => undefined);
        await f.write('summary.json', '[]');
      },
      want: ['summary.json'],
    },
    { why: 'nothing written, nothing listed', act: async () => undefined, want: [] },
  ])('$why', async ({ act, want }) => {
    const files = outputFiles('/runs/r1', fakeDisk(['writes.json']).write);
    await act(files);
    expect(files.names).toEqual(want);
  });

  it('hands out a copy, so callers cannot change the record', () => {
    const files = outputFiles('/runs/r1', fakeDisk().write);
    files.add('a.json');
    (files.names as string[]).push('b.json');
    expect(files.names).toEqual(['a.json']);
  });
});

describe('resultsLine', () => {
  it.each([
    {
      why: 'names the folder and every file',
      files: ['config.json', 'report.md', 'report.html'],
      want: 'results in runs/x: config.json, report.md, report.html',
    },
    { why: 'says so when nothing was written', files: [], want: 'results in runs/x: no file written' },
  ])('$why', ({ files, want }) => {
    expect(resultsLine('runs/x', files)).toBe(want);
  });
});
