import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type PoolOptions, RpcPool } from '../src/pool.js';
import { captureLogger } from './capture-logger.js';
import { FakeUpstream } from './fake-upstream.js';

const upstreams: FakeUpstream[] = [];
const pools: RpcPool[] = [];

afterEach(async () => {
  for (const p of pools.splice(0)) p.close();
  await Promise.all(upstreams.splice(0).map((u) => u.close()));
});

async function fakes(n: number): Promise<FakeUpstream[]> {
  const started = await Promise.all(Array.from({ length: n }, () => FakeUpstream.start()));
  upstreams.push(...started);
  return started;
}

function pool(endpoints: PoolOptions['endpoints'], options: Partial<PoolOptions> = {}): RpcPool {
  const p = new RpcPool({
    endpoints,
    logger: captureLogger('silent').logger,
    healthCheckMs: 0,
    requestTimeoutMs: 1_000,
    backoff: { baseMs: 20, capMs: 2_000 },
    random: () => 0.5,
    ...options,
  });
  pools.push(p);
  return p;
}

const getSlot = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'getSlot', params: [] });
const getBlockhash = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'getLatestBlockhash', params: [] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sendTx = JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'sendTransaction', params: ['AQID', {}] });

describe('endpoint choice', () => {
  it('sends traffic to the healthy, caught-up, fastest endpoint', async () => {
    const [behind, slow, good, unhealthy] = await fakes(4);
    behind!.slot = 900; // 100 slots behind the others
    slow!.behaviour = { kind: 'slow', delayMs: 80 };
    unhealthy!.healthy = false;
    for (const u of [slow, good, unhealthy]) u!.slot = 1_000;
    const p = pool([behind!, slow!, good!, unhealthy!].map((u, i) => ({ url: u.url, name: `u${i}` })));
    await p.start();

    const status = p.status();
    expect(status.map((s) => s.healthy)).toEqual([false, true, true, false]);
    expect(status[0]?.slotLag).toBe(100);

    const reply = await p.request(getSlot);
    expect(reply.endpoint).toBe('u2');
    expect(JSON.parse(reply.body.toString())).toEqual({ jsonrpc: '2.0', id: 7, result: 1_000 });
    expect(good!.count('getSlot')).toBe(2); // probe + request
    expect(behind!.count('getSlot')).toBe(1); // probe only
  });

  it('divides latency by weight: a slower endpoint with a large weight is preferred', async () => {
    const [fast, slow] = await fakes(2);
    slow!.behaviour = { kind: 'slow', delayMs: 20 };
    const p = pool([
      { url: fast!.url, name: 'fast' },
      { url: slow!.url, name: 'slow-heavy', weight: 1_000 },
    ]);
    await p.start();
    expect((await p.request(getSlot)).endpoint).toBe('slow-heavy');
  });

  it('fails over to the next endpoint when one answers 500, returning the good answer', async () => {
    const [bad, good] = await fakes(2);
    bad!.behaviour = { kind: 'status', status: 500 };
    const p = pool([{ url: bad!.url }, { url: good!.url }]);
    const reply = await p.request(getSlot);
    expect(reply.ok).toBe(true);
    expect(reply.attempts).toBe(2);
    expect(bad!.count('getSlot')).toBe(1);
    expect(good!.count('getSlot')).toBe(1);
  });

  it('retries a dropped connection of an idempotent call elsewhere', async () => {
    const [dropping, good] = await fakes(2);
    dropping!.behaviour = { kind: 'drop' };
    const p = pool([{ url: dropping!.url }, { url: good!.url }]);
    const reply = await p.request(getSlot);
    expect(reply.ok).toBe(true);
    expect(good!.count('getSlot')).toBe(1);
  });
});

describe('retries', () => {
  it('stop at maxAttempts and pass on the last upstream error', async () => {
    const [a, b] = await fakes(2);
    a!.behaviour = { kind: 'status', status: 500 };
    b!.behaviour = { kind: 'status', status: 502 };
    const p = pool([{ url: a!.url }, { url: b!.url }], {
      maxAttempts: 3,
      breaker: { failureThreshold: 100, openMs: 1_000 },
    });
    const reply = await p.request(getSlot);
    expect(reply.ok).toBe(false);
    expect(reply.attempts).toBe(3);
    expect(a!.calls.length + b!.calls.length).toBe(3);
    expect([500, 502]).toContain(reply.status);
  });

  it('time out a hanging upstream and fail over', async () => {
    const [hanging, good] = await fakes(2);
    hanging!.behaviour = { kind: 'hang' };
    const p = pool([{ url: hanging!.url }, { url: good!.url }], { requestTimeoutMs: 150 });
    const started = Date.now();
    const reply = await p.request(getSlot);
    expect(reply.ok).toBe(true);
    expect(reply.endpoint).toBe(`${good!.url}/`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(p.status()[0]?.lastFailure).toBe('timed out after 150 ms');
  });

  it('honour Retry-After: no request to a 429ing endpoint before it allows', async () => {
    const [limited] = await fakes(1);
    limited!.behaviour = { kind: 'status', status: 429, retryAfter: '1' };
    setTimeout(() => (limited!.behaviour = { kind: 'ok' }), 200);
    const p = pool([{ url: limited!.url }]);
    const started = Date.now();
    const reply = await p.request(getSlot);
    expect(reply.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(limited!.count('getSlot')).toBe(2);
  });

  it('answer within the bound although 429ing probes keep renewing the cool-down a request waits for', async () => {
    const [limited] = await fakes(1);
    limited!.behaviour = { kind: 'status', status: 429, retryAfter: '1' };
    const p = pool([{ url: limited!.url }], { maxAttempts: 3 });
    const probing = setInterval(() => void p.probe(p.endpoints[0]!), 100);
    const started = Date.now();
    const reply = await p.request(getBlockhash).finally(() => clearInterval(probing));
    const ms = Date.now() - started;
    expect(reply.status).toBe(429);
    expect(reply.retryAfterSeconds).toBe(1);
    expect(reply.attempts).toBe(3);
    expect(limited!.count('getLatestBlockhash')).toBe(3);
    expect(limited!.count('getHealth')).toBeGreaterThan(10); // the probes did get 429s meanwhile
    // Two waits of Retry-After (1 s), each ending when the request's own cool-down did.
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(ms).toBeLessThan(2_800);
  });

  it('leave a cooling endpoint unprobed until its Retry-After is over', async () => {
    const [limited] = await fakes(1);
    const p = pool([{ url: limited!.url }], { healthCheckMs: 100, maxAttempts: 1 });
    await p.start();
    limited!.behaviour = { kind: 'status', status: 429, retryAfter: '1' };
    expect((await p.request(getBlockhash)).status).toBe(429);
    await sleep(50); // a probe that left before the 429 may still arrive
    const probes = limited!.count('getHealth');
    await sleep(600);
    expect(limited!.count('getHealth')).toBe(probes);
    await sleep(600);
    expect(limited!.count('getHealth')).toBeGreaterThan(probes);
  });

  it('send a 429ed request to another endpoint at once', async () => {
    const [limited, other] = await fakes(2);
    limited!.behaviour = { kind: 'status', status: 429, retryAfter: '30' };
    const p = pool([{ url: limited!.url }, { url: other!.url }]);
    expect((await p.request(getSlot)).ok).toBe(true);
    expect((await p.request(getSlot)).ok).toBe(true);
    expect(limited!.count('getSlot')).toBe(1); // cooling down: not asked again
    expect(other!.count('getSlot')).toBe(2);
    // Retry-After 30 s is capped at backoff.capMs (2 s here).
    expect(p.status()[0]?.cooldownMs).toBeGreaterThan(1_900);
    expect(p.status()[0]?.cooldownMs).toBeLessThanOrEqual(2_000);
  });
});

describe('connections', () => {
  it('are kept for reuse after a burst: the next burst opens none', async () => {
    let connections = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"jsonrpc":"2.0","id":7,"result":1}');
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const p = pool([{ url: `http://127.0.0.1:${port}` }]);
      const burst = () => Promise.all(Array.from({ length: 40 }, () => p.request(getSlot)));
      expect((await burst()).every((r) => r.ok)).toBe(true);
      expect(connections).toBe(40);
      expect((await burst()).every((r) => r.ok)).toBe(true);
      expect(connections).toBe(40);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures and fails fast; after openMs one trial closes it', async () => {
    const [flaky] = await fakes(1);
    flaky!.behaviour = { kind: 'drop' };
    const p = pool([{ url: flaky!.url }], {
      maxAttempts: 2,
      breaker: { failureThreshold: 2, openMs: 300 },
      backoff: { baseMs: 10, capMs: 1_000 },
    });
    const first = await p.request(getSlot);
    expect(first.ok).toBe(false);
    expect(p.status()[0]?.breaker).toBe('open');

    flaky!.behaviour = { kind: 'ok' };
    const callsWhileOpen = flaky!.calls.length;
    const started = Date.now();
    const whileOpen = await p.request(getSlot); // no endpoint to try: answered at once
    expect(Date.now() - started).toBeLessThan(100);
    expect(whileOpen.status).toBe(503);
    expect(JSON.parse(whileOpen.body.toString()).error.message).toMatch(/no usable RPC endpoint .*: open/);
    expect(flaky!.calls.length).toBe(callsWhileOpen);

    await new Promise((r) => setTimeout(r, 320));
    expect(p.status()[0]?.breaker).toBe('half-open');
    const trial = await p.request(getSlot);
    expect(trial.ok).toBe(true);
    expect(flaky!.calls.length).toBe(callsWhileOpen + 1);
    expect(p.status()[0]?.breaker).toBe('closed');
  });

  it('re-opens when the half-open trial fails, and a good probe closes it', async () => {
    const [flaky, other] = await fakes(2);
    flaky!.behaviour = { kind: 'status', status: 500 };
    const p = pool([{ url: flaky!.url }, { url: other!.url }], {
      breaker: { failureThreshold: 1, openMs: 150 },
    });
    await p.request(getSlot);
    expect(p.status()[0]?.breaker).toBe('open');
    await new Promise((r) => setTimeout(r, 170));
    expect(p.status()[0]?.breaker).toBe('half-open');
    await p.probe(p.endpoints[0]!); // the trial: still failing
    expect(p.status()[0]?.breaker).toBe('open');
    flaky!.behaviour = { kind: 'ok' };
    await new Promise((r) => setTimeout(r, 170));
    await p.probe(p.endpoints[0]!);
    expect(p.status()[0]?.breaker).toBe('closed');
  });
});

describe('sendTransaction', () => {
  it('is not retried after the connection drops once the request was sent', async () => {
    const [dropping, other] = await fakes(2);
    dropping!.behaviour = { kind: 'drop' };
    const p = pool([{ url: dropping!.url }, { url: other!.url }]);
    const reply = await p.request(sendTx);
    expect(reply.ok).toBe(false);
    expect(reply.outcomeUnknown).toBe(true);
    expect(reply.status).toBe(502);
    const body = JSON.parse(reply.body.toString());
    expect(body.id).toBe(8);
    expect(body.error.code).toBe(-32097);
    expect(body.error.message).toMatch(/outcome unknown.*check the transaction signature/);
    expect(dropping!.count('sendTransaction')).toBe(1);
    expect(other!.count('sendTransaction')).toBe(0);
  });

  it('is not retried after a timeout', async () => {
    const [hanging, other] = await fakes(2);
    hanging!.behaviour = { kind: 'hang' };
    const p = pool([{ url: hanging!.url }, { url: other!.url }], { requestTimeoutMs: 100 });
    const reply = await p.request(sendTx);
    expect(reply.status).toBe(504);
    expect(reply.outcomeUnknown).toBe(true);
    expect(other!.count('sendTransaction')).toBe(0);
  });

  it('goes elsewhere after a definite failure (refused, 429, 503)', async () => {
    const [dead, limited, unavailable, good] = await fakes(4);
    await dead!.close();
    limited!.behaviour = { kind: 'status', status: 429 };
    unavailable!.behaviour = { kind: 'status', status: 503 };
    const p = pool([dead!, limited!, unavailable!, good!].map((u) => ({ url: u.url })));
    const reply = await p.request(sendTx);
    expect(reply.ok).toBe(true);
    expect(reply.attempts).toBe(4);
    expect(good!.count('sendTransaction')).toBe(1);
  });

  it("with ambiguousSendRetry 'other-endpoints', goes to another endpoint but never back", async () => {
    const [dropping, other] = await fakes(2);
    dropping!.behaviour = { kind: 'drop' };
    other!.behaviour = { kind: 'drop' };
    const p = pool([{ url: dropping!.url }, { url: other!.url }], { ambiguousSendRetry: 'other-endpoints' });
    const reply = await p.request(sendTx);
    expect(reply.outcomeUnknown).toBe(true);
    expect(dropping!.count('sendTransaction')).toBe(1);
    expect(other!.count('sendTransaction')).toBe(1);
  });
});
