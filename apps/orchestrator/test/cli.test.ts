import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ApiServer } from '../src/api-server.js';
import type { Fleet } from '../src/fleet.js';
import { FIXTURE_DIR, fixtureFleetWithApi, removeDir, tempDir } from './fleet-fixture.js';

const PKG = resolve(import.meta.dirname, '..');
const TOKEN = 'cli-token-0123456789abcdef';
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
  hedge-bot: { kind: bot, subAccount: 2, dir: ${FIXTURE_DIR} }
risk: { maxPositionBase: { SOL-PERP: "10" }, maxGrossNotional: "1000", maxLeverage: "5", dailyLossLimit: "100" }
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
    { 'risk-manager': { kind: 'risk', fixture: 'risk' }, 'hedge-bot': { kind: 'bot', subAccount: 2 } },
    { record: join(dir, 'r.jsonl'), api: { token: TOKEN } },
  ));
});

afterAll(async () => {
  await stop?.();
  removeDir(dir);
});

describe('fleet CLI', () => {
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
    expect(unknown.stderr).toMatch(/^fleet: unknown option --bogus/);
  });

  it('exports Kubernetes manifests from the config file', async () => {
    const out = join(dir, 'k8s');
    const { code, stdout } = await fleetCli(['export', 'k8s', '--out', out]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`wrote ${join(out, 'drift-fleet.k8s.yaml')}`);
    const docs = parseAllDocuments(readFileSync(join(out, 'drift-fleet.k8s.yaml'), 'utf8')).map((d) =>
      d.toJS(),
    );
    expect(docs.map((d) => d.metadata.name)).toEqual(['risk-manager', 'hedge-bot']); // live mode: no simulator
  });
});
