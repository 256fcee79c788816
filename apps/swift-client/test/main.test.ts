/** The app entry as a user runs it: taps the paper stream, logs orders, stops cleanly on SIGTERM. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'swift-client-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `
mode: paper
markets: [SOL-PERP]
sim: { host: 127.0.0.1, port: 1, seed: 9, speed: 100, markets: { SOL-PERP: { startPrice: "150" } }, swiftOrdersPerMinute: 120 }
risk: { maxPositionBase: { SOL-PERP: "10" }, maxGrossNotional: "100000", maxLeverage: "5", dailyLossLimit: "100" }
`;

describe('swift-client main', () => {
  it('logs taker orders with market, side, size and auction, and exits 0 on SIGTERM', async () => {
    const configPath = join(dir, 'drift-bots.yaml');
    writeFileSync(configPath, CONFIG);
    const logFile = join(dir, 'swift-client.log');
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/main.ts', '--market', 'SOL-PERP'],
      {
        cwd: join(import.meta.dirname, '..'),
        env: { ...process.env, DRIFT_BOTS_CONFIG: configPath, LOG_DIR: dir },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!(existsSync(logFile) && /taker order/.test(readFileSync(logFile, 'utf8')))) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error('no taker order logged');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const line =
      readFileSync(logFile, 'utf8')
        .split('\n')
        .find((l) => l.includes('taker order')) ?? '';
    expect(line).toMatch(/market["=:]+SOL-PERP/);
    expect(line).toMatch(/side["=:]+(buy|sell)/);
    expect(line).toMatch(/size["=:]+[\d.]+/);
    expect(line).toMatch(/auctionStartPrice["=:]+[\d.]+.*auctionEndPrice["=:]+[\d.]+/);
  }, 40_000);
});
