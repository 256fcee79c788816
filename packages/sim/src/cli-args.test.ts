import { describe, expect, it } from 'vitest';
import { parseSimCliArgs } from './cli-args.js';

describe('server-main flags', () => {
  it('parses every flag', () => {
    expect(
      parseSimCliArgs([
        '--config',
        'x.yaml',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--seed',
        '7',
        '--speed',
        '2.5',
        '--start-ts',
        '1000',
      ]),
    ).toEqual({ config: 'x.yaml', host: '127.0.0.1', port: 0, seed: 7, speed: 2.5, startTs: 1000 });
  });

  it.each([
    [['--port', '70000'], '--port: "70000" is not an integer in 0..65535'],
    [['--speed', '0'], '--speed: "0" is not a number > 0'],
    [['--speed', 'fast'], '--speed: "fast" is not a number > 0'],
    [['--seed', '-1'], '--seed: "-1" is not an integer'],
    [['--host', 'a b'], '--host: "a b" is not a host name or IP'],
    [['--port'], '--port: missing value'],
    [['--port', '--seed'], '--port: missing value'],
    [['--verbose', '1'], "unknown option '--verbose'"],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseSimCliArgs(argv)).toThrow(message);
  });
});

describe('the -- that pnpm passes through', () => {
  it('is skipped, not taken for a flag', () => {
    expect(parseSimCliArgs(['--', '--port', '8791'])).toMatchObject({ port: 8791 });
  });
});
