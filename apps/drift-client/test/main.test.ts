/** The app entry as a user runs it: a child process on a paper config, logging to its own file. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecording } from '@drift/sim';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'drift-client-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `
mode: paper
markets: [SOL-PERP]
sim: { host: 127.0.0.1, port: 1, seed: 5, markets: { SOL-PERP: { startPrice: "151.5" } }, subAccounts: { "2": { collateral: "2500" } } }
risk: { maxPositionBase: { SOL-PERP: "10" }, maxGrossNotional: "100000", maxLeverage: "5", dailyLossLimit: "100" }
`;

function run(
  args: string[],
  whileRunning?: (child: ReturnType<typeof spawn>) => Promise<void>,
): Promise<{ code: number | null; logDir: string; stdout: string; stderr: string }> {
  const logDir = mkdtempSync(join(dir, 'logs-'));
  const configPath = join(dir, 'drift-bots.yaml');
  writeFileSync(configPath, CONFIG);
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', ...args], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, DRIFT_BOTS_CONFIG: configPath, LOG_DIR: logDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  void whileRunning?.(child);
  return closed.then((code) => ({ code, logDir, stdout, stderr }));
}

describe('drift-client main', () => {
  it('logs the configured markets and the account snapshot, then exits 0', async () => {
    const { code, logDir } = await run(['--sub-account', '2']);
    expect(code).toBe(0);
    const log = readFileSync(join(logDir, 'drift-client.log'), 'utf8');
    // Field syntax differs between the file formats (key=value or JSON): accept either.
    expect(log).toMatch(/market["=:]+SOL-PERP.*oracle["=:]+151\.5/);
    expect(log).toMatch(/subAccount["=:]+2\b.*collateral["=:]+2500/);
  }, 30_000);

  it('refuses a bad argument before opening its log: exit 2, the argument and the usage on stderr', async () => {
    const { code, logDir, stderr } = await run(['--sub-account', 'two']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^drift-client: --sub-account: "two" is not a sub-account number/);
    expect(stderr).toContain('usage: pnpm --filter drift-client start');
    expect(readdirSync(logDir)).toEqual([]);
  }, 30_000);

  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--sub-account N/);
  }, 30_000);

  it('--watch --record FILE: appends every oracle update as a recording line until stopped', async () => {
    const file = join(dir, 'day.jsonl');
    const oracleLines = () =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter((l) => l.includes('"oracle"'))
        : [];
    const { code } = await run(['--watch', '--record', file], async (child) => {
      const deadline = Date.now() + 20_000;
      while (oracleLines().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    // Paper: oracle updates only (the simulator's auctions are on its taker stream, swift-client's).
    const events = parseRecording(readFileSync(file, 'utf8'), file);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.kind === 'oracle' && e.price.market === 'SOL-PERP')).toBe(true);
  }, 40_000);
});
