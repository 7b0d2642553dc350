/** What `append` gives back: one promise per durability level, as the FSYNC mode sees them. */
export interface AppendReceipt {
  /** The record's number in the log (0, 1, 2, ... over the log's whole life). */
  readonly seq: number;
  /** Resolves once the record is handed to the OS: a process crash no longer loses it. */
  readonly written: Promise<void>;
  /**
   * Resolves once an fsync covering the record is done: a machine crash no longer loses it.
   * Made on first use, so receipts nobody asks this of cost nothing to track. Waiting on it
   * does not start an fsync under `batch` or `off` (`sync()` does).
   */
  readonly durable: Promise<void>;
  /** What the FSYNC mode waits for before an acknowledgement: `durable` under `always`, else `written`. */
  readonly committed: Promise<void>;
}

export class Receipt implements AppendReceipt {
  private durablePromise: Promise<void> | undefined;

  constructor(
    readonly seq: number,
    readonly written: Promise<void>,
    private readonly waitDurable: (seq: number) => Promise<void>,
    private readonly commitsWhenDurable: boolean,
  ) {}

  get durable(): Promise<void> {
    this.durablePromise ??= this.written.then(() => this.waitDurable(this.seq));
    return this.durablePromise;
  }

  get committed(): Promise<void> {
    return this.commitsWhenDurable ? this.durable : this.written;
  }
}
