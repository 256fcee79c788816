import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ApiServer } from '../src/api-server.js';
import type { Fleet } from '../src/fleet.js';
import { FIXTURE_DIR, fixtureFleetWithApi, removeDir, tempDir } from './fleet-fixture.js';

const PKG = resolve(import.meta.dirname, '..');
const TOKEN = 'cli-token-0123456789abcdef';
const SECRET = 'rpc-key-6f1d2c';
/** A webhook URL's token, in the env var the config names (`urlEnv`), set where the CLI runs. */
const HOOK_SECRET = 'hook-token-3a9e07';
const HOOK_ENV = { FLEET_ALERT_URL: `https://hooks.example/services/${HOOK_SECRET}` };
let fleet: Fleet;
let api: ApiServer;
let stop: (() => Promise<void>) | undefined;
let dir: string;
let configFile: string;

/** A live-mode config (no simulator) whose apps are the fixture; the CLI only reads it. */
function writeConfig(): string {
  const file = join(dir, 'drift-bots.yaml');
  writeFileSync(
    file,
    `mode: live
markets: [SOL-PERP]
wallet: { keypairPath: ${join(dir, 'no-such-keypair.json')} }
rpc: { endpoints: [{ url: "http://127.0.0.1:1" }] }
apps:
  risk-manager: { kind: risk, dir: ${FIXTURE_DIR} }
  hedge-bot: { kind: bot, subAccount: 2, dir: ${FIXTURE_DIR}, env: { DRIFT_RPC_URL: "https://rpc.example/?api-key=${SECRET}" } }
risk:
  { maxPositionBase: { SOL-PERP: "10" }, maxGrossNotional: "1000", maxLeverage: "5", dailyLossLimit: "100",
    webhooks: [{ format: slack, urlEnv: FLEET_ALERT_URL }] }
`,
  );
  return file;
}

function fleetCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/cli.ts', ...args],
      {
        cwd: PKG,
        env: {
          ...process.env,
          DRIFT_BOTS_CONFIG: configFile,
          ORCHESTRATOR_URL: api.url,
          ORCHESTRATOR_TOKEN: '',
          ...HOOK_ENV,
          ...env,
        },
      },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = tempDir();
  configFile = writeConfig();
  ({ fleet, api, stop } = await fixtureFleetWithApi(
    {
      'risk-manager': { kind: 'risk', fixture: 'risk' },
      'hedge-bot': { kind: 'bot', subAccount: 2, fixture: 'trades,pnl=42.5' },
    },
    { record: join(dir, 'r.jsonl'), api: { token: TOKEN } },
  ));
});

afterAll(async () => {
  await stop?.();
  removeDir(dir);
});

// Each case runs the CLI once or more through tsx: a few seconds each on a quiet machine, tens of
// seconds on a loaded one (measured at load 29 on 2 cores). What is asserted is output, not speed.
describe('fleet CLI', { timeout: 120_000 }, () => {
  it('prints the fleet status as a table', async () => {
    const { code, stdout } = await fleetCli(['status']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('risk: active');
    expect(lines[1]).toMatch(/^APP\s+KIND\s+STATE\s+PID/);
    expect(lines.slice(2).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['sim', 'sim', 'running'],
      ['risk-manager', 'risk', 'running'],
      ['hedge-bot', 'bot', 'running'],
    ]);
    // The bot's session figures, each under its column: fill rate, attempts lost and why, fees
    // paid, rebates received, PnL net of fees.
    const header = lines[1]!;
    const under = (row: string, column: string, next?: string) =>
      row.slice(header.indexOf(column), next ? header.indexOf(next) : undefined).trim();
    const hedge = lines.find((l) => l.startsWith('hedge-bot'))!;
    expect(under(hedge, 'FILL RATE', 'LOST')).toBe('25.0%');
    expect(under(hedge, 'LOST', 'FEES PAID')).toBe('3 (auction-ended 2, invalid-price 1)');
    expect(under(hedge, 'FEES PAID', 'REBATES')).toBe('0.525');
    expect(under(hedge, 'REBATES', 'NET PNL')).toBe('0.0375');
    expect(under(hedge, 'NET PNL')).toBe('42.5');
    const sim = lines.find((l) => l.startsWith('sim'))!;
    expect(under(sim, 'FILL RATE', 'LOST')).toBe('-');
  });

  it('stops an app with the token, and reports the API refusal without it', async () => {
    const refused = await fleetCli(['stop', 'hedge-bot']);
    expect(refused.code).toBe(1);
    // No token sent, or one from a token file another local run left in the repo's data/: refused either way.
    expect(refused.stderr).toMatch(/401: (missing|wrong) token/);
    expect(fleet.app('hedge-bot').state).toBe('running');
    const ok = await fleetCli(['stop', 'hedge-bot'], { ORCHESTRATOR_TOKEN: TOKEN });
    expect(ok).toMatchObject({ code: 0, stdout: 'hedge-bot: stopped\n' });
    expect(fleet.app('hedge-bot').state).toBe('stopped');
  });

  it('rejects bad usage with exit code 2 and says what is wrong', async () => {
    const missing = await fleetCli(['restart']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^fleet: restart takes exactly one app name\nusage: /);
    const unknown = await fleetCli(['export', 'docker', '--bogus', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^fleet: unknown option '--bogus'/);
  });

  it('exports Kubernetes manifests from the config file', async () => {
    const out = join(dir, 'k8s');
    const { code, stdout } = await fleetCli(['export', 'k8s', '--out', out]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`wrote ${join(out, 'drift-fleet.k8s.yaml')}`);
    const docs = parseAllDocuments(readFileSync(join(out, 'drift-fleet.k8s.yaml'), 'utf8')).map((d) =>
      d.toJS(),
    );
    // live mode: no simulator
    expect(docs.filter((d) => d.kind === 'Deployment').map((d) => d.metadata.name)).toEqual([
      'risk-manager',
      'hedge-bot',
    ]);
  });

  it('writes no secret in clear outside a 0600 file or a Kubernetes Secret, whatever the target', async () => {
    for (const target of ['pm2', 'systemd', 'k8s', 'prometheus']) {
      const out = join(dir, `secrets-${target}`);
      const { code } = await fleetCli(['export', target, '--out', out]);
      expect(code, target).toBe(0);
      const holding = readdirSync(out).filter((f) => {
        const text = readFileSync(join(out, f), 'utf8');
        return text.includes(SECRET) || text.includes(HOOK_SECRET);
      });
      const all = readdirSync(out)
        .map((f) => readFileSync(join(out, f), 'utf8'))
        .join('\n');
      // The app's env and the webhook URL from the CLI's environment are both exported...
      if (target !== 'prometheus') {
        expect(all, target).toContain(SECRET);
        expect(all, target).toContain(HOOK_SECRET);
      }
      // ...but only to a 0600 file, on Kubernetes only as Secret objects.
      for (const file of holding) {
        expect(statSync(join(out, file)).mode & 0o777, `${target}/${file}`).toBe(0o600);
        if (target === 'k8s') {
          const kinds = parseAllDocuments(readFileSync(join(out, file), 'utf8')).map((d) => d.toJS().kind);
          expect(new Set(kinds)).toEqual(new Set(['Secret']));
        }
      }
    }
  });

  it('refuses a --node that is not Node 24 (exit 2)', async () => {
    const fake = join(dir, 'node18');
    writeFileSync(fake, '#!/bin/sh\necho 18.20.0\n', { mode: 0o755 });
    const { code, stderr } = await fleetCli(['export', 'systemd', '--out', join(dir, 'n'), '--node', fake]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^fleet: --node ".*node18": is Node 18.20.0; the fleet needs Node 24/);
  });
});
