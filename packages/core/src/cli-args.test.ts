import { describe, expect, it } from 'vitest';
import { CliUsageError, checkCliArgs, noOptionsUsage, parseCommandLine, parseFlags } from './cli-args.js';

const bot = { app: 'hedge-bot', usage: noOptionsUsage('hedge-bot') };

describe('checkCliArgs', () => {
  it('an app without options takes no argument, and names the one it got', () => {
    expect(checkCliArgs(bot, [])).toEqual({ kind: 'args', args: {} });
    expect(checkCliArgs(bot, ['--bogus'])).toEqual({
      kind: 'error',
      text: `hedge-bot: unknown option '--bogus'\n${bot.usage}`,
    });
    expect(checkCliArgs(bot, ['extra'])).toMatchObject({
      kind: 'error',
      text: expect.stringMatching(/^hedge-bot: unexpected argument 'extra'/),
    });
  });

  it('--help and -h answer with the usage; the -- pnpm passes through is no argument', () => {
    expect(checkCliArgs(bot, ['--help'])).toEqual({ kind: 'help', text: bot.usage });
    expect(checkCliArgs(bot, ['--', '-h'])).toEqual({ kind: 'help', text: bot.usage });
    expect(checkCliArgs(bot, ['--'])).toEqual({ kind: 'args', args: {} });
  });

  it("runs an app's own parser and prints the usage once", () => {
    const usage = 'usage: tool [--watch] [--n N]';
    const parse = (argv: string[]) => {
      const values = parseFlags(argv, { watch: { type: 'boolean' }, n: { type: 'string' } });
      if (values.n !== undefined && !/^\d+$/.test(String(values.n)))
        throw new CliUsageError(`--n: "${values.n}" is not a number\n${usage}`);
      return values;
    };
    expect(checkCliArgs({ app: 'tool', usage, parse }, ['--', '--watch', '--n', '3'])).toEqual({
      kind: 'args',
      args: { watch: true, n: '3' },
    });
    expect(checkCliArgs({ app: 'tool', usage, parse }, ['--n', 'x'])).toEqual({
      kind: 'error',
      text: `tool: --n: "x" is not a number\n${usage}`,
    });
    expect(checkCliArgs({ app: 'tool', usage, parse }, ['--n'])).toEqual({
      kind: 'error',
      text: `tool: option '--n <value>' argument missing\n${usage}`,
    });
  });
});

describe('parseCommandLine', () => {
  const options = { url: { type: 'string' }, by: { type: 'string' } } as const;

  it('takes a command and its operands beside the flags, after the -- pnpm passes', () => {
    expect(parseCommandLine(['--', 'start', 'hedge-bot', '--url', 'http://127.0.0.1:1'], options)).toEqual({
      values: { url: 'http://127.0.0.1:1' },
      positionals: ['start', 'hedge-bot'],
    });
  });

  it('names an unknown flag and a missing value', () => {
    expect(() => parseCommandLine(['status', '--bogus'], options)).toThrow(
      new CliUsageError("unknown option '--bogus'"),
    );
    expect(() => parseCommandLine(['reset-halt', '--by'], options)).toThrow(
      "option '--by <value>' argument missing",
    );
  });

  it('never echoes an API key in a stray URL', () => {
    const err = (() => {
      try {
        parseFlags(['https://rpc.example.com/?api-key=SECRET123'], {});
      } catch (e) {
        return e as CliUsageError;
      }
    })();
    expect(err?.message).toMatch(/^unexpected argument 'https:\/\/rpc\.example\.com/);
    expect(err?.message).not.toContain('SECRET123');
  });
});
