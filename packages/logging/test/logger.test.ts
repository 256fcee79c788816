import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLogger,
  criticalApps,
  flushLogs,
  isCriticalApp,
  LoggingConfigError,
  parseLogLine,
  resolveLogDir,
  setupCriticalLogging,
  setupUtilityLogging,
} from '../src/index.js';
import { resolveOptions } from '../src/options.js';
import { COMPACT_LINE, PKG_DIR, tempDir } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function captureConsole() {
  const out: string[] = [];
  const grab = (chunk: unknown) => {
    out.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(grab as never);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab as never);
  return out;
}

const fileLines = (dir: string, app: string) =>
  fs
    .readFileSync(path.join(dir, `${app}.log`), 'utf8')
    .split('\n')
    .filter(Boolean);

describe('critical vs utility', () => {
  it('a critical app logs compact lines to its file and verbose lines, with the caller, to the console', async () => {
    const dir = tempDir();
    const out = captureConsole();
    const logger = setupCriticalLogging('hedge-bot', { logDir: dir });
    function placeHedge() {
      logger.info({ market: 'SOL-PERP', orderId: 42 }, 'Order filled');
    }
    placeHedge();
    await flushLogs();
    vi.restoreAllMocks();
    const [line] = fileLines(dir, 'hedge-bot');
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \| hedge-bot \| INFO \| Order filled market=SOL-PERP orderId=42$/,
    );
    expect(out.join('')).toMatch(
      /\| hedge-bot \| INFO \| placeHedge:\d+ \| Order filled market=SOL-PERP orderId=42\n/,
    );
  });

  it('utility code logs to the console only', async () => {
    const dir = tempDir();
    const out = captureConsole();
    setupUtilityLogging('setup-script', { logDir: dir }).info('hello');
    await flushLogs();
    vi.restoreAllMocks();
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(out.join('')).toMatch(/setup-script \| INFO \| .* \| hello/);
  });

  it("the fleet's critical apps are the packages that declare it, nothing else", () => {
    expect(criticalApps()).toEqual([
      'drift-client',
      'hedge-bot',
      'jit-mm-swift',
      'orchestrator',
      'order-management',
      'risk-manager',
      'rpc-manager',
      'sim',
      'swift-client',
      'trend-bot',
    ]);
    expect(isCriticalApp('orchestrator')).toBe(true);
    expect(isCriticalApp('some-script')).toBe(false);
    const dir = tempDir();
    const pkg = path.join(dir, 'package.json');
    fs.writeFileSync(pkg, JSON.stringify({ name: 'grid-bot', drift: { logging: 'critical' } }));
    expect(isCriticalApp('grid-bot', pkg)).toBe(true);
    expect(isCriticalApp('other-bot', pkg)).toBe(false);
  });

  it('a new app joins by its declaration alone: listed, and its logger writes a file with no option', async () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'pnpm-workspace.yaml'), "packages:\n  - 'apps/*'\n");
    const app = path.join(root, 'apps', 'grid-bot');
    fs.mkdirSync(path.join(app, 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'grid-bot', drift: { logging: 'critical' } }),
    );
    const entry = path.join(app, 'src', 'main.ts');
    const logging = path.join(PKG_DIR, 'src', 'index.ts');
    fs.writeFileSync(
      entry,
      `import { createLogger } from '${logging}';\ncreateLogger({ appName: 'grid-bot', enableConsoleLogging: false }).info('up');\n`,
    );
    expect(criticalApps(root)).toEqual(['grid-bot']);
    const res = spawnSync(process.execPath, ['--import', 'tsx', entry], {
      cwd: PKG_DIR,
      env: { ...process.env, LOG_DIR: path.join(root, 'logs') },
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    expect(fs.readFileSync(path.join(root, 'logs', 'grid-bot.log'), 'utf8')).toMatch(
      / \| grid-bot \| INFO \| up\n$/,
    );
  });
});

describe('levels, formats and environment', () => {
  it('filters below the level and json gives pino NDJSON', async () => {
    const dir = tempDir();
    const logger = createLogger({
      appName: 'lvl',
      critical: true,
      logDir: dir,
      logLevel: 'warn',
      fileFormat: 'json',
      enableConsoleLogging: false,
    });
    logger.info('hidden');
    logger.warn({ market: 'SOL-PERP', size: 1_500_000_000n }, 'shown');
    await flushLogs();
    const lines = fileLines(dir, 'lvl');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 40,
      app: 'lvl',
      msg: 'shown',
      market: 'SOL-PERP',
      size: '1500000000',
    });
  });

  it('env overrides defaults, explicit options override env', () => {
    const env = {
      LOG_LEVEL: 'debug',
      LOG_FILE_ENABLED: 'false',
      LOG_FORMAT: 'json',
      LOG_FILE_FORMAT: 'JSON',
      LOG_DIR: '/tmp/x-logs',
    };
    const fromEnv = resolveOptions('a', true, {}, env);
    expect(fromEnv).toMatchObject({
      logLevel: 'debug',
      enableFileLogging: false,
      consoleFormat: 'json',
      fileFormat: 'json',
      logDir: '/tmp/x-logs',
    });
    const explicit = resolveOptions('a', true, { logLevel: 'error', enableFileLogging: true }, env);
    expect(explicit).toMatchObject({ logLevel: 'error', enableFileLogging: true });
    expect(resolveOptions('a', true, {}, {})).toMatchObject({
      maxSize: 10 * 1024 * 1024,
      maxFiles: 5,
      retentionDays: 7,
      fileFormat: 'compact',
    });
  });

  it('bad values are clear errors naming the variable, the value and what is allowed', () => {
    expect(() => resolveOptions('a', true, {}, { LOG_LEVEL: 'loud' })).toThrow(
      new LoggingConfigError(
        'LOG_LEVEL="loud" is not valid: use one of trace, debug, info, warn, error, fatal, silent',
      ),
    );
    expect(() => resolveOptions('a', true, {}, { LOG_FILE_ENABLED: 'maybe' })).toThrow(
      /LOG_FILE_ENABLED="maybe" .* true or false/,
    );
    expect(() => resolveOptions('a', true, {}, { LOG_FORMAT: 'xml' })).toThrow(
      /LOG_FORMAT="xml" .* compact, verbose, json/,
    );
    expect(() => resolveOptions('a', true, {}, { LOG_FILE_FORMAT: 'ndjson' })).toThrow(
      new LoggingConfigError('LOG_FILE_FORMAT="ndjson" is not valid: use one of compact, verbose, json'),
    );
    expect(() => resolveOptions('a', true, { maxFiles: 0 })).toThrow(/maxFiles=0 .* positive integer/);
    expect(() => resolveOptions('a/b', true)).toThrow(/appName="a\/b"/);
  });

  it('the default log dir is logs/ at the workspace root, whatever the cwd', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    expect(resolveLogDir({})).toBe(path.join(root, 'logs'));
  });
});

describe('redaction by the logger itself', () => {
  it('removes keys, key bytes and API keys in URLs at any depth, in fields and messages', async () => {
    const dir = tempDir();
    const logger = createLogger({
      appName: 'redact',
      critical: true,
      logDir: dir,
      fileFormat: 'json',
      enableConsoleLogging: false,
    });
    const secretKey = Uint8Array.from({ length: 64 }, (_, i) => i);
    const child = logger.child({ authorization: 'Bearer abcdefghijklmnop' });
    child.info(
      {
        wallet: { secretKey, keypair: Array.from(secretKey), mnemonic: 'abandon abandon ability' },
        password: 'hunter2',
        nested: { deep: { apiToken: 'tok_123456' } },
        bytes: Array.from(secretKey),
        rpc: 'https://mainnet.helius-rpc.com/?api-key=abcdef0123456789',
        alchemy: 'https://solana-mainnet.g.alchemy.com/v2/AbCdEf0123456789XyZ',
        seed: 42,
      },
      'connecting to https://user:pa55word@rpc.example.com/x?apikey=zzz999zzz',
    );
    await flushLogs();
    const text = fs.readFileSync(path.join(dir, 'redact.log'), 'utf8');
    for (const secret of [
      'hunter2',
      'abandon',
      'tok_123456',
      'abcdef0123456789',
      'AbCdEf0123456789XyZ',
      'pa55word',
      'zzz999zzz',
      'abcdefghijklmnop',
      '0,1,2,3',
    ]) {
      expect(text).not.toContain(secret);
    }
    const rec = JSON.parse(text);
    expect(rec.rpc).toBe('https://mainnet.helius-rpc.com/?api-key=[redacted]');
    expect(rec.wallet).toEqual({ secretKey: '[redacted]', keypair: '[redacted]', mnemonic: '[redacted]' });
    expect(rec.seed).toBe(42); // a number under "seed" (a PRNG seed) is not a secret
  });
});

describe('files', () => {
  it('two processes of one app never share a file: the second writes <app>.<pid>.log', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'dup-app.log.lock'), String(process.ppid)); // held by a live process
    const out = captureConsole();
    const logger = createLogger({
      appName: 'dup-app',
      critical: true,
      logDir: dir,
      enableConsoleLogging: false,
    });
    logger.info('second writer');
    await flushLogs();
    vi.restoreAllMocks();
    expect(fs.existsSync(path.join(dir, 'dup-app.log'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, `dup-app.${process.pid}.log`), 'utf8')).toMatch(/second writer/);
    expect(out.join('')).toMatch(
      /already written by process \d+; this process \(\d+\) writes .*dup-app\.\d+\.log/,
    );
  });

  it('a stale lock (dead process) is taken over', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'stale-app.log.lock'), '999999999');
    createLogger({ appName: 'stale-app', critical: true, logDir: dir, enableConsoleLogging: false }).info(
      'mine now',
    );
    await flushLogs();
    expect(fileLines(dir, 'stale-app')[0]).toMatch(COMPACT_LINE);
    expect(fs.readFileSync(path.join(dir, 'stale-app.log.lock'), 'utf8')).toBe(String(process.pid));
  });

  it('retention deletes the files of the app older than retentionDays at start', () => {
    const dir = tempDir();
    const old = Date.now() / 1000 - 8 * 86400;
    for (const f of ['ret-app.log.3', 'ret-app.log.4', 'other-app.log.1']) {
      fs.writeFileSync(path.join(dir, f), 'x\n');
      fs.utimesSync(path.join(dir, f), old, old);
    }
    fs.writeFileSync(path.join(dir, 'ret-app.log.1'), 'recent\n');
    createLogger({ appName: 'ret-app', critical: true, logDir: dir, enableConsoleLogging: false });
    expect(fs.readdirSync(dir).sort()).toEqual([
      'other-app.log.1',
      'ret-app.log',
      'ret-app.log.1',
      'ret-app.log.lock',
    ]);
  });

  it('retention sweeps again every hour, sparing the file the process is writing', async () => {
    vi.useFakeTimers({ toFake: ['setInterval'] });
    try {
      const dir = tempDir();
      const logger = createLogger({
        appName: 'hourly-app',
        critical: true,
        logDir: dir,
        enableConsoleLogging: false,
      });
      logger.info('first line');
      await flushLogs();
      const old = Date.now() / 1000 - 8 * 86400;
      fs.writeFileSync(path.join(dir, 'hourly-app.log.2'), 'x\n');
      for (const f of ['hourly-app.log', 'hourly-app.log.2']) fs.utimesSync(path.join(dir, f), old, old);
      vi.advanceTimersByTime(60 * 60 * 1000 - 1000);
      expect(fs.existsSync(path.join(dir, 'hourly-app.log.2'))).toBe(true);
      vi.advanceTimersByTime(1000);
      expect(fs.existsSync(path.join(dir, 'hourly-app.log.2'))).toBe(false);
      logger.info('after a quiet week');
      await flushLogs();
      expect(fileLines(dir, 'hourly-app').map((l) => l.split(' | ').at(-1))).toEqual([
        'first line',
        'after a quiet week',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('parses its own file lines back', async () => {
    const dir = tempDir();
    const logger = createLogger({
      appName: 'parse-app',
      critical: true,
      logDir: dir,
      enableConsoleLogging: false,
    });
    logger.warn({ orderId: 7, market: 'SOL-PERP' }, 'order rejected');
    await flushLogs();
    expect(parseLogLine(fileLines(dir, 'parse-app')[0]!)).toMatchObject({
      app: 'parse-app',
      level: 'warn',
      msg: 'order rejected',
      fields: { orderId: '7', market: 'SOL-PERP' },
    });
  });
});
