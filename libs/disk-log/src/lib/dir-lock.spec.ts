import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiskLog } from './disk-log';
import { isDiskLogError } from './errors';
import type { DiskLogWarning } from './recovery';
import { useTempDirs } from './test-dirs';

/** A pid that certainly ran and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid as number;
}

describe('directory lock', () => {
  const temp = useTempDirs();

  it('refuses a second open of the same directory while the first is open, and allows it after close', async () => {
    const dir = temp.make();
    const first = await DiskLog.open({ dir, fsync: 'off' });
    const second = DiskLog.open({ dir, fsync: 'off' });
    await expect(second).rejects.toMatchObject({ code: 'log_locked', fatal: true });
    await expect(second).rejects.toThrow(/another node uses this data directory/);
    expect(readFileSync(join(dir, 'LOCK'), 'utf8').trim()).toBe(String(process.pid));
    await first.close();
    const again = await DiskLog.open({ dir, fsync: 'off' });
    await again.close();
  });

  const staleCases: { name: string; lockBody: () => string }[] = [
    { name: 'the pid has exited (a node killed with SIGKILL)', lockBody: () => `${deadPid()}\n` },
    {
      name: 'the pid is our own but this process holds no lock (a container restarted on its volume, pid 1 again)',
      lockBody: () => `${process.pid}\n`,
    },
    { name: 'the lock file is empty (a crash between create and write)', lockBody: () => '' },
  ];
  it.each(staleCases)('takes over a stale lock when $name, and warns', async ({ lockBody }) => {
    const dir = temp.make();
    writeFileSync(join(dir, 'LOCK'), lockBody());
    const warnings: DiskLogWarning[] = [];
    const log = await DiskLog.open({ dir, fsync: 'off', onWarn: (warning) => warnings.push(warning) });
    expect(warnings.map((warning) => warning.event)).toEqual(['stale_lock']);
    expect(readFileSync(join(dir, 'LOCK'), 'utf8').trim()).toBe(String(process.pid));
    await log.close();
  });

  it('refuses when the pid in the lock is another running process', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'LOCK'), '4242\n');
    const open = DiskLog.open({ dir, fsync: 'off', isProcessAlive: (pid) => pid === 4242 });
    await expect(open).rejects.toMatchObject({ code: 'log_locked', details: { pid: 4242 } });
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe('4242\n');
  });

  it('releases the lock when open fails after taking it, so a repaired start can take it', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'segment-0000000000000005.log'), ''); // records 0..4 missing: a hole
    const failed = await DiskLog.open({ dir, fsync: 'off' }).catch((error: unknown) => error);
    expect(isDiskLogError(failed, 'log_corrupt')).toBe(true);
    await expect(DiskLog.open({ dir, fsync: 'off' })).rejects.toMatchObject({ code: 'log_corrupt' });
  });
});
