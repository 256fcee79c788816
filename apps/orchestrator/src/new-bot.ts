/**
 * `pnpm new:bot <name> [--root DIR]` (also `pnpm new:bot -- <name>`): creates `apps/<name>`, a bot
 * package on bot-runtime's `Bot` contract (files in new-bot-files.ts): a grid strategy stub that
 * trades through the order flow, its params schema, `main.ts` = `runBot`, and tests proving it
 * trades in paper mode and keeps the fleet's bot contract. Then: add it to `drift-bots.yaml` and
 * `pnpm install`; `pnpm start` runs it with the fleet.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DriftError, findWorkspaceRoot } from '@drift/logging';
import { CliUsageError, parseCommandLine, readCliArgs } from '@drift/runtime';
import { botFiles } from './new-bot-files.js';

const NAME = /^[a-z][a-z0-9-]{1,40}$/;
const RESERVED = new Set(['sim', 'orchestrator', 'domain', 'config', 'runtime', 'logging', 'bot-runtime']);
const USAGE = 'usage: pnpm new:bot <name> [--root DIR]';

export class NewBotError extends DriftError {
  override readonly code = 'DRIFT_ERR_NEW_BOT_REFUSED';
}

/** Writes the package; returns the files written (absolute). Refuses bad names and existing dirs. */
export function generateBot(name: string, root: string): string[] {
  if (!NAME.test(name))
    throw new NewBotError(
      `bot name ${JSON.stringify(name)} is not lower-case letters, digits and dashes (2-41 chars, letter first)`,
    );
  if (RESERVED.has(name)) throw new NewBotError(`bot name ${JSON.stringify(name)} is reserved`);
  const dir = join(root, 'apps', name);
  if (existsSync(dir)) throw new NewBotError(`${dir} already exists: pick another name`);
  const up = relative(dir, root).split('\\').join('/');
  const written: string[] = [];
  for (const [path, content] of Object.entries(botFiles(name, up))) {
    const file = join(dir, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content, { flag: 'wx' });
    written.push(file);
  }
  return written;
}

/** The arguments (@drift/runtime's `readCliArgs` has dropped a leading `--`): one name, an optional root. */
export function parseNewBotArgs(argv: string[]): { name: string; root?: string } {
  const { values, positionals } = parseCommandLine(argv, { root: { type: 'string' } });
  const [name, ...extra] = positionals;
  if (!name) throw new CliUsageError('no bot name given');
  if (extra.length > 0) throw new CliUsageError(`one bot name at a time (also given: ${extra.join(' ')})`);
  return { name, ...(values.root !== undefined && { root: values.root }) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = readCliArgs({ app: 'new:bot', usage: USAGE, parse: parseNewBotArgs });
  const root = args.root
    ? resolve(args.root)
    : (findWorkspaceRoot(process.env.INIT_CWD ?? process.cwd()) ?? process.cwd());
  try {
    const files = generateBot(args.name, root);
    process.stdout.write(
      `created apps/${args.name} (${files.length} files)\nnext: add "${args.name}: { kind: bot, subAccount: N }" under apps in drift-bots.yaml, then pnpm install && pnpm start\n`,
    );
  } catch (err) {
    if (!(err instanceof NewBotError)) throw err;
    process.stderr.write(`new:bot: ${err.message}\n`);
    process.exit(2);
  }
}
