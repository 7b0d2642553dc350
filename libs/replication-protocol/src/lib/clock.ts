/** Time, passed in: the apps wire the real one, tests a fake one (see `testing.ts`). */
export interface Clock {
  /** Milliseconds, monotonic, with sub-millisecond precision where the platform has it. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Opaque to the protocol code; whatever the clock's setTimeout returns. */
export type TimerHandle = unknown;
