/**
 * The bad-input table: every row is one wrong thing a user can do, and what the fleet must answer.
 * `expect` strings must all appear in the error (the field and the value); `absent` strings must not
 * (a secret echoed back). Add a row whenever a new input appears; the test in
 * `test/bad-inputs.test.ts` runs every row against the real code.
 *
 * `knownGap` marks a row the fleet does not handle yet: the check stays, the test is `it.fails`, and
 * the text names the missing piece (the lead decides).
 */

/** A config edit on the example `drift-bots.yaml`: dotted path (`apps.hedge-bot.subAccount`) → value. */
export interface ConfigRow {
  kind: 'config';
  name: string;
  set?: Record<string, unknown>;
  env?: Record<string, string>;
  expect: string[];
  absent?: string[];
}

/** An app's own params, validated with that app's zod schema through @drift/config's `parseAppParams`. */
export interface ParamsRow {
  kind: 'params';
  name: string;
  app: 'jit-mm-swift' | 'hedge-bot' | 'trend-bot';
  set: Record<string, unknown>;
  expect: string[];
}

/** A real entry point run as a process: `entry` relative to the workspace root. */
export interface CliRow {
  kind: 'cli';
  name: string;
  entry: string;
  args: string[];
  env?: Record<string, string>;
  /** exact exit code, or any non-zero one */
  exitCode: number | 'non-zero';
  expect: string[];
  knownGap?: string;
}

/** A request to a running orchestrator's API. */
export interface ApiRow {
  kind: 'api';
  name: string;
  method: 'GET' | 'POST';
  path: string;
  token: 'good' | 'wrong' | 'none';
  body?: string;
  status: number;
  expect: string[];
  absent?: string[];
}

/** A raw frame to the simulator's WebSocket: the reply names `field` and the value. */
export interface WsRow {
  kind: 'ws';
  name: string;
  frame: string;
  field: string;
  expect: string[];
}

export type BadInput = ConfigRow | ParamsRow | CliRow | ApiRow | WsRow;

const SIM = 'packages/sim/src/server-main.ts';
const RPC = 'apps/rpc-manager/src/main.ts';
const FLEET_CLI = 'apps/orchestrator/src/cli.ts';
const DRIFT_LOGS = 'packages/log-tools/bin/drift-logs.mjs';
const INLINE_KEY = Array.from({ length: 64 }, (_, i) => (i * 7 + 3) % 256);

export const BAD_INPUTS: BadInput[] = [
  // fleet config
  { kind: 'config', name: 'bad mode', set: { mode: 'sideways' }, expect: ['mode', 'sideways'] },
  {
    kind: 'config',
    name: 'unknown market',
    set: { markets: ['SOL-PERP', 'DOGE-PERP'] },
    expect: ['markets', 'DOGE-PERP'],
  },
  {
    kind: 'config',
    name: 'negative position limit',
    set: { 'risk.maxPositionBase.SOL-PERP': '-5' },
    expect: ['risk.maxPositionBase.SOL-PERP', '-5'],
  },
  {
    kind: 'config',
    name: 'float money',
    set: { 'risk.maxGrossNotional': 1.5 },
    expect: ['risk.maxGrossNotional', '1.5'],
  },
  {
    kind: 'config',
    name: 'freshness bound that never trips',
    set: { 'risk.staleOracleMs': 3_600_000 },
    expect: ['risk.staleOracleMs', '3600000'],
  },
  {
    kind: 'config',
    name: 'inline key under wallet',
    set: { wallet: { secretKey: INLINE_KEY } },
    expect: ['wallet'],
    absent: [INLINE_KEY.slice(0, 8).join(',')],
  },
  {
    kind: 'config',
    name: 'API port out of range',
    set: { 'orchestrator.api.port': 70000 },
    expect: ['orchestrator.api.port', '70000'],
  },
  { kind: 'config', name: 'negative sim port', set: { 'sim.port': -1 }, expect: ['sim.port', '-1'] },
  {
    kind: 'config',
    name: 'negative sub-account',
    set: { 'apps.hedge-bot.subAccount': -1 },
    expect: ['apps.hedge-bot.subAccount', '-1'],
  },
  { kind: 'config', name: 'typo in a risk key', set: { 'risk.maxLeverag': '5' }, expect: ['maxLeverag'] },
  {
    kind: 'config',
    name: 'order expiry below the 10 s floor',
    set: { 'orders.expiryMs': 5000 },
    expect: ['orders.expiryMs', '5000', '10000'],
  },
  {
    kind: 'config',
    name: 'API on all interfaces without a token',
    set: { 'orchestrator.api.host': '0.0.0.0' },
    expect: ['orchestrator.api', '0.0.0.0'],
  },
  {
    kind: 'config',
    name: 'API key in an RPC URL is not echoed',
    set: { 'rpc.endpoints': [{ url: 'ftp://rpc.example.com/?api-key=SECRETKEY123456', weight: -2 }] },
    expect: ['rpc.endpoints'],
    absent: ['SECRETKEY123456'],
  },
  // env vars read by the config
  { kind: 'config', name: 'SIM_PORT=abc', env: { SIM_PORT: 'abc' }, expect: ['sim.port', 'abc', 'SIM_PORT'] },
  {
    kind: 'config',
    name: 'DRIFT_MODE=sideways',
    env: { DRIFT_MODE: 'sideways' },
    expect: ['mode', 'sideways', 'DRIFT_MODE'],
  },
  {
    kind: 'config',
    name: 'DRIFT_MARKETS with an unknown market',
    env: { DRIFT_MARKETS: 'SOL-PERP,FOO-PERP' },
    expect: ['markets', 'FOO-PERP'],
  },
  {
    kind: 'config',
    name: 'ORCHESTRATOR_PORT=99999',
    env: { ORCHESTRATOR_PORT: '99999' },
    expect: ['orchestrator.api.port', '99999', 'ORCHESTRATOR_PORT'],
  },
  // each app's params, through its own schema
  {
    kind: 'params',
    name: 'jit negative edge',
    app: 'jit-mm-swift',
    set: { edgeBps: -5 },
    expect: ['apps.jit-mm-swift.params.edgeBps', '-5'],
  },
  {
    kind: 'params',
    name: 'jit zero max position',
    app: 'jit-mm-swift',
    set: { 'maxPositionBase.SOL-PERP': '0' },
    expect: ['apps.jit-mm-swift.params.maxPositionBase.SOL-PERP', '0'],
  },
  {
    kind: 'params',
    name: 'jit unknown market',
    app: 'jit-mm-swift',
    set: { markets: ['DOGE-PERP'] },
    expect: ['apps.jit-mm-swift.params.markets', 'DOGE-PERP'],
  },
  {
    kind: 'params',
    name: 'jit unknown key',
    app: 'jit-mm-swift',
    set: { edgeBpz: 4 },
    expect: ['apps.jit-mm-swift.params', 'edgeBpz'],
  },
  {
    kind: 'params',
    name: 'hedge negative slippage',
    app: 'hedge-bot',
    set: { maxSlippageBps: -1 },
    expect: ['apps.hedge-bot.params.maxSlippageBps', '-1'],
  },
  {
    kind: 'params',
    name: 'hedge band on an unknown market',
    app: 'hedge-bot',
    set: { 'bandBase.DOGE-PERP': '1' },
    expect: ['apps.hedge-bot.params.bandBase', 'DOGE-PERP'],
  },
  {
    kind: 'params',
    name: 'trend fast period not below slow',
    app: 'trend-bot',
    set: { 'signal.fastPeriod': 50 },
    expect: ['apps.trend-bot.params.signal.fastPeriod', '50'],
  },
  {
    kind: 'params',
    name: 'trend bad timeframe',
    app: 'trend-bot',
    set: { timeframe: '1x' },
    expect: ['apps.trend-bot.params.timeframe', '1x'],
  },
  // CLI arguments and env of the real entry points
  {
    kind: 'cli',
    name: 'sim unknown flag',
    entry: SIM,
    args: ['--bogus', '1'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'sim bad port',
    entry: SIM,
    args: ['--port', 'abc'],
    exitCode: 'non-zero',
    expect: ['--port', 'abc'],
  },
  {
    kind: 'cli',
    name: 'LOG_LEVEL=loud',
    entry: SIM,
    args: [],
    env: { LOG_LEVEL: 'loud' },
    exitCode: 'non-zero',
    expect: ['LOG_LEVEL', 'loud'],
  },
  {
    kind: 'cli',
    name: 'LOG_FILE_ENABLED=maybe',
    entry: RPC,
    args: [],
    env: { LOG_FILE_ENABLED: 'maybe' },
    exitCode: 'non-zero',
    expect: ['LOG_FILE_ENABLED', 'maybe'],
  },
  {
    kind: 'cli',
    name: 'rpc-manager unknown flag',
    entry: RPC,
    args: ['--bogus'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'rpc-manager bad port',
    entry: RPC,
    args: ['--port', 'abc'],
    exitCode: 2,
    expect: ['port', 'abc'],
  },
  {
    kind: 'cli',
    name: 'swift-client unknown flag',
    entry: 'apps/swift-client/src/main.ts',
    args: ['--bogus'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'drift-client unknown flag',
    entry: 'apps/drift-client/src/main.ts',
    args: ['--bogus'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'order-management report unknown flag',
    entry: 'apps/order-management/src/main.ts',
    args: ['--bogus'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'fleet CLI unknown option',
    entry: FLEET_CLI,
    args: ['status', '--bogus'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'fleet CLI unknown command',
    entry: FLEET_CLI,
    args: ['explode'],
    exitCode: 2,
    expect: ['explode'],
  },
  {
    kind: 'cli',
    name: 'drift-logs audit bad flag',
    entry: DRIFT_LOGS,
    args: ['audit', '--bogus'],
    exitCode: 3,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'drift-logs tail bad level',
    entry: DRIFT_LOGS,
    args: ['tail', '--level', 'loud'],
    exitCode: 3,
    expect: ['loud'],
  },
  {
    kind: 'cli',
    name: 'drift-logs unknown command',
    entry: DRIFT_LOGS,
    args: ['explode'],
    exitCode: 3,
    expect: ['explode'],
  },
  {
    kind: 'cli',
    name: 'orchestrator unknown flag',
    entry: 'apps/orchestrator/src/main.ts',
    args: ['--bogus'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'jit-mm-swift unknown flag',
    entry: 'apps/jit-mm-swift/src/main.ts',
    args: ['--bogus'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'hedge-bot unknown flag',
    entry: 'apps/hedge-bot/src/main.ts',
    args: ['--bogus'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  {
    kind: 'cli',
    name: 'trend-bot unknown flag',
    entry: 'apps/trend-bot/src/main.ts',
    args: ['--bogus'],
    exitCode: 2,
    expect: ['--bogus'],
  },
  // orchestrator API
  {
    kind: 'api',
    name: 'wrong token',
    method: 'POST',
    path: '/api/apps/worker/stop',
    token: 'wrong',
    status: 401,
    expect: ['token'],
    absent: ['wrong-token-'],
  },
  {
    kind: 'api',
    name: 'no token',
    method: 'POST',
    path: '/api/apps/worker/stop',
    token: 'none',
    status: 401,
    expect: ['token'],
  },
  {
    kind: 'api',
    name: 'unknown app',
    method: 'POST',
    path: '/api/apps/ghost-bot/stop',
    token: 'good',
    status: 404,
    expect: ['ghost-bot'],
  },
  {
    kind: 'api',
    name: 'malformed JSON',
    method: 'POST',
    path: '/api/apps/worker/restart',
    token: 'good',
    body: '{"by": ',
    status: 400,
    expect: ['JSON'],
  },
  {
    kind: 'api',
    name: 'unknown action',
    method: 'POST',
    path: '/api/apps/worker/explode',
    token: 'good',
    status: 404,
    expect: ['explode'],
  },
  {
    kind: 'api',
    name: 'wrong method',
    method: 'GET',
    path: '/api/apps/worker/stop',
    token: 'good',
    status: 405,
    expect: [],
  },
  // simulator WebSocket
  { kind: 'ws', name: 'not JSON', frame: '{"id": 1, "type": ', field: 'message', expect: [] },
  {
    kind: 'ws',
    name: 'unknown type',
    frame: '{"id":2,"type":"explode"}',
    field: 'type',
    expect: ['explode'],
  },
  {
    kind: 'ws',
    name: 'order size not a number',
    frame:
      '{"id":3,"type":"place","subAccount":1,"order":{"market":"SOL-PERP","side":"buy","type":"limit","price":"150000000","baseAmount":"abc"}}',
    field: 'order.baseAmount',
    expect: ['abc'],
  },
  {
    kind: 'ws',
    name: 'oracle of an unknown market',
    frame: '{"id":4,"type":"oracle","market":"DOGE-PERP"}',
    field: 'market',
    expect: ['DOGE-PERP'],
  },
  {
    kind: 'ws',
    name: 'fills of a non-numeric sub-account',
    frame: '{"id":5,"type":"fills","subAccount":"abc"}',
    field: 'subAccount',
    expect: ['abc'],
  },
  {
    kind: 'ws',
    name: 'subscribe to a bad sub-account list',
    frame: '{"id":6,"type":"subscribe","subAccounts":"some"}',
    field: 'subAccounts',
    expect: ['some'],
  },
];
