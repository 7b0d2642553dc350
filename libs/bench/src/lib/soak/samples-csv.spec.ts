import { SAMPLE_COLUMNS, samplesCsv } from './samples-csv';
import { fakeSamples } from './testing';

describe('samplesCsv', () => {
  it('writes one row per sample and node under the header', () => {
    const csv = samplesCsv(
      fakeSamples(() => 64.123456, { durationS: 4, intervalS: 2, nodes: ['leader', 'follower1'] }),
    );
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(SAMPLE_COLUMNS.join(','));
    expect(lines[0]).toBe(
      'tS,node,rssMiB,heapUsedMiB,leaderLsn,logEntries,maxLagEntries,writesSent,writesOk,latencyMsP99SoFar',
    );
    expect(lines).toHaveLength(1 + 3 * 2);
    expect(lines[3]).toBe('2,leader,64.123,32.062,400,,1,400,400,12.5'); // no log-size gauge: empty field
  });

  it('leaves the memory of a node that could not be read empty', () => {
    const csv = samplesCsv(fakeSamples(() => null, { durationS: 0, nodes: ['leader'] }));
    expect(csv.split('\n')[1]).toBe('0,leader,,,0,,1,0,0,12.5');
  });
});
