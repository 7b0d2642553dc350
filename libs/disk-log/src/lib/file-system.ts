import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';

/**
 * The file operations the log uses, as a small interface: the node wires `nodeFileSystem`,
 * tests wrap it to inject ENOSPC, EIO or a failing fsync (see `testing.ts`).
 */
export interface LogFile {
  /** Writes all buffers at `position`; resolves with the bytes written (fewer than asked is a failure). */
  writev(buffers: Buffer[], position: number): Promise<number>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  sync(): Promise<void>;
  truncate(lengthBytes: number): Promise<void>;
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

export type OpenMode = 'read' | 'read-write' | 'create-exclusive';

export interface LogFileSystem {
  open(path: string, mode: OpenMode): Promise<LogFile>;
  readdir(dir: string): Promise<string[]>;
  mkdir(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsync of a directory, so a created, renamed or deleted name survives a machine crash. */
  syncDir(dir: string): Promise<void>;
}

const OPEN_FLAGS: Record<OpenMode, number> = {
  read: constants.O_RDONLY,
  'read-write': constants.O_RDWR,
  'create-exclusive': constants.O_RDWR | constants.O_CREAT | constants.O_EXCL,
};

class NodeLogFile implements LogFile {
  constructor(private readonly handle: fsp.FileHandle) {}

  async writev(buffers: Buffer[], position: number): Promise<number> {
    return (await this.handle.writev(buffers, position)).bytesWritten;
  }

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return (await this.handle.read(buffer, offset, length, position)).bytesRead;
  }

  sync(): Promise<void> {
    return this.handle.sync();
  }

  truncate(lengthBytes: number): Promise<void> {
    return this.handle.truncate(lengthBytes);
  }

  async sizeBytes(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

export const nodeFileSystem: LogFileSystem = {
  async open(path, mode) {
    return new NodeLogFile(await fsp.open(path, OPEN_FLAGS[mode], 0o644));
  },
  readdir: (dir) => fsp.readdir(dir),
  async mkdir(dir) {
    await fsp.mkdir(dir, { recursive: true });
  },
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  async syncDir(dir) {
    const handle = await fsp.open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
