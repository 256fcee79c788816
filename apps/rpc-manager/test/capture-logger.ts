/** A pino logger writing to memory, so tests can read every line the code under test logged. */
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

export interface CapturedLogger {
  logger: Logger;
  lines: string[];
  /** All captured output as one string. */
  text(): string;
}

export function captureLogger(level: pino.LevelWithSilent = 'debug'): CapturedLogger {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level }, destination), lines, text: () => lines.join('\n') };
}
