/**
 * Drift events decoded leniently: an event the program logged with fewer trailing bytes than the
 * SDK's IDL describes (an older program: 2.84's `OrderActionRecord` lacks the newest optional
 * fields) is decoded with the missing tail read as zeros, i.e. those `Option`s as `None`. Without
 * this the SDK's log parser throws on the first such event and the whole transaction's events
 * (fills included) are lost.
 */
import type { DriftClient } from '@drift-labs/sdk';

type Program = DriftClient['program'];
type EventCoder = Program['coder']['events'];

/** More than any trailing run of optional fields newer IDLs have added. */
const TAIL_PADDING = Buffer.alloc(64);

export function lenientEventCoder(inner: EventCoder): EventCoder {
  return {
    decode(log: string) {
      try {
        return inner.decode(log);
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        const padded = Buffer.concat([Buffer.from(log, 'base64'), TAIL_PADDING]).toString('base64');
        return inner.decode(padded);
      }
    },
  } as EventCoder;
}

/** The program with its event coder made lenient (for the SDK's parseLogs and EventSubscriber). */
export function withLenientEvents(program: Program): Program {
  const coder = Object.create(program.coder, { events: { value: lenientEventCoder(program.coder.events) } });
  return Object.create(program, { coder: { value: coder } }) as Program;
}
