/**
 * The RPC pool: sends each JSON-RPC request to the best usable endpoint, retries and fails over
 * within a bound, and keeps endpoint health current with periodic probes.
 * Retry rules are in README "Retry rules"; they are implemented in `request`.
 */
import { EventEmitter } from 'node:events';
import { DriftError } from '@drift/logging';
import type { Logger } from 'pino';
import { type BackoffPolicy, backoffDelayMs } from './backoff.js';
import type { BreakerOptions } from './circuit-breaker.js';
import { Endpoint, type EndpointConfig } from './endpoint.js';
import type { Failure } from './failure.js';
import { callsIn, errorReply, type JsonRpcCall, POOL_ERROR } from './json-rpc.js';
import { bestSlot, isBetter, slotLag } from './ranking.js';
import { createUpstream, postJson, type Upstream, type UpstreamResult } from './upstream-http.js';

/** What may happen to a non-idempotent call (`sendTransaction`) after an ambiguous failure. */
export type AmbiguousSendRetry = 'never' | 'other-endpoints' | 'same-endpoint';

export interface PoolOptions {
  endpoints: readonly EndpointConfig[];
  logger: Logger;
  /** Per attempt, ms. */
  requestTimeoutMs?: number;
  /** Attempts per request, across all endpoints (first try included). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  breaker?: BreakerOptions;
  /** Probe interval, ms (0: no periodic probes). */
  healthCheckMs?: number;
  probeTimeoutMs?: number;
  /** An endpoint this many slots behind the best is unhealthy. */
  maxSlotLag?: number;
  slotLagTolerance?: number;
  ambiguousSendRetry?: AmbiguousSendRetry;
  nonIdempotentMethods?: readonly string[];
  /** For jitter; tests pass a seeded generator. */
  random?: () => number;
}

export const POOL_DEFAULTS = {
  requestTimeoutMs: 10_000,
  maxAttempts: 4,
  backoff: { baseMs: 250, capMs: 10_000 },
  breaker: { failureThreshold: 3, openMs: 5_000 },
  healthCheckMs: 5_000,
  probeTimeoutMs: 2_000,
  maxSlotLag: 50,
  slotLagTolerance: 5,
  ambiguousSendRetry: 'never' as AmbiguousSendRetry,
  nonIdempotentMethods: ['sendTransaction', 'requestAirdrop'] as readonly string[],
};

/** The pool's reply to a request: the upstream's answer, or an error body to send back as is. */
export interface PoolReply {
  /** True when an upstream answered (its JSON-RPC body may still hold an application error). */
  ok: boolean;
  status: number;
  body: Buffer | string;
  contentType: string;
  /** Seconds, for a passed-on 429/503. */
  retryAfterSeconds?: number;
  /** Label of the endpoint that gave the final word. */
  endpoint?: string;
  attempts: number;
  /** Set when a non-idempotent call may or may not have been processed. */
  outcomeUnknown?: boolean;
  failure?: Failure;
}

export interface EndpointStatus {
  label: string;
  healthy: boolean | undefined;
  breaker: string;
  slot: number | undefined;
  slotLag: number | undefined;
  latencyMs: number | undefined;
  cooldownMs: number;
  lastFailure: string | undefined;
}

/** Thrown by `RpcPool.call` when no upstream gave an answer. The message never contains a URL. */
export class RpcPoolError extends DriftError {
  override readonly code = 'DRIFT_ERR_RPC_NO_ANSWER';
  override readonly name = 'RpcPoolError';
  constructor(
    message: string,
    readonly rpcErrorCode: number,
    readonly outcomeUnknown: boolean,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** The body's calls, when the caller has parsed it already (the proxy): saves parsing it again. */
  calls?: readonly JsonRpcCall[];
}

/** Emitted as `endpoint-down` when an endpoint stops being usable (circuit opened or probe failed). */
export type EndpointDownListener = (label: string) => void;

export class RpcPool extends EventEmitter<{ 'endpoint-down': [label: string] }> {
  readonly endpoints: readonly Endpoint[];
  /** Since start, for heartbeats and metrics. */
  readonly counters = { requests: 0, answered: 0, failed: 0, retries: 0, outcomeUnknown: 0 };
  readonly #log: Logger;
  readonly #o: Required<Omit<PoolOptions, 'endpoints' | 'logger' | 'random'>>;
  readonly #random: () => number;
  readonly #upstreams = new Map<Endpoint, Upstream>();
  readonly #nonIdempotent: ReadonlySet<string>;
  #probeTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: PoolOptions) {
    super();
    if (options.endpoints.length === 0)
      throw new Error('rpc.endpoints: [] is empty: list at least one endpoint');
    this.#log = options.logger.child({ component: 'rpc-manager' });
    this.#o = {
      requestTimeoutMs: options.requestTimeoutMs ?? POOL_DEFAULTS.requestTimeoutMs,
      maxAttempts: options.maxAttempts ?? POOL_DEFAULTS.maxAttempts,
      backoff: options.backoff ?? POOL_DEFAULTS.backoff,
      breaker: options.breaker ?? POOL_DEFAULTS.breaker,
      healthCheckMs: options.healthCheckMs ?? POOL_DEFAULTS.healthCheckMs,
      probeTimeoutMs: options.probeTimeoutMs ?? POOL_DEFAULTS.probeTimeoutMs,
      maxSlotLag: options.maxSlotLag ?? POOL_DEFAULTS.maxSlotLag,
      slotLagTolerance: options.slotLagTolerance ?? POOL_DEFAULTS.slotLagTolerance,
      ambiguousSendRetry: options.ambiguousSendRetry ?? POOL_DEFAULTS.ambiguousSendRetry,
      nonIdempotentMethods: options.nonIdempotentMethods ?? POOL_DEFAULTS.nonIdempotentMethods,
    };
    this.#random = options.random ?? Math.random;
    this.#nonIdempotent = new Set(this.#o.nonIdempotentMethods);
    this.endpoints = options.endpoints.map((c) => new Endpoint(c, this.#o.breaker));
    for (const e of this.endpoints) this.#upstreams.set(e, createUpstream(e.url));
  }

  /** Probes every endpoint once, then every `healthCheckMs`. */
  async start(): Promise<void> {
    await this.probeAll();
    if (this.#o.healthCheckMs > 0 && !this.#closed) {
      this.#probeTimer = setInterval(() => void this.probeAll(), this.#o.healthCheckMs);
      this.#probeTimer.unref();
    }
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#probeTimer);
    for (const upstream of this.#upstreams.values()) upstream.agent.destroy();
  }

  /** The endpoint the next request would go to (skipping `exclude`), if any is usable now. */
  best(exclude: ReadonlySet<Endpoint> = NONE): Endpoint | undefined {
    const now = Date.now();
    let best: Endpoint | undefined;
    let topSlot: number | undefined;
    for (const e of this.endpoints) {
      if (exclude.has(e) || e.cooldownUntil > now || !e.breaker.canRequest()) continue;
      if (best === undefined) {
        best = e;
        continue;
      }
      topSlot ??= bestSlot(this.endpoints);
      if (isBetter(e, best, topSlot, this.#o)) best = e;
    }
    return best;
  }

  status(): EndpointStatus[] {
    const best = bestSlot(this.endpoints);
    const now = Date.now();
    return this.endpoints.map((e) => ({
      label: e.label,
      healthy: e.healthy,
      breaker: e.breaker.state,
      slot: e.slot,
      slotLag: slotLag(e, best),
      latencyMs: e.latencyMs === undefined ? undefined : Math.round(e.latencyMs * 10) / 10,
      cooldownMs: Math.max(0, e.cooldownUntil - now),
      lastFailure: e.lastFailure,
    }));
  }

  /**
   * Sends a JSON-RPC body (one call or a batch) and returns the reply to hand back to the caller.
   * Never throws; never rejects.
   */
  async request(body: string, options: RequestOptions = {}): Promise<PoolReply> {
    this.counters.requests += 1;
    const reply = await this.#request(body, options);
    if (reply.ok) this.counters.answered += 1;
    else this.counters.failed += 1;
    if (reply.outcomeUnknown) this.counters.outcomeUnknown += 1;
    if (reply.attempts > 1) this.counters.retries += reply.attempts - 1;
    return reply;
  }

  async #request(body: string, options: RequestOptions): Promise<PoolReply> {
    const calls = options.calls ?? callsIn(body);
    const nonIdempotent = this.#anyNonIdempotent(calls);
    // Both stay empty for a request answered at the first try (most): no sets made for those.
    let excluded: ReadonlySet<Endpoint> = NONE;
    let tried: ReadonlySet<Endpoint> = NONE;
    let attempts = 0;
    let retries = 0;
    let last: { endpoint: Endpoint; result: UpstreamResult & { ok: false } } | undefined;

    while (attempts < this.#o.maxAttempts && !options.signal?.aborted) {
      const untriedOnly = tried.size === 0 ? excluded : new Set([...excluded, ...tried]);
      let endpoint = this.best(untriedOnly);
      if (endpoint === undefined) {
        // Nothing untried is usable now: wait once (the backoff step before going back to a tried
        // endpoint, and at least until the first cool-down ends), then go. A wait that started over
        // whenever a newer 429 (a probe's, another request's) renewed the cool-down never ended.
        const waitMs = this.#waitBeforeNextAttemptMs(excluded, tried.size > 0 ? retries++ : undefined);
        if (waitMs === undefined) break; // every circuit open: fail fast, that is their point
        await sleep(waitMs, options.signal);
        if (options.signal?.aborted) break;
        endpoint = this.best(untriedOnly) ?? this.best(excluded) ?? this.#soonestBack(excluded);
        if (endpoint === undefined) break;
      }
      attempts += 1;
      endpoint.breaker.onRequest();
      const result = await postJson(
        this.#upstreams.get(endpoint)!,
        body,
        this.#o.requestTimeoutMs,
        options.signal,
      );
      if (result.ok) {
        this.#onSuccess(endpoint, result.latencyMs);
        return {
          ok: true,
          status: result.status,
          body: result.body,
          contentType: result.contentType ?? 'application/json',
          endpoint: endpoint.label,
          attempts,
        };
      }
      last = { endpoint, result };
      tried = new Set(tried).add(endpoint);
      this.#onFailure(endpoint, result.failure);
      this.#log.debug(
        {
          endpoint: endpoint.label,
          method: methodNames(calls),
          attempt: attempts,
          failure: result.failure.detail,
        },
        'rpc attempt failed',
      );
      if (nonIdempotent && !result.failure.definite) {
        if (this.#o.ambiguousSendRetry === 'never')
          return this.#outcomeUnknown(body, methodNames(calls), last, attempts);
        if (this.#o.ambiguousSendRetry === 'other-endpoints') excluded = new Set(excluded).add(endpoint);
      }
    }
    return this.#exhausted(body, methodNames(calls), last, attempts, nonIdempotent);
  }

  /** Convenience for library use: one call, its `result` or an `RpcPoolError`. */
  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const reply = await this.request(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
    let parsed: { result?: T; error?: { code: number; message: string } };
    try {
      parsed = JSON.parse(reply.body.toString());
    } catch {
      throw new RpcPoolError(
        `${method}: HTTP ${reply.status} with a non-JSON body`,
        POOL_ERROR.exhausted,
        false,
      );
    }
    if (parsed.error)
      throw new RpcPoolError(`${method}: ${parsed.error.message}`, parsed.error.code, !!reply.outcomeUnknown);
    return parsed.result as T;
  }

  /** One probe of one endpoint: `getHealth` and `getSlot` in parallel. */
  async probe(endpoint: Endpoint): Promise<void> {
    const post = (method: string, params: unknown[]) =>
      postJson(
        this.#upstreams.get(endpoint)!,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
        this.#o.probeTimeoutMs,
      );
    const [health, slot] = await Promise.all([
      post('getHealth', []),
      post('getSlot', [{ commitment: 'processed' }]),
    ]);
    if (this.#closed) return;
    const failed = !health.ok ? health : !slot.ok ? slot : undefined;
    if (failed && !failed.ok) {
      if (failed.failure.kind === 'rate-limited') {
        this.#onFailure(endpoint, failed.failure);
        return;
      }
      this.#setHealthy(endpoint, false, failed.failure.detail);
      this.#onFailure(endpoint, failed.failure);
      return;
    }
    const healthError = rpcError(health.ok ? health.body : undefined);
    const slotValue = rpcResult(slot.ok ? slot.body : undefined);
    if (typeof slotValue === 'number') endpoint.slot = slotValue;
    endpoint.recordLatency(Math.max(health.latencyMs, slot.latencyMs));
    const lag = slotLag(endpoint, bestSlot(this.endpoints)) ?? 0;
    if (healthError !== undefined) this.#setHealthy(endpoint, false, `getHealth: ${healthError}`);
    else if (typeof slotValue !== 'number')
      this.#setHealthy(endpoint, false, 'getSlot: no slot in the reply');
    else if (lag > this.#o.maxSlotLag) this.#setHealthy(endpoint, false, `${lag} slots behind the best`);
    else this.#setHealthy(endpoint, true);
    // A good probe is the half-open trial: traffic comes back without risking a real request.
    if (endpoint.healthy) this.#onSuccess(endpoint);
  }

  /** Probes every endpoint except those cooling down after a 429: they asked for no traffic. */
  async probeAll(): Promise<void> {
    const now = Date.now();
    await Promise.all(this.endpoints.filter((e) => e.cooldownUntil <= now).map((e) => this.probe(e)));
    // Lag is relative to the best: re-judge everyone against this round's best slot.
    const best = bestSlot(this.endpoints);
    for (const e of this.endpoints) {
      const lag = slotLag(e, best);
      if (e.healthy && lag !== undefined && lag > this.#o.maxSlotLag)
        this.#setHealthy(e, false, `${lag} slots behind the best`);
    }
  }

  #anyNonIdempotent(calls: readonly JsonRpcCall[]): boolean {
    for (const c of calls) if (this.#nonIdempotent.has(c.method)) return true;
    return false;
  }

  #onSuccess(endpoint: Endpoint, latencyMs?: number): void {
    if (latencyMs !== undefined) endpoint.recordLatency(latencyMs);
    const before = endpoint.breaker.onSuccess();
    if (before === 'half-open') this.#log.info({ endpoint: endpoint.label }, 'rpc endpoint circuit closed');
  }

  #onFailure(endpoint: Endpoint, failure: Failure): void {
    endpoint.lastFailure = failure.detail;
    if (failure.kind === 'rate-limited') {
      // Alive but busy: honour Retry-After (capped) without counting it against the circuit.
      const waitMs = Math.min(
        failure.retryAfterMs ?? backoffDelayMs(0, this.#o.backoff, this.#random),
        this.#o.backoff.capMs,
      );
      endpoint.cooldownUntil = Math.max(endpoint.cooldownUntil, Date.now() + waitMs);
      endpoint.breaker.release();
      this.#log.debug({ endpoint: endpoint.label, waitMs }, 'rpc endpoint rate limited');
      return;
    }
    if (failure.kind === 'timeout') endpoint.recordLatency(this.#o.requestTimeoutMs);
    const before = endpoint.breaker.onFailure();
    if (before === 'closed' && endpoint.breaker.state === 'open') {
      this.#log.warn(
        { endpoint: endpoint.label, failure: failure.detail, reopenInMs: this.#o.breaker.openMs },
        'rpc endpoint circuit opened',
      );
      this.emit('endpoint-down', endpoint.label);
    } else if (before === 'half-open') {
      // A dead endpoint fails its trial every openMs: once at warn (above) is enough.
      this.#log.debug(
        { endpoint: endpoint.label, failure: failure.detail },
        'rpc endpoint circuit re-opened',
      );
    }
  }

  #setHealthy(endpoint: Endpoint, healthy: boolean, reason?: string): void {
    const before = endpoint.healthy;
    endpoint.healthy = healthy;
    if (reason !== undefined) endpoint.lastFailure = reason;
    if (before === healthy) return;
    if (healthy) this.#log.info({ endpoint: endpoint.label, slot: endpoint.slot }, 'rpc endpoint healthy');
    else {
      this.#log.warn({ endpoint: endpoint.label, reason }, 'rpc endpoint unhealthy');
      this.emit('endpoint-down', endpoint.label);
    }
  }

  /**
   * How long to wait before the next attempt when no untried endpoint is usable: the longer of the
   * backoff step (`retry`, when going back to a tried endpoint) and the time until the first
   * endpoint whose circuit lets traffic through ends its cool-down (at most `capMs`: cool-downs are
   * capped). Undefined when every circuit is open.
   */
  #waitBeforeNextAttemptMs(excluded: ReadonlySet<Endpoint>, retry: number | undefined): number | undefined {
    const back = this.#soonestBack(excluded);
    if (back === undefined) return undefined;
    const coolingMs = Math.max(0, back.cooldownUntil - Date.now());
    const backoffMs = retry === undefined ? 0 : backoffDelayMs(retry, this.#o.backoff, this.#random);
    return Math.max(coolingMs, backoffMs);
  }

  /** Of the endpoints whose circuit lets traffic through, the one whose cool-down ends first. */
  #soonestBack(excluded: ReadonlySet<Endpoint>): Endpoint | undefined {
    let soonest: Endpoint | undefined;
    for (const e of this.endpoints) {
      if (excluded.has(e) || !e.breaker.canRequest()) continue;
      if (soonest === undefined || e.cooldownUntil < soonest.cooldownUntil) soonest = e;
    }
    return soonest;
  }

  #outcomeUnknown(
    body: string,
    methods: string,
    last: { endpoint: Endpoint; result: UpstreamResult & { ok: false } },
    attempts: number,
  ): PoolReply {
    const { failure } = last.result;
    const message =
      `${methods} outcome unknown: ${last.endpoint.label} failed after the request was sent (${failure.detail}); ` +
      'not retried: check the transaction signature before resending';
    this.#log.warn(
      { endpoint: last.endpoint.label, method: methods, failure: failure.detail },
      'rpc send outcome unknown',
    );
    return {
      ok: false,
      status: failure.kind === 'timeout' ? 504 : 502,
      body: errorReply(body, POOL_ERROR.outcomeUnknown, message),
      contentType: 'application/json',
      endpoint: last.endpoint.label,
      attempts,
      outcomeUnknown: true,
      failure,
    };
  }

  #exhausted(
    body: string,
    methods: string,
    last: { endpoint: Endpoint; result: UpstreamResult & { ok: false } } | undefined,
    attempts: number,
    nonIdempotent: boolean,
  ): PoolReply {
    if (last === undefined) {
      const message = `${methods}: no usable RPC endpoint (${this.#summary()})`;
      return {
        ok: false,
        status: 503,
        body: errorReply(body, POOL_ERROR.exhausted, message),
        contentType: 'application/json',
        attempts,
      };
    }
    const { failure } = last.result;
    const outcomeUnknown = nonIdempotent && !failure.definite;
    this.#log.warn(
      { endpoint: last.endpoint.label, method: methods, attempts, failure: failure.detail },
      'rpc request failed on every attempt',
    );
    // An upstream HTTP error (429, 5xx) is passed on as it came: the caller sees what the network said.
    if (last.result.body !== undefined && failure.status !== undefined) {
      return {
        ok: false,
        status: failure.status,
        body: last.result.body,
        contentType: 'application/json',
        endpoint: last.endpoint.label,
        attempts,
        outcomeUnknown,
        failure,
        ...(failure.retryAfterMs !== undefined && {
          retryAfterSeconds: Math.ceil(failure.retryAfterMs / 1000),
        }),
      };
    }
    const message = `${methods} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}; last: ${last.endpoint.label}: ${failure.detail}`;
    return {
      ok: false,
      status: failure.kind === 'timeout' ? 504 : 502,
      body: errorReply(body, outcomeUnknown ? POOL_ERROR.outcomeUnknown : POOL_ERROR.exhausted, message),
      contentType: 'application/json',
      endpoint: last.endpoint.label,
      attempts,
      outcomeUnknown,
      failure,
    };
  }

  #summary(): string {
    return this.status()
      .map((s) => `${s.label}: ${s.breaker}${s.cooldownMs > 0 ? `, cooling ${s.cooldownMs} ms` : ''}`)
      .join('; ');
  }
}

const NONE: ReadonlySet<Endpoint> = new Set();

/** For logs and error messages only (not built for requests that succeed). */
function methodNames(calls: readonly JsonRpcCall[]): string {
  return calls.map((c) => c.method).join(',') || 'unknown';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

function parseBody(
  body: Buffer | undefined,
): { result?: unknown; error?: { message?: unknown } } | undefined {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body.toString());
  } catch {
    return undefined;
  }
}

function rpcResult(body: Buffer | undefined): unknown {
  return parseBody(body)?.result;
}

/** The JSON-RPC error message of a reply (or "malformed reply"), undefined when it succeeded. */
function rpcError(body: Buffer | undefined): string | undefined {
  const parsed = parseBody(body);
  if (parsed === undefined) return 'malformed reply';
  if (parsed.error === undefined) return undefined;
  return typeof parsed.error.message === 'string' ? parsed.error.message : 'error';
}
