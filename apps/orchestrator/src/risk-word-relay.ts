/**
 * For `run-one`: what the orchestrator's fleet does for a bot, from the risk manager's word file
 * instead of its IPC. Each new word (a later time than the last) is relayed as `risk-word`, and a
 * change of the state it carries as `halt` / `resume` / `trading-state`. A file that stops changing
 * relays nothing, so the bot's own watch fails it closed.
 */
import type { TradingStateName } from '@drift/domain';
import { type ParentMessage, type RiskWord, readRiskWord } from '@drift/runtime';

interface Relay {
  send(message: ParentMessage): boolean;
}

export function relayMessageFor(state: TradingStateName, reason: string): ParentMessage {
  const by = 'risk-manager';
  if (state === 'halted') return { type: 'halt', reason, by };
  if (state === 'active') return { type: 'resume', reason, by };
  return { type: 'trading-state', state, reason, by };
}

/** Polls `file` (a quarter of the silence bound, at most every second) until the process ends. */
export function relayRiskWordFile(file: string, app: Relay, silenceMs: number): NodeJS.Timeout {
  let last: RiskWord | undefined;
  const poll = () => {
    const word = readRiskWord(file);
    if (!word || (last && word.at <= last.at)) return;
    if (word.state !== (last?.state ?? 'active')) app.send(relayMessageFor(word.state, word.reason));
    if (app.send({ type: 'risk-word', ts: word.at })) last = word;
  };
  const timer = setInterval(poll, Math.max(50, Math.min(1_000, silenceMs / 4)));
  timer.unref();
  poll();
  return timer;
}
