/**
 * Newline-delimited JSON off a byte stream (the replication stream's two directions): chunks in,
 * whole lines out, each bounded in bytes so a peer can never make the reader buffer without end.
 */

export class LineTooLong extends Error {
  override name = 'LineTooLong';

  constructor(readonly maxLineBytes: number) {
    super(`a line of the stream is longer than ${maxLineBytes} bytes`);
  }
}

const NEWLINE = 0x0a;

export class NdjsonLines {
  private parts: Buffer[] = [];
  private partBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** The lines `chunk` completes (as text, without their newline); throws LineTooLong past the bound. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.take(chunk.subarray(start, end));
      const line = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.partBytes);
      lines.push(line.toString('utf8'));
      this.parts = [];
      this.partBytes = 0;
      start = end + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
    return lines;
  }

  /** Bytes of a line begun and not ended. */
  get pendingBytes(): number {
    return this.partBytes;
  }

  private take(part: Buffer): void {
    this.partBytes += part.length;
    if (this.partBytes > this.maxLineBytes) throw new LineTooLong(this.maxLineBytes);
    this.parts.push(part);
  }
}
