/**
 * Paper sessions are self-contained: each run of a paper fleet (or of a bot alone) is a session with
 * a fresh simulator, so a journal left by an earlier session describes orders that no longer exist,
 * and its client ids (the simulator's seeded taker uuids) would refuse the new session's orders as
 * duplicates. Such a journal is archived beside it (`<bot>.orders.session-<id>.sqlite`), never
 * deleted; a bot restarted within its session keeps its journal. Live journals are never touched.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { LoggerLike } from '@drift/logging';
import { CHILD_ENV } from '@drift/runtime';

/** This process's session: the orchestrator's run, else one of its own (a bot alone). */
export function paperSessionId(env = process.env): string {
  return (
    env[CHILD_ENV.paperSession] || `alone-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`
  );
}

/** Archives `journal` if another session wrote it, then marks it as this session's. Call under the journal lock. */
export function claimPaperJournal(journal: string, session: string, logger: LoggerLike): void {
  const marker = `${journal}.session`;
  const previous = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
  if (previous !== session && existsSync(journal)) {
    const archive = journal.replace(/(\.sqlite)?$/, `.session-${safe(previous ?? 'earlier')}.sqlite`);
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(journal + suffix)) renameSync(journal + suffix, archive + suffix);
    logger.info(
      { journal, archive, previousSession: previous ?? null, session },
      'paper: earlier session journal archived',
    );
  }
  writeFileSync(marker, `${session}\n`);
}

const safe = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_');
