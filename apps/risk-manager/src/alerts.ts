/**
 * Trading-state alerts to chat webhooks (Slack, Discord, Telegram). Posting is fire-and-forget
 * with a timeout: a dead or slow webhook never delays a halt. Webhook URLs carry tokens, so they
 * never appear in a log line or an error.
 */
import type { Logger } from '@drift/logging';

export type WebhookFormat = 'slack' | 'discord' | 'telegram';

export interface Webhook {
  format: WebhookFormat;
  /** Secret: the URL carries the token. */
  url: string;
  /** Telegram only. */
  chatId?: string;
}

export interface Alert {
  state: string;
  previous: string;
  reason: string;
  /** Who caused it: `risk-manager` for a breach, the operator for a reset. */
  by: string;
  at: Date;
  breaches: string[];
}

const ICON: Record<string, string> = { halted: '🛑', reducing: '⚠️', active: '✅' };

export function alertText(alert: Alert): string {
  const head =
    `${ICON[alert.state] ?? ''} drift fleet: ${alert.previous} -> ${alert.state.toUpperCase()}`.trim();
  const lines = [head, `reason: ${alert.reason}`, `by: ${alert.by} at ${alert.at.toISOString()}`];
  for (const b of alert.breaches) lines.push(`- ${b}`);
  return lines.join('\n');
}

/** The request body each service expects. */
export function alertBody(hook: Webhook, alert: Alert): Record<string, unknown> {
  const text = alertText(alert);
  switch (hook.format) {
    case 'slack':
      return { text };
    case 'discord':
      // Discord refuses content over 2000 characters.
      return { content: text.length > 2000 ? `${text.slice(0, 1997)}...` : text };
    case 'telegram':
      return { chat_id: hook.chatId, text, disable_web_page_preview: true };
  }
}

/** Posts one alert; resolves to whether it was accepted. Never throws, never logs the URL. */
export async function postAlert(
  hook: Webhook,
  alert: Alert,
  logger: Logger,
  timeoutMs = 3_000,
): Promise<boolean> {
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertBody(hook, alert)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) logger.warn({ webhook: hook.format, status: res.status }, 'alert webhook refused the alert');
    return res.ok;
  } catch (err) {
    const reason = err instanceof Error ? err.name : 'error';
    logger.warn({ webhook: hook.format, reason }, 'alert webhook unreachable');
    return false;
  }
}

/** Sends every alert to every webhook in the background; `idle()` waits for what is in flight. */
export class AlertDispatcher {
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly hooks: readonly Webhook[],
    private readonly logger: Logger,
    private readonly timeoutMs = 3_000,
  ) {}

  notify(alert: Alert): void {
    this.logger.warn(
      { state: alert.state, previous: alert.previous, reason: alert.reason, by: alert.by },
      'trading state changed',
    );
    for (const hook of this.hooks) {
      const p = postAlert(hook, alert, this.logger, this.timeoutMs).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }
  }

  async idle(): Promise<void> {
    await Promise.all([...this.inflight]);
  }
}
