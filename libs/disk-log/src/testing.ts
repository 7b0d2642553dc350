/** Test fakes for callers of this library: a file system that fails on demand. */
import type { LogFile, LogFileSystem, OpenMode } from './lib/file-system';
import { nodeFileSystem } from './lib/file-system';

/** Which operations fail next, with which errno. Change the fields while a test runs. */
export interface FaultPlan {
  /** fsync of a file (segment, snapshot, lock) fails with this errno. */
  syncErrno?: string;
  /** fsync of a directory fails with this errno. */
  syncDirErrno?: string;
  /** A write fails with this errno, after writing `partialWriteBytes` of it (a torn write). */
  writeErrno?: string;
  partialWriteBytes?: number;
  /** Creating a file fails with this errno. */
  createErrno?: string;
}

/** Counts what the log asked of the file system, so tests can see fsyncs happen (or not). */
export interface FaultyFileSystem extends LogFileSystem {
  plan: FaultPlan;
  calls: { sync: number; syncDir: number; writev: number };
}

function errnoError(code: string, op: string): Error {
  return Object.assign(new Error(`${code}: injected failure of ${op}`), { code });
}

/** Wraps the real file system (or another) and fails what `plan` says. */
export function faultyFileSystem(base: LogFileSystem = nodeFileSystem, plan: FaultPlan = {}): FaultyFileSystem {
  const calls = { sync: 0, syncDir: 0, writev: 0 };
  const wrap = (file: LogFile): LogFile => ({
    async writev(buffers, position) {
      calls.writev += 1;
      if (plan.writeErrno) {
        const partial = Buffer.concat(buffers).subarray(0, plan.partialWriteBytes ?? 0);
        if (partial.length > 0) await file.writev([partial], position);
        throw errnoError(plan.writeErrno, 'write');
      }
      return file.writev(buffers, position);
    },
    read: (buffer, offset, length, position) => file.read(buffer, offset, length, position),
    async sync() {
      calls.sync += 1;
      if (plan.syncErrno) throw errnoError(plan.syncErrno, 'fsync');
      return file.sync();
    },
    truncate: (lengthBytes) => file.truncate(lengthBytes),
    sizeBytes: () => file.sizeBytes(),
    close: () => file.close(),
  });
  const fs: FaultyFileSystem = {
    plan,
    calls,
    async open(path: string, mode: OpenMode) {
      if (mode === 'create-exclusive' && plan.createErrno) throw errnoError(plan.createErrno, 'create');
      return wrap(await base.open(path, mode));
    },
    readdir: (dir) => base.readdir(dir),
    mkdir: (dir) => base.mkdir(dir),
    rename: (from, to) => base.rename(from, to),
    unlink: (path) => base.unlink(path),
    async syncDir(dir) {
      calls.syncDir += 1;
      if (plan.syncDirErrno) throw errnoError(plan.syncDirErrno, 'fsync of a directory');
      return base.syncDir(dir);
    },
  };
  return fs;
}
