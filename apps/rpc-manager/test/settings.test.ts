import { readFileSync } from 'node:fs';
import { ConfigError, type FleetConfig, parseFleetConfig } from '@drift/config';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, resolveSettings, SettingsError } from '../src/settings.js';

const exampleConfig = parseFleetConfig(
  readFileSync(new URL('../../../drift-bots.yaml', import.meta.url), 'utf8'),
  'drift-bots.yaml',
);
const KEY = 'SECRETKEY0123456789abcdefghijklmn';

function withRpc(rpc: Partial<FleetConfig['rpc']>, params?: unknown): FleetConfig {
  const apps = { ...exampleConfig.apps };
  if (params !== undefined) apps['rpc-manager'] = { ...apps['rpc-manager']!, params };
  return { ...exampleConfig, mode: 'live', rpc: { ...exampleConfig.rpc, ...rpc }, apps };
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('settings', () => {
  it("in paper mode pool the simulator's Solana RPC, never a network endpoint, even from DRIFT_RPC_URL", () => {
    const paper = resolveSettings(exampleConfig, parseCliArgs([]));
    expect(paper.endpoints).toEqual([{ url: 'http://127.0.0.1:8790/solana', name: 'sim' }]);
    const withEnv = { DRIFT_RPC_URL: 'https://rpc.example.com/?api-key=secret-key-123' };
    const yaml = readFileSync(new URL('../../../drift-bots.yaml', import.meta.url), 'utf8');
    const fromEnv = parseFleetConfig(yaml, 'drift-bots.yaml', { env: withEnv });
    expect(resolveSettings(fromEnv, parseCliArgs([])).endpoints.map((e) => e.url)).toEqual([
      'http://127.0.0.1:8790/solana',
    ]);
    const err = errorOf(() =>
      resolveSettings(exampleConfig, parseCliArgs(['--endpoint', 'https://rpc.example.com'])),
    );
    expect(err.message).toContain('is not on loopback: paper mode sends nothing to a network');
  });

  it('come from the fleet config: endpoints, proxy address and params', () => {
    const s = resolveSettings(withRpc({}), parseCliArgs([]));
    expect(s.endpoints).toEqual([{ url: 'https://api.devnet.solana.com', name: 'solana-devnet', weight: 1 }]);
    expect([s.host, s.port]).toEqual(['127.0.0.1', 8899]);
    expect(s.pool.healthCheckMs).toBe(5_000);
    expect(s.pool.backoff).toEqual({ baseMs: 250, capMs: 10_000 });
  });

  it('take command-line flags over the config', () => {
    const cli = parseCliArgs([
      '--endpoint',
      'http://127.0.0.1:1',
      '--endpoint',
      'http://127.0.0.1:2',
      '--port',
      '0',
    ]);
    const s = resolveSettings(exampleConfig, cli);
    expect(s.endpoints.map((e) => e.url)).toEqual(['http://127.0.0.1:1', 'http://127.0.0.1:2']);
    expect(s.port).toBe(0);
  });

  it('refuse an empty endpoint list, naming the field', () => {
    const err = errorOf(() => resolveSettings(withRpc({ endpoints: [] }), parseCliArgs([])));
    expect(err).toBeInstanceOf(SettingsError);
    expect(err.message).toMatch(/^rpc\.endpoints: \[\] is empty/);
  });

  it('refuse a bad URL, naming the flag, without echoing the key', () => {
    for (const url of [`ftp://h/?api-key=${KEY}`, `http//h/v2/${KEY}?apikey=${KEY}`]) {
      const err = errorOf(() => parseCliArgs(['--endpoint', url]));
      expect(err.message).toMatch(/^--endpoint #1: ".*" is not an http\(s\) URL$/);
      expect(err.message).not.toContain(KEY);
    }
  });

  it('refuse a bad port, naming the flag and value', () => {
    expect(errorOf(() => parseCliArgs(['--port', '70000'])).message).toBe(
      '--port: "70000" is not a port number (0-65535)',
    );
    expect(errorOf(() => parseCliArgs(['--ws-port', 'abc'])).message).toBe(
      '--ws-port: "abc" is not a port number (0-65535)',
    );
  });

  it('take the flags after the `--` that `pnpm start -- ...` passes on', () => {
    expect(parseCliArgs(['--', '--port', '0', '--ws-port', 'off'])).toMatchObject({ port: 0, wsPort: false });
  });

  it('refuse an unknown flag without echoing a URL given with it', () => {
    const err = errorOf(() => parseCliArgs(['--endpont', `https://h/?api-key=${KEY}`]));
    expect(err.message).toContain("'--endpont'");
    expect(err.message).not.toContain(KEY);
  });

  it('refuse bad params, naming the path', () => {
    const err = errorOf(() =>
      resolveSettings(withRpc({}, { maxAttempts: 0, ambiguousSendRetry: 'always' }), parseCliArgs([])),
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('apps.rpc-manager.params.maxAttempts: 0');
    expect(err.message).toContain(
      'apps.rpc-manager.params.ambiguousSendRetry: "always" is not never|other-endpoints|same-endpoint',
    );
  });
});
