/** One upstream RPC endpoint and what the pool knows about it. */
import { redactUrl } from '@drift/config';
import { type BreakerOptions, CircuitBreaker } from './circuit-breaker.js';

export interface EndpointConfig {
  /** HTTP(S) JSON-RPC URL; may carry an API key (never logged: see `label`). */
  url: string;
  /** WebSocket URL; default: Solana's convention (see `websocketUrlFor`). */
  wsUrl?: string;
  /** Label for logs and status instead of the (redacted) URL. */
  name?: string;
  /** Relative preference (default 1): latency is divided by it when ranking. */
  weight?: number;
}

/** How fast past latencies fade: each new sample counts for this share of the average. */
const LATENCY_EWMA_ALPHA = 0.3;

export class Endpoint {
  readonly url: string;
  readonly wsUrl: string;
  /** Safe to log: the config `name`, or the URL with credentials redacted. */
  readonly label: string;
  readonly weight: number;
  readonly breaker: CircuitBreaker;
  /** Exponentially weighted moving average of request latency, ms; undefined until measured. */
  latencyMs: number | undefined;
  /** Last slot reported by a health probe. */
  slot: number | undefined;
  /** Last probe verdict: undefined until probed. */
  healthy: boolean | undefined;
  /** No traffic before this time (ms epoch): set by 429 `Retry-After`. */
  cooldownUntil = 0;
  /** Short reason for the last failure (never contains the URL). */
  lastFailure: string | undefined;

  constructor(config: EndpointConfig, breaker: BreakerOptions, now: () => number = Date.now) {
    this.url = config.url;
    this.wsUrl = config.wsUrl ?? websocketUrlFor(config.url);
    this.label = config.name ?? redactUrl(config.url);
    this.weight = config.weight ?? 1;
    this.breaker = new CircuitBreaker(breaker, now);
  }

  recordLatency(ms: number): void {
    this.latencyMs =
      this.latencyMs === undefined ? ms : this.latencyMs + LATENCY_EWMA_ALPHA * (ms - this.latencyMs);
  }
}

/**
 * The WebSocket URL for an HTTP RPC URL, as `@solana/web3.js` derives it: `http`->`ws`,
 * `https`->`wss`, and an explicit port shifted by one (the validator's RPC/pubsub port pair).
 */
export function websocketUrlFor(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (url.port !== '') url.port = String(Number(url.port) + 1);
  return url.toString();
}
