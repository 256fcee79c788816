import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../test/fleet-fixture.js';
import { LogFeed, type ParsedLine } from './log-feed.js';

let dir: string;
afterEach(() => removeDir(dir));

const parse = (line: string): ParsedLine | undefined => {
  try {
    const o = JSON.parse(line);
    return typeof o.level === 'number' ? { level: o.level, time: o.time, msg: o.msg } : undefined;
  } catch {
    return undefined;
  }
};
const line = (level: number, msg: string) => `${JSON.stringify({ level, time: 1, msg })}\n`;

describe('LogFeed', () => {
  it('collects warnings and errors appended to each app file, across rotation', () => {
    dir = tempDir();
    const counted: string[] = [];
    const feed = new LogFeed(['a', 'b'], {
      fileOf: (app) => join(dir, `${app}.log`),
      parse,
      onProblem: (p) => counted.push(`${p.app}:${p.level}`),
    });
    feed.poll(); // no files yet: nothing, no error
    writeFileSync(join(dir, 'a.log'), line(30, 'info') + line(40, 'slow rpc') + '{"level":50,"ti');
    feed.poll();
    expect(feed.problems().map((p) => p.msg)).toEqual(['slow rpc']);
    appendFileSync(join(dir, 'a.log'), `me":2,"msg":"order rejected"}\n`);
    appendFileSync(join(dir, 'b.log'), line(60, 'boom') + 'not json\n');
    feed.poll();
    expect(feed.problems().map((p) => `${p.app}:${p.msg}`)).toEqual([
      'a:slow rpc',
      'a:order rejected',
      'b:boom',
    ]);
    renameSync(join(dir, 'a.log'), join(dir, 'a.1.log'));
    writeFileSync(join(dir, 'a.log'), line(50, 'after rotation'));
    feed.poll();
    expect(feed.problems().at(-1)?.msg).toBe('after rotation');
    expect(counted).toEqual(['a:warn', 'a:error', 'b:fatal', 'a:error']);
  });

  it('reads only the tail of a big file', () => {
    dir = tempDir();
    writeFileSync(join(dir, 'a.log'), line(50, 'old').repeat(10_000) + line(50, 'newest'));
    const feed = new LogFeed(['a'], {
      fileOf: (app) => join(dir, `${app}.log`),
      parse,
      tailBytes: 1024,
      keep: 5,
    });
    feed.poll();
    const problems = feed.problems();
    expect(problems.length).toBe(5);
    expect(problems.at(-1)?.msg).toBe('newest');
  });
});
