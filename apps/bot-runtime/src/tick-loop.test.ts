import { recordingLogger } from '@drift/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startTickLoop, type TickLoop } from './tick-loop.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let loop: TickLoop | undefined;
afterEach(() => loop?.stop());

describe('tick loop', () => {
  it('never runs two ticks at once, and stop waits for the one in progress', async () => {
    let running = 0;
    let most = 0;
    let finished = 0;
    loop = startTickLoop({
      tick: async () => {
        running++;
        most = Math.max(most, running);
        await sleep(60);
        running--;
        finished++;
      },
      everyMs: 10,
      logger: recordingLogger(),
      what: 'test tick',
    });
    await sleep(200);
    await loop.stop();
    expect(most).toBe(1);
    expect(finished).toBeGreaterThanOrEqual(2);
    expect(running).toBe(0);
    const after = finished;
    await sleep(80);
    expect(finished).toBe(after);
  });

  it('logs a failing tick (ERROR unless a young connection error), then ticks on and reports success', async () => {
    const logger = recordingLogger();
    let calls = 0;
    let reported = 0;
    loop = startTickLoop({
      tick: async () => {
        calls++;
        if (calls === 1) throw new Error('bad state');
        if (calls === 2)
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      },
      everyMs: 15,
      logger,
      what: 'hedge-bot tick',
      after: () => reported++,
    });
    await expect.poll(() => reported).toBeGreaterThan(0);
    const failed = logger.lines.filter((l) => l.msg === 'hedge-bot tick failed');
    expect(failed.map((l) => l.level)).toEqual(['error', 'warn']);
    expect(failed[0]?.fields).toMatchObject({ err: expect.any(Error), failingForMs: 0 });
  });
});
