import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  appsInStartOrder,
  ConfigError,
  loadFleetConfig,
  parseAppParams,
  parseFleetConfig,
  secretEnvNames,
} from './config.js';
import { baseField, perMarket } from './config-fields.js';

const EXAMPLE = join(import.meta.dirname, '../../../drift-bots.yaml');

/** A small valid config; tests change one thing at a time. */
// biome-ignore lint/suspicious/noExplicitAny: a raw YAML-like tree that each test edits freely
function base(): Record<string, any> {
  return {
    mode: 'paper',
    markets: ['SOL-PERP'],
    sim: { markets: { 'SOL-PERP': { startPrice: '150' } }, subAccounts: { '1': { collateral: '1000' } } },
    apps: { 'risk-manager': {}, 'hedge-bot': { subAccount: 1 } },
    risk: {
      maxPositionBase: { 'SOL-PERP': '10' },
      maxGrossNotional: '5000',
      maxLeverage: '3',
      dailyLossLimit: '100',
    },
  };
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('the example drift-bots.yaml', () => {
  it('loads in paper mode with every process of the fleet in start order, libraries apart', () => {
    const config = loadFleetConfig({ path: EXAMPLE, env: {} });
    expect(config.mode).toBe('paper');
    expect(config.markets).toEqual(['SOL-PERP', 'BTC-PERP']);
    expect(config.apps['drift-client']?.kind).toBe('library');
    expect(config.apps['swift-client']?.kind).toBe('library');
    expect(appsInStartOrder(config).map((a) => `${a.kind}:${a.name}`)).toEqual([
      'risk:risk-manager',
      'bot:jit-mm-swift',
      'bot:hedge-bot',
      'bot:trend-bot',
    ]);
    expect(config.apps['hedge-bot']?.subAccount).toBe(2);
  });

  it("runs rpc-manager, the bots' RPC pool, in live mode only", () => {
    const live = loadFleetConfig({
      path: EXAMPLE,
      env: { DRIFT_MODE: 'live', DRIFT_KEYPAIR_PATH: '/nonexistent/id.json' },
    });
    expect(appsInStartOrder(live).map((a) => a.name)).toEqual([
      'rpc-manager',
      'risk-manager',
      'jit-mm-swift',
      'hedge-bot',
      'trend-bot',
    ]);
  });

  it('refuses an app mode that is not paper or live, and an empty list', () => {
    const raw = base();
    raw.apps['rpc-manager'] = { modes: ['demo'] };
    raw.apps['risk-manager'] = { modes: [] };
    const issues = problems(() => parseFleetConfig(raw));
    expect(issues).toContain('apps.rpc-manager.modes.0: "demo" is not paper or live');
    expect(issues).toContain('apps.risk-manager.modes: [] is empty: give the modes the app runs in');
  });

  it('converts money exactly to Drift precisions', () => {
    const config = loadFleetConfig({ path: EXAMPLE, env: {} });
    expect(config.sim.markets['BTC-PERP']?.startPrice).toBe(65_000_000_000n);
    expect(config.sim.subAccounts[1]?.collateral).toBe(50_000_000_000n);
    expect(config.sim.fees).toMatchObject({ makerPpm: -25n, takerPpm: 350n, tier: 1 });
    expect(config.risk.maxPositionBase['BTC-PERP']).toBe(5_000_000_000n);
    expect(config.risk.maxLeverageBps).toBe(50_000n);
    expect(config.risk.dailyLossLimit).toBe(5_000_000_000n);
  });

  it('is found at the workspace root from a nested directory', () => {
    const config = loadFleetConfig({ cwd: join(import.meta.dirname, '..'), env: {} });
    expect(config.source).toBe(EXAMPLE);
  });
});

describe('bad config: every problem at once, each naming path and value', () => {
  it('reports path and offending value for each problem', () => {
    const raw = base();
    raw.apps['hedge-bot'].subAccount = -1;
    raw.markets = ['SOL-PERP', 'DOGE-PERP'];
    raw.risk.maxGrossNotional = '-5';
    raw.risk.maxPositionBase['SOL-PERP'] = 1.5;
    raw.orchestrator = { restart: { baseMs: 0 }, heartbeatz: {} };
    const issues = problems(() => parseFleetConfig(raw, 'test.yaml'));
    expect(issues).toEqual(
      expect.arrayContaining([
        'apps.hedge-bot.subAccount: -1 is not a non-negative integer',
        'markets.1: "DOGE-PERP" is not a known market (see MARKETS in @drift/domain)',
        'risk.maxGrossNotional: "-5" is not a positive quote amount',
        'risk.maxPositionBase.SOL-PERP: 1.5 is a float: quote it as a decimal string (e.g. "1.5")',
        'orchestrator.restart.baseMs: 0 is not an integer >= 1',
        expect.stringMatching(/^orchestrator: unknown key "heartbeatz"/),
      ]),
    );
    expect(issues).toHaveLength(6);
  });

  it('refuses a freshness bound of 0 or past 5 minutes (a bound that never trips is no bound)', () => {
    for (const [value, shown] of [
      [0, '0'],
      [3_600_000, '3600000'],
      ['5s', '"5s"'],
    ] as const) {
      const raw = base();
      raw.risk.staleOracleMs = value;
      expect(problems(() => parseFleetConfig(raw))).toEqual([
        expect.stringMatching(new RegExp(`^risk\\.staleOracleMs: ${shown} is `)),
      ]);
    }
    expect(loadFleetConfig({ path: EXAMPLE, env: {} }).risk.staleOracleMs).toBe(5_000);
  });

  it('reports cross-field problems: missing limits and prices, shared or unfunded sub-accounts', () => {
    const raw = base();
    raw.markets = ['SOL-PERP', 'BTC-PERP'];
    raw.apps['trend-bot'] = { subAccount: 1 };
    raw.apps['jit-mm-swift'] = { subAccount: 7 };
    raw.apps['grid-bot'] = {};
    const issues = problems(() => parseFleetConfig(raw));
    expect(issues).toEqual([
      'risk.maxPositionBase.BTC-PERP: missing: every market in markets needs a position limit',
      'sim.markets.BTC-PERP: missing: paper mode needs a startPrice for every market in markets',
      'apps.trend-bot.subAccount: 1 is already used by hedge-bot: bots cannot share a sub-account',
      'apps.jit-mm-swift.subAccount: 7 has no collateral in sim.subAccounts (paper mode)',
      'apps.grid-bot.subAccount: missing: a bot needs its own sub-account',
    ]);
  });

  it('live mode needs a keypair path and an RPC endpoint', () => {
    const issues = problems(() => parseFleetConfig({ ...base(), mode: 'live' }));
    expect(issues).toEqual([
      'wallet.keypairPath: missing: live mode needs a keypair file path',
      'rpc.endpoints: missing: live mode needs at least one RPC endpoint',
    ]);
  });

  it('refuses an inline secret key without echoing it', () => {
    const secret = '4NMwxzmYj2uvHuq8xoqhY8RXg63KSVJM1DXkpbmkUY7YQWuoyQgFnnzn6yo3CMnqZasnNPNuAT2TLwQsCaKkUddp';
    const bytes = Array.from({ length: 64 }, (_, i) => (i * 37) % 256);
    for (const wallet of [{ keypairPath: secret }, bytes, { secretKey: bytes }, secret]) {
      const text = problems(() => parseFleetConfig({ ...base(), wallet })).join('\n');
      expect(text).toMatch(/^wallet/);
      expect(text).toMatch(/inline|key material/);
      expect(text).not.toContain(secret.slice(0, 12));
      expect(text).not.toContain(bytes.slice(0, 8).join(','));
    }
  });

  it('never shows API keys in URLs or token values', () => {
    const raw = base();
    raw.rpc = {
      endpoints: [
        { url: 'https://rpc.example.com/?api-key=SUPERSECRETKEY', weight: -1 },
        { url: 'ftp://x?key=HIDDENTOO' },
      ],
    };
    raw.orchestrator = { api: { host: '0.0.0.0', token: 'tok-TOPSECRET' } };
    const text = problems(() => parseFleetConfig(raw)).join('\n');
    expect(text).toContain('rpc.endpoints.0.weight: -1 is not a positive weight');
    expect(text).toContain('rpc.endpoints.1.url: "ftp://x/?key=[redacted]" is not a http/https URL');
    expect(text).toContain('orchestrator.api.token: [redacted] is too short');
    expect(text).not.toMatch(/SUPERSECRETKEY|HIDDENTOO|TOPSECRET/);
  });

  it('names the line of a YAML syntax error', () => {
    const issues = problems(() => parseFleetConfig('mode: paper\nmarkets: [SOL-PERP\nrisk: {}\n', 'x.yaml'));
    expect(issues[0]).toMatch(/^line \d+, column \d+: .*YAML/);
  });

  it('says so when the file cannot be read', () => {
    expect(problems(() => loadFleetConfig({ path: '/nonexistent/drift-bots.yaml', env: {} }))).toEqual([
      'cannot read the config file (ENOENT)',
    ]);
  });
});

describe('orders.expiryMs', () => {
  it('defaults to 60 s and refuses a bound outside 10 s..1 h, naming the path and the value', () => {
    expect(parseFleetConfig(base(), 't').orders).toEqual({ expiryMs: 60_000 });
    expect(parseFleetConfig({ ...base(), orders: { expiryMs: 15_000 } }, 't').orders.expiryMs).toBe(15_000);
    const bad = (expiryMs: unknown) =>
      problems(() => parseFleetConfig({ ...base(), orders: { expiryMs } }, 't'));
    expect(bad(5_000)).toEqual(['orders.expiryMs: 5000 is not an integer >= 10000']);
    expect(bad(7_200_000)).toEqual(['orders.expiryMs: 7200000 is not between 10000 and 3600000 ms']);
    expect(bad('soon')).toEqual(['orders.expiryMs: "soon" is not an integer >= 10000']);
    expect(problems(() => parseFleetConfig({ ...base(), orders: { expiry: 1 } }, 't'))).toEqual([
      expect.stringContaining('orders'),
    ]);
  });
});

describe('sim.fees', () => {
  it("puts sub-accounts on Drift's tier 1 with Drift's rates above it unless told otherwise", () => {
    const { fees, subAccounts } = parseFleetConfig(base(), 't').sim;
    expect(fees).toEqual({
      makerPpm: -25n,
      takerPpm: 350n,
      tier: 1,
      tiers: [300n, 275n, 250n, 225n, 200n].map((takerPpm) => ({ makerPpm: -25n, takerPpm })),
    });
    expect(subAccounts[1]?.feeTier).toBeUndefined();
    const config = base();
    config.sim.fees = { tiers: [{ takerBps: '3', makerBps: '-0.5' }], tier: 2 };
    config.sim.subAccounts['1'].feeTier = 1;
    const own = parseFleetConfig(config, 't').sim;
    expect(own.fees).toMatchObject({ tier: 2, tiers: [{ makerPpm: -50n, takerPpm: 300n }] });
    expect(own.subAccounts[1]?.feeTier).toBe(1);
  });

  it('refuses a tier the fee table does not have, naming the path and the value', () => {
    const config = base();
    config.sim.fees = { tier: 7 };
    config.sim.subAccounts['1'].feeTier = 0;
    expect(problems(() => parseFleetConfig(config, 't'))).toEqual([
      'sim.subAccounts.1.feeTier: 0 is not an integer >= 1',
    ]);
    config.sim.subAccounts['1'].feeTier = 3;
    config.sim.fees.tiers = [{ takerBps: '3', makerBps: '-0.25' }];
    expect(problems(() => parseFleetConfig(config, 't'))).toEqual([
      'sim.fees.tier: 7 is not a fee tier: sim.fees has tiers 1..2',
      'sim.subAccounts.1.feeTier: 3 is not a fee tier: sim.fees has tiers 1..2',
    ]);
    config.sim.fees = { tiers: [{ takerBps: 'cheap' }] };
    expect(problems(() => parseFleetConfig(config, 't'))).toEqual([
      'sim.fees.tiers.0.makerBps: missing (required)',
      'sim.fees.tiers.0.takerBps: "cheap" is not a decimal fee in bps with at most 2 decimal places',
    ]);
  });
});

describe('env overrides', () => {
  it('validates the rival makers of paper mode, naming the path and the value', () => {
    const config = base();
    config.sim.competition = {
      rivals: [
        { name: 'a', participation: 1.5, edgeBps: { min: 1, max: 2 }, latencyMs: { min: 0, max: 10 } },
        { name: 'b', participation: 0.5, edgeBps: { min: 3, max: 2 }, latencyMs: { min: -1, max: 10 } },
      ],
    };
    expect(problems(() => parseFleetConfig(config, 't'))).toEqual([
      'sim.competition.rivals.0.participation: 1.5 is not a probability in [0, 1]',
      'sim.competition.rivals.1.edgeBps: {"min":3,"max":2} has min above max',
      'sim.competition.rivals.1.latencyMs.min: -1 is not a number of ms >= 0',
    ]);
    expect(parseFleetConfig(base(), 't').sim.competition).toEqual({ rivals: 'default', landingDelayMs: 150 });
  });

  it('override documented keys and are named in errors', () => {
    const config = parseFleetConfig(base(), 't', {
      env: { SIM_PORT: '9100', SIM_SEED: '7', ORCHESTRATOR_TOKEN: 'x'.repeat(32), DRIFT_ENV: 'mainnet-beta' },
    });
    expect(config.sim.port).toBe(9100);
    expect(config.sim.seed).toBe(7);
    expect(config.env).toBe('mainnet-beta');
    expect(config.orchestrator.api.token).toBe('x'.repeat(32));
    expect(
      problems(() => parseFleetConfig(base(), 't', { env: { SIM_PORT: 'eighty', DRIFT_MODE: 'demo' } })),
    ).toEqual([
      'mode: "demo" is not paper|live (set by DRIFT_MODE)',
      'sim.port: "eighty" is not a port number (0-65535) (set by SIM_PORT)',
    ]);
  });

  it('DRIFT_MODE=live with DRIFT_KEYPAIR_PATH and DRIFT_RPC_URL goes live; ~ expands to HOME', () => {
    const config = parseFleetConfig(base(), 't', {
      env: {
        DRIFT_MODE: 'live',
        DRIFT_KEYPAIR_PATH: '~/.config/solana/id.json',
        DRIFT_RPC_URL: 'https://a.example, https://b.example',
        HOME: '/home/u',
      },
    });
    expect(config.mode).toBe('live');
    expect(config.wallet?.keypairPath).toBe('/home/u/.config/solana/id.json');
    expect(config.rpc.endpoints.map((e) => e.url)).toEqual(['https://a.example', 'https://b.example']);
  });

  it('DRIFT_BOTS_CONFIG picks the file; webhook URLs come from the env var they name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-config-'));
    mkdirSync(join(dir, 'nested'));
    const raw = base();
    raw.risk.webhooks = [
      { format: 'slack', urlEnv: 'SLACK_URL' },
      { format: 'telegram', urlEnv: 'TG_URL', chatId: 42 },
    ];
    writeFileSync(join(dir, 'fleet.yaml'), JSON.stringify(raw));
    const config = loadFleetConfig({
      cwd: join(dir, 'nested'),
      env: {
        DRIFT_BOTS_CONFIG: '../fleet.yaml',
        SLACK_URL: 'http://127.0.0.1:1/hook',
        TG_URL: 'http://127.0.0.1:2/bot',
      },
    });
    expect(config.risk.webhooks).toEqual([
      { format: 'slack', url: 'http://127.0.0.1:1/hook', urlEnv: 'SLACK_URL' },
      { format: 'telegram', url: 'http://127.0.0.1:2/bot', urlEnv: 'TG_URL', chatId: '42' },
    ]);
    // The names an export carries as secrets: the secret overrides and each webhook's variable.
    expect(secretEnvNames(config)).toEqual([
      'DRIFT_RPC_URL',
      'DRIFT_SWIFT_URL',
      'ORCHESTRATOR_TOKEN',
      'SLACK_URL',
      'TG_URL',
    ]);
    expect(
      problems(() => loadFleetConfig({ path: join(dir, 'fleet.yaml'), env: { SLACK_URL: 'http://x' } })),
    ).toEqual(['risk.webhooks.1.urlEnv: "TG_URL" is not set in the environment']);
    expect(readFileSync(join(dir, 'fleet.yaml'), 'utf8')).toContain('SLACK_URL');
  });
});

describe('parseAppParams', () => {
  const schema = z.strictObject({
    edgeBps: z.number().min(0, { error: 'is not a non-negative number of bps' }),
    maxOrderBase: perMarket(baseField()),
  });

  it('returns the typed params of an app', () => {
    const raw = base();
    raw.apps['hedge-bot'].params = { edgeBps: 4, maxOrderBase: { 'SOL-PERP': '2.5' } };
    const params = parseAppParams(parseFleetConfig(raw), 'hedge-bot', schema);
    expect(params).toEqual({ edgeBps: 4, maxOrderBase: { 'SOL-PERP': 2_500_000_000n } });
  });

  it('prefixes errors with apps.<app>.params.', () => {
    const raw = base();
    raw.apps['hedge-bot'].params = { edgeBps: -5, maxOrderBase: { 'SOL-PERP': 'lots' }, extra: true };
    expect(problems(() => parseAppParams(parseFleetConfig(raw), 'hedge-bot', schema))).toEqual([
      'apps.hedge-bot.params.edgeBps: -5 is not a non-negative number of bps',
      'apps.hedge-bot.params.maxOrderBase.SOL-PERP: "lots" is not a decimal base amount with at most 9 decimal places',
      'apps.hedge-bot.params: unknown key "extra" (known keys: edgeBps, maxOrderBase)',
    ]);
  });

  it('names the known key nearest a misspelt one', () => {
    const raw = base();
    raw.apps['hedge-bot'].params = { edgeBPS: 4, maxOrderBase: { 'SOL-PERP': '1' } };
    raw.apps['hedge-bot'].enabeld = true;
    expect(problems(() => parseFleetConfig(raw))).toEqual([
      'apps.hedge-bot: unknown key "enabeld" (did you mean "enabled"?)',
    ]);
    delete raw.apps['hedge-bot'].enabeld;
    expect(problems(() => parseAppParams(parseFleetConfig(raw), 'hedge-bot', schema))).toEqual([
      'apps.hedge-bot.params.edgeBps: missing (required)',
      'apps.hedge-bot.params: unknown key "edgeBPS" (did you mean "edgeBps"?)',
    ]);
  });

  it('holds order and position sizes within the fleet position limit of their market', () => {
    const raw = base();
    raw.apps['hedge-bot'].params = { edgeBps: 4, maxOrderBase: { 'SOL-PERP': '100000' } };
    expect(problems(() => parseAppParams(parseFleetConfig(raw), 'hedge-bot', schema))).toEqual([
      `apps.hedge-bot.params.maxOrderBase.SOL-PERP: "100000" is above risk.maxPositionBase.SOL-PERP (10)`,
    ]);
  });
});

describe('YAML that abuses aliases', () => {
  it('is refused with the line and column of the first alias, before it is expanded', () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
    ])
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    expect(problems(() => parseFleetConfig(rows.join('\n'), 'bomb.yaml'))).toEqual([
      'line 2, column 8: Excessive alias count indicates a resource exhaustion attack (YAML aliases expand too far)',
    ]);
  });
});
