/**
 * One connection to Redis for the benchmark: commands go out in order, replies come back in the
 * same order (RESP has no request ids), so pending callers wait in a FIFO. `setWait` pipelines
 * `SET` and `WAIT k` in one packet, as a client wanting a write on k replicas does.
 */
import net from 'node:net';
import { encodeCommand, RespError, RespParser, type RespValue } from './resp';

export class RedisConnection {
  private readonly parser = new RespParser();
  private readonly pending: Array<{ resolve: (v: RespValue) => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const reply of this.parser.push(chunk)) this.pending.shift()?.resolve(reply);
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.splice(0)) p.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RedisConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => {
        socket.removeListener('error', reject);
        resolve(new RedisConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  command(args: readonly (string | number)[]): Promise<RespValue> {
    return this.send([args])[0] as Promise<RespValue>;
  }

  /** SET then WAIT in one write; resolves with null when `replicas` acked in time, else an error code. */
  async setWait(key: string, value: string, replicas: number, timeoutMs: number): Promise<string | null> {
    const [set, wait] = this.send([
      ['SET', key, value],
      ['WAIT', replicas, timeoutMs],
    ]);
    try {
      const [setReply, acked] = await Promise.all([set, wait]);
      if (setReply instanceof RespError) return 'set_refused';
      if (acked instanceof RespError) return 'wait_refused';
      return typeof acked === 'number' && acked >= replicas ? null : 'wait_timeout';
    } catch {
      return 'no_answer';
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private send(commands: ReadonlyArray<readonly (string | number)[]>): Promise<RespValue>[] {
    if (this.failure) return commands.map(() => Promise.reject(this.failure));
    const replies = commands.map(
      () => new Promise<RespValue>((resolve, reject) => this.pending.push({ resolve, reject })),
    );
    this.socket.write(Buffer.concat(commands.map(encodeCommand)));
    return replies;
  }
}

/** Connections handed out to one write at a time; a write finding none free waits its turn (open loop). */
export class RedisPool {
  private readonly waiting: Array<(c: RedisConnection) => void> = [];

  constructor(private readonly free: RedisConnection[]) {}

  async use<T>(work: (c: RedisConnection) => Promise<T>): Promise<T> {
    const connection = this.free.pop() ?? (await new Promise<RedisConnection>((r) => this.waiting.push(r)));
    try {
      return await work(connection);
    } finally {
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.free.push(connection);
    }
  }
}
