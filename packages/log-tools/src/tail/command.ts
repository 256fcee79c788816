// `drift-logs tail`: the apps' logs merged in time order, filtered, optionally followed across rotation.
import path from 'node:path';
import { resolveLogDir } from '@drift/logging';
import {
  COMMON_OPTIONS,
  parseDuration,
  parseFlags,
  parsePositiveInt,
  parseSince,
  resolveRoot,
} from '../cli-args.js';
import { InputError } from '../input-error.js';
import { appsInLogDir } from '../logs/app-files.js';
import { checkLogDir } from '../logs/log-dir.js';
import { parseFieldFlag, parseLevelFlag, type RecordFilter } from './filter.js';
import { renderer } from './render.js';
import { appRecords, Follower, lastRecords, mergeByTime } from './sources.js';

export const TAIL_HELP = `Usage: drift-logs tail [app...] [--level LEVEL] [--grep TEXT] [--field KEY=VALUE]...
                      [--since DURATION|TIME] [--lines N] [--follow] [--json] [--log-dir DIR] [--root DIR]

Merges the apps' log files (current and rotated) in timestamp order. Without app names, every app
with a file in the log dir. Compact, verbose and json lines are all read.

Options:
  --level LEVEL      only this level and above (trace, debug, info, warn, error, fatal)
  --grep TEXT        only records whose first line contains TEXT
  --field KEY=VALUE  only records with this field value, e.g. --field orderId=42 (repeatable)
  --since WHEN       from this long ago (30s, 10m, 2h, 1d) or this ISO time; reads every file from there
  --lines N          without --since, the last N matching records (default 20)
  --follow, -f       keep printing new lines, across rotation (Ctrl-C to stop)
  --poll DURATION    how often --follow checks the files (default 250ms)
  --json             one JSON object per record: time, app, level, msg, fields
  --log-dir DIR      log directory (default: LOG_DIR, else <root>/logs)
  --root DIR         workspace root

Lines are coloured by level when stdout is a terminal (NO_COLOR turns it off).
Exit codes: 0 done, 3 bad input (unknown app, unreadable log, bad flag value).
`;

export async function runTail(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseFlags(
    'tail',
    argv,
    {
      ...COMMON_OPTIONS,
      level: { type: 'string' },
      grep: { type: 'string' },
      field: { type: 'string', multiple: true },
      since: { type: 'string' },
      lines: { type: 'string', short: 'n' },
      follow: { type: 'boolean', short: 'f' },
      poll: { type: 'string' },
      'log-dir': { type: 'string' },
    },
    true,
  );
  if (values.help) {
    out(TAIL_HELP);
    return 0;
  }
  const now = Date.now();
  const filter: RecordFilter = {
    minLevel: parseLevelFlag(values.level),
    fields: (values.field ?? []).map(parseFieldFlag),
    ...(values.grep !== undefined ? { grep: values.grep } : {}),
    ...(values.since !== undefined ? { since: parseSince(values.since, now) } : {}),
  };
  const count = parsePositiveInt('--lines', values.lines ?? '20');
  const pollMs = parseDuration('--poll', values.poll ?? '250ms');
  const root = resolveRoot(values.root);
  const flagDir = values['log-dir'];
  const logDir =
    flagDir ?? (process.env.LOG_DIR || values.root === undefined ? resolveLogDir() : path.join(root, 'logs'));
  checkLogDir(logDir);
  const present = appsInLogDir(logDir);
  const apps = positionals.length ? positionals : present;
  for (const app of apps) {
    if (!present.includes(app)) {
      throw new InputError(
        `unknown app "${app}": no ${app}.log in ${logDir} (apps with logs: ${present.join(', ') || 'none'})`,
      );
    }
  }
  const render = renderer(values.json === true, process.stdout.isTTY === true && !process.env.NO_COLOR);
  const writer = batchedWriter(out);

  if (filter.since !== undefined) {
    for (const rec of mergeByTime(apps.map((app) => appRecords(app, logDir, filter))))
      writer.write(render(rec));
  } else {
    const last = apps
      .flatMap((app) => lastRecords(app, logDir, filter, count))
      .sort((a, b) => a.time - b.time);
    for (const rec of last.slice(-count)) writer.write(render(rec));
  }
  writer.flush();
  if (!values.follow) return 0;

  const followers = apps.map((app) => new Follower(app, path.join(logDir, `${app}.log`), filter, true));
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const batch = followers.flatMap((f) => f.poll()).sort((a, b) => a.time - b.time);
      for (const rec of batch) writer.write(render(rec));
      writer.flush();
    }, pollMs);
    const stop = () => {
      clearInterval(timer);
      for (const f of followers) f.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** Joins output into ~64 KiB writes: one write per record is the slow part on big merges. */
function batchedWriter(out: (s: string) => void) {
  let pending: string[] = [];
  let bytes = 0;
  return {
    write(s: string) {
      pending.push(s);
      bytes += s.length;
      if (bytes >= 65536) this.flush();
    },
    flush() {
      if (pending.length) out(pending.join(''));
      pending = [];
      bytes = 0;
    },
  };
}
