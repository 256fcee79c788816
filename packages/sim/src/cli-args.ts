/**
 * `server-main` flags, which override the fleet config's `sim` section:
 * `--config <path> --host <host> --port <n> --seed <n> --speed <x> --start-ts <ms>`.
 * A bad flag or value throws naming both.
 */
export interface SimCliArgs {
  config?: string;
  host?: string;
  port?: number;
  seed?: number;
  speed?: number;
  startTs?: number;
}

export const SIM_USAGE = `usage: pnpm --filter @drift/sim start -- [--config PATH] [--host HOST] [--port N] [--seed N] [--speed X] [--start-ts MS]
  flags override the fleet config's sim section (drift-bots.yaml, or the file in DRIFT_BOTS_CONFIG)
  -h, --help  this text`;

const FLAGS = ['--config', '--host', '--port', '--seed', '--speed', '--start-ts'] as const;

export function parseSimCliArgs(rawArgv: readonly string[]): SimCliArgs {
  const args: SimCliArgs = {};
  // `pnpm --filter @drift/sim start -- --port 1` passes the `--` through: it separates, it is no flag.
  const argv = rawArgv[0] === '--' ? rawArgv.slice(1) : rawArgv;
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (!FLAGS.includes(flag as (typeof FLAGS)[number]))
      throw new RangeError(`unknown option '${flag}' (expected one of ${FLAGS.join(', ')})`);
    if (value === undefined || value.startsWith('--')) throw new RangeError(`${flag}: missing value`);
    switch (flag) {
      case '--config':
        args.config = value;
        break;
      case '--host':
        if (!/^[A-Za-z0-9.:[\]-]+$/.test(value))
          throw new RangeError(`--host: "${value}" is not a host name or IP`);
        args.host = value;
        break;
      case '--port':
        args.port = integer(flag, value, 0, 65_535);
        break;
      case '--seed':
        args.seed = integer(flag, value, 0, 2 ** 32 - 1);
        break;
      case '--speed': {
        const speed = Number(value);
        if (!/^\d+(\.\d+)?$/.test(value) || !(speed > 0))
          throw new RangeError(`--speed: "${value}" is not a number > 0`);
        args.speed = speed;
        break;
      }
      case '--start-ts':
        args.startTs = integer(flag, value, 0, Number.MAX_SAFE_INTEGER);
        break;
    }
  }
  return args;
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new RangeError(`${flag}: "${value}" is not an integer in ${min}..${max}`);
  return n;
}
