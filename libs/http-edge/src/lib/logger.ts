/** Structured JSON logs (pino), one line per event worth reading. */
import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export function createLogger(name: string, level: LevelWithSilent): Logger {
  return pino({ name, level, base: { role: name, pid: process.pid } });
}
