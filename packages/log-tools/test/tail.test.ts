import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Follower } from '../src/tail/sources.js';
import {
  cli,
  cliWithUnreadable,
  compactLine,
  jsonLine,
  PACKAGE_DIR,
  removeTemps,
  tempDir,
  writeLog,
} from './helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  removeTemps();
});

const MIN = 60_000;

/** hedge-bot rotated once (.log.1 older, .log newer) and jit-mm-swift in json, interleaved in time. */
function fleetDir(): { dir: string; t0: number } {
  const dir = tempDir('tail');
  const t0 = Date.now() - 30 * MIN;
  writeLog(
    path.join(dir, 'hedge-bot.log.1'),
    [
      compactLine(t0, 'hedge-bot', 'INFO', 'hedge 1 orderId=41'),
      compactLine(t0 + 2000, 'hedge-bot', 'ERROR', 'hedge 3 failed orderId=42'),
      '    Error: boom',
      '        at send (hedger.ts:10:5)',
    ],
    t0 + 2000,
  );
  writeLog(path.join(dir, 'hedge-bot.log'), [
    compactLine(t0 + 4000, 'hedge-bot', 'WARN', 'hedge 5 orderId=43'),
    compactLine(t0 + 6000, 'hedge-bot', 'INFO', 'hedge 7 orderId=42'),
  ]);
  writeLog(path.join(dir, 'jit-mm-swift.log'), [
    jsonLine(t0 + 1000, 'jit-mm-swift', 'INFO', 'jit 2', { orderId: 42 }),
    jsonLine(t0 + 3000, 'jit-mm-swift', 'DEBUG', 'jit 4', { orderId: 40 }),
    jsonLine(t0 + 5000, 'jit-mm-swift', 'ERROR', 'jit 6', { orderId: 42 }),
  ]);
  return { dir, t0 };
}

/** The sequence numbers of the printed records: "hedge 3" -> 3. */
const order = (stdout: string) => [...stdout.matchAll(/(?:hedge|jit) (\d)/g)].map((m) => Number(m[1]));

describe('drift-logs tail', () => {
  it('merges every app and rotated file in timestamp order, stack lines kept with their record', async () => {
    const { dir } = fleetDir();
    const { code, stdout } = await cli('tail', '--log-dir', dir, '--since', '1h');
    expect(code).toBe(0);
    expect(order(stdout)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stdout).toContain(
      'hedge 3 failed orderId=42\n    Error: boom\n        at send (hedger.ts:10:5)\n',
    );
  });

  it('shows the last N records without --since', async () => {
    const { dir } = fleetDir();
    expect(order((await cli('tail', '--log-dir', dir, '--lines', '3')).stdout)).toEqual([5, 6, 7]);
    expect(order((await cli('tail', '--log-dir', dir)).stdout)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('follows one order through every process with --field, in compact and json lines', async () => {
    const { dir } = fleetDir();
    expect(
      order((await cli('tail', '--log-dir', dir, '--since', '1h', '--field', 'orderId=42')).stdout),
    ).toEqual([2, 3, 6, 7]);
  });

  it('filters by --level, --grep, app names and --since', async () => {
    const { dir, t0 } = fleetDir();
    const since = new Date(t0 + 2500).toISOString();
    expect(order((await cli('tail', '--log-dir', dir, '--since', '1h', '--level', 'warn')).stdout)).toEqual([
      3, 5, 6,
    ]);
    expect(order((await cli('tail', '--log-dir', dir, '--since', '1h', '--grep', 'jit')).stdout)).toEqual([
      2, 4, 6,
    ]);
    expect(order((await cli('tail', 'hedge-bot', '--log-dir', dir, '--since', '1h')).stdout)).toEqual([
      1, 3, 5, 7,
    ]);
    expect(order((await cli('tail', '--log-dir', dir, '--since', since)).stdout)).toEqual([4, 5, 6, 7]);
  });

  it('prints JSON records with --json and no colour when not on a TTY', async () => {
    const { dir } = fleetDir();
    const { stdout } = await cli('tail', 'jit-mm-swift', '--log-dir', dir, '--json', '--lines', '1');
    const rec = JSON.parse(stdout);
    expect(rec).toMatchObject({ app: 'jit-mm-swift', msg: 'jit 6' });
    expect(String(rec.fields.orderId)).toBe('42');
    expect((await cli('tail', '--log-dir', dir)).stdout).not.toContain('\x1b[');
  });

  it('keeps following across a rotation (Follower)', () => {
    const dir = tempDir('follow');
    const file = path.join(dir, 'hedge-bot.log');
    const t = Date.now();
    writeLog(file, [compactLine(t, 'hedge-bot', 'INFO', 'before start')]);
    const follower = new Follower('hedge-bot', file, { minLevel: 0, fields: [] }, true);
    try {
      fs.appendFileSync(file, `${compactLine(t + 1, 'hedge-bot', 'INFO', 'a1')}\n`);
      expect(follower.poll().map((r) => r.parsed.msg.trim())).toEqual(['a1']);
      fs.appendFileSync(file, `${compactLine(t + 2, 'hedge-bot', 'INFO', 'a2')}\n`);
      fs.renameSync(file, `${file}.1`); // rotation: the old file gets a last line after a2 was written
      writeLog(file, [compactLine(t + 3, 'hedge-bot', 'INFO', 'b1')]);
      expect(follower.poll().map((r) => r.parsed.msg.trim())).toEqual(['a2', 'b1']);
      fs.appendFileSync(file, `${compactLine(t + 4, 'hedge-bot', 'INFO', 'b2')}\n`);
      expect(follower.poll().map((r) => r.parsed.msg.trim())).toEqual(['b2']);
    } finally {
      follower.close();
    }
  });

  it('follows a json file by --field and --level (LOG_FILE_FORMAT=json)', () => {
    const dir = tempDir('follow-json');
    const file = path.join(dir, 'jit-mm-swift.log');
    const t = Date.now();
    writeLog(file, [jsonLine(t, 'jit-mm-swift', 'ERROR', 'before start', { orderId: '42' })]);
    const filter = { minLevel: 40, fields: [['orderId', '42']] as [string, string][] };
    const follower = new Follower('jit-mm-swift', file, filter, true);
    try {
      fs.appendFileSync(
        file,
        [
          jsonLine(t + 1, 'jit-mm-swift', 'WARN', 'amended', { orderId: '42' }),
          jsonLine(t + 2, 'jit-mm-swift', 'ERROR', 'other order', { orderId: '43' }),
          jsonLine(t + 3, 'jit-mm-swift', 'INFO', 'filled', { orderId: '42' }),
          jsonLine(t + 4, 'jit-mm-swift', 'ERROR', 'cancel failed', { orderId: '42' }),
          '',
        ].join('\n'),
      );
      expect(follower.poll().map((r) => r.parsed.msg)).toEqual(['amended', 'cancel failed']);
    } finally {
      follower.close();
    }
  });

  it('drift-logs tail --follow prints new lines across a rotation, as a process', async () => {
    const dir = tempDir('follow');
    const file = path.join(dir, 'hedge-bot.log');
    const t = Date.now();
    writeLog(file, [compactLine(t, 'hedge-bot', 'INFO', 'old line')]);
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        'src/cli.ts',
        'tail',
        'hedge-bot',
        '--follow',
        '--log-dir',
        dir,
        '--poll',
        '50ms',
      ],
      { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 20_000;
      while (!out.includes(text)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; got: ${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await waitFor('old line');
    fs.appendFileSync(file, `${compactLine(t + 1, 'hedge-bot', 'WARN', 'before rotation orderId=42')}\n`);
    await waitFor('before rotation');
    fs.renameSync(file, `${file}.1`);
    writeLog(file, [compactLine(t + 2, 'hedge-bot', 'INFO', 'after rotation orderId=42')]);
    await waitFor('after rotation');
    expect(out.indexOf('before rotation')).toBeLessThan(out.indexOf('after rotation'));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('drift-logs tail bad input', () => {
  it('names an unknown app and lists the apps with logs', async () => {
    const { dir } = fleetDir();
    const { code, stderr } = await cli('tail', 'moon-bot', '--log-dir', dir);
    expect(code).toBe(3);
    expect(stderr).toContain('unknown app "moon-bot": no moon-bot.log in');
    expect(stderr).toContain('apps with logs: hedge-bot, jit-mm-swift');
  });

  it('names bad --level, --field and --since values', async () => {
    const { dir } = fleetDir();
    expect((await cli('tail', '--log-dir', dir, '--level', 'loud')).stderr).toContain(
      '--level "loud": expected one of',
    );
    expect((await cli('tail', '--log-dir', dir, '--field', 'orderId')).stderr).toContain(
      '--field "orderId": expected KEY=VALUE',
    );
    expect((await cli('tail', '--log-dir', dir, '--since', 'yesterday')).stderr).toContain(
      '--since "yesterday"',
    );
  });

  it('names an unreadable log file', () => {
    const dir = tempDir('unreadable');
    const file = path.join(dir, 'hedge-bot.log');
    writeLog(file, [compactLine(Date.now(), 'hedge-bot', 'INFO', 'secret-less line')]);
    const { code, stderr } = cliWithUnreadable(file, 'tail', 'hedge-bot', '--log-dir', dir);
    expect(stderr).toContain(`cannot read log file ${file}: EACCES`);
    expect(code).toBe(3);
  });
});

describe('tail rendering', () => {
  it('colours by level only when asked to (stdout is a TTY)', async () => {
    const { renderer } = await import('../src/tail/render.js');
    const { parseLogLine } = await import('@drift/logging');
    const line = compactLine(Date.now(), 'hedge-bot', 'ERROR', 'send failed');
    const rec = { app: 'hedge-bot', time: Date.now(), text: line, parsed: parseLogLine(line)! };
    expect(renderer(false, true)(rec)).toBe(`\x1b[31m${line}\x1b[0m\n`);
    expect(renderer(false, false)(rec)).toBe(`${line}\n`);
  });
});
