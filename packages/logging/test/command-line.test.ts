import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCommandLine, parseFlags } from '../src/index.js';

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
