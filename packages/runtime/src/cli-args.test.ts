import { describe, expect, it } from 'vitest';
import { CliUsageError, checkCliArgs, noOptionsUsage, parseFlags } from './cli-args.js';

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
