import { join } from 'node:path';
import { DiskLogError, errnoCode } from './errors';
import type { LogFileSystem } from './file-system';
import { LOCK_FILE } from './file-names';

/** Whether a pid names a running process: signal 0 checks without sending anything. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM'; // alive, owned by another user
  }
}

export interface LockOptions {
  fs: LogFileSystem;
  /** This process's pid (injected by tests). */
  pid: number;
  isProcessAlive: (pid: number) => boolean;
  onStaleLock: (stale: { file: string; pid: number | undefined }) => void;
}

/** Directories this process holds, so a second open here is refused even though the pid is alive. */
const heldByThisProcess = new Set<string>();

export interface DirLock {
  release(): Promise<void>;
}

/**
 * Takes the directory's lock: `LOCK` created with O_EXCL, holding our pid. As PostgreSQL's
 * postmaster.pid, a lock is stale when its pid is not running, or is our own pid while this
 * process does not hold the directory (a container restarted on its volume runs as the same
 * pid 1). A stale lock is reported and taken over. Two hosts (or pid namespaces) sharing one
 * directory are not told apart: give each node its own volume.
 */
export async function lockDirectory(dir: string, options: LockOptions): Promise<DirLock> {
  const file = join(dir, LOCK_FILE);
  if (heldByThisProcess.has(file)) throw lockedError(file, options.pid);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await options.fs.open(file, 'create-exclusive');
      try {
        const body = Buffer.from(`${options.pid}\n`);
        await handle.writev([body], 0);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await options.fs.syncDir(dir);
      heldByThisProcess.add(file);
      return { release: () => releaseLock(file, options.fs) };
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST' || attempt > 0) throw error;
    }
    const holderPid = await readLockPid(file, options.fs);
    const stale = holderPid === undefined || holderPid === options.pid || !options.isProcessAlive(holderPid);
    if (!stale) throw lockedError(file, holderPid);
    options.onStaleLock({ file, pid: holderPid });
    await options.fs.unlink(file);
  }
}

async function releaseLock(file: string, fs: LogFileSystem): Promise<void> {
  if (!heldByThisProcess.delete(file)) return;
  await fs.unlink(file);
}

async function readLockPid(file: string, fs: LogFileSystem): Promise<number | undefined> {
  const handle = await fs.open(file, 'read');
  try {
    const buffer = Buffer.alloc(32); // a pid and a newline; anything longer is not ours
    const bytesRead = await handle.read(buffer, 0, buffer.length, 0);
    const pid = Number.parseInt(buffer.subarray(0, bytesRead).toString('utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } finally {
    await handle.close();
  }
}

function lockedError(file: string, pid: number | undefined): DiskLogError {
  return new DiskLogError(
    'log_locked',
    `${file} is held by process ${pid}: another node uses this data directory (stop it, or give each node its own)`,
    { file, pid },
  );
}
