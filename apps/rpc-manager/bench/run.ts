/**
 * `pnpm --filter rpc-manager bench`: the proxy's added latency and its throughput at a fixed rate.
 * The upstream and the proxy run in their own processes (as deployed); this process generates an
 * open-loop load of `getSlot` calls at RATE req/s, straight to the upstream (the baseline) and
 * through the proxy, at the same moments so both see the same machine load. Prints one table.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';

const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP_SECONDS = 1;
const BODY = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getSlot', params: [] });

interface Sample {
  latenciesMs: number[];
  errors: number;
  elapsedMs: number;
}

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill();
});

interface Child {
  url: string;
  /** The child's CPU time so far, µs (only bench/proxy.ts answers). */
  cpuMicros(): Promise<number>;
}

function startChild(file: string, args: string[] = []): Promise<Child> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []),
      ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      '--conditions=source',
      '--import',
      'tsx',
      file,
      ...args,
    ],
    {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
    void nextLine().then((line) =>
      resolve({
        url: (JSON.parse(line) as { url: string }).url,
        cpuMicros: async () => {
          const reply = nextLine();
          child.stdin!.write('cpu\n');
          return (JSON.parse(await reply) as { cpuMicros: number }).cpuMicros;
        },
      }),
    );
  });
}

function post(url: string, agent: http.Agent): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } });
    req.on('error', () => resolve(false));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.end(BODY);
  });
}

/**
 * Open loop: at each tick (start + i/RATE) one request leaves for every target, whatever earlier
 * ones are doing; the order alternates. All targets share the same moments, so a hiccup of this
 * shared machine lands on the baseline and the proxy alike.
 */
async function load(urls: readonly string[], seconds: number): Promise<Sample[]> {
  const agents = urls.map(() => new http.Agent({ keepAlive: true, maxSockets: 64 }));
  const samples: Sample[] = urls.map(() => ({ latenciesMs: [], errors: 0, elapsedMs: 0 }));
  const total = Math.round(RATE * seconds);
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    for (let k = 0; k < urls.length; k++) {
      const t = (i + k) % urls.length;
      const sent = performance.now();
      const sample = samples[t]!;
      inFlight.push(
        post(urls[t]!, agents[t]!).then((ok) => {
          if (ok) sample.latenciesMs.push(performance.now() - sent);
          else sample.errors += 1;
        }),
      );
    }
  }
  await Promise.all(inFlight);
  const elapsedMs = performance.now() - start;
  for (const sample of samples) sample.elapsedMs = elapsedMs;
  for (const agent of agents) agent.destroy();
  return samples;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summarize(samples: Sample[]) {
  const all = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const requests = samples.reduce((n, s) => n + s.latenciesMs.length + s.errors, 0);
  const elapsed = samples.reduce((n, s) => n + s.elapsedMs, 0);
  return {
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all[all.length - 1] ?? Number.NaN,
    rate: (requests / elapsed) * 1000,
    errors: samples.reduce((n, s) => n + s.errors, 0),
    n: all.length,
  };
}

const upstream = await startChild('bench/upstream.ts');
const proxy = await startChild('bench/proxy.ts', [upstream.url]);

await load([upstream.url, proxy.url], WARMUP_SECONDS);
const direct: Sample[] = [];
const proxied: Sample[] = [];
const cpuBefore = await proxy.cpuMicros();
for (let round = 0; round < ROUNDS; round++) {
  // Each path alone at RATE, rounds alternated: the machine carries 1,000 req/s, not 2,000.
  if (process.env.BENCH_ALTERNATE) {
    const [d] = await load([upstream.url], SECONDS);
    const [p] = await load([proxy.url], SECONDS);
    direct.push(d!);
    proxied.push(p!);
    continue;
  }
  const [d, p] = await load([upstream.url, proxy.url], SECONDS);
  direct.push(d!);
  proxied.push(p!);
}
const proxyCpuMicros = (await proxy.cpuMicros()) - cpuBefore;

const d = summarize(direct);
const p = summarize(proxied);
const f = (n: number) => n.toFixed(3);
const rows = [
  ['', 'p50 ms', 'p99 ms', 'max ms', 'achieved req/s', 'errors', 'requests'],
  ['direct (baseline)', f(d.p50), f(d.p99), f(d.max), d.rate.toFixed(0), String(d.errors), String(d.n)],
  ['through proxy', f(p.p50), f(p.p99), f(p.max), p.rate.toFixed(0), String(p.errors), String(p.n)],
  ['added by proxy', f(p.p50 - d.p50), f(p.p99 - d.p99), f(p.max - d.max), '', '', ''],
];
process.stdout.write(
  `rpc-manager proxy bench: getSlot at ${RATE} req/s, ${ROUNDS} x ${SECONDS} s per path, ` +
    `node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}, ${new Date().toISOString()}\n` +
    (process.env.BENCH_ALTERNATE
      ? 'baseline and proxy measured in alternating rounds, each alone at the rate\n\n'
      : 'baseline and proxy measured together: one direct and one proxied call per tick\n\n') +
    `| ${rows[0]!.join(' | ')} |\n|${rows[0]!.map(() => '---').join('|')}|\n` +
    rows
      .slice(1)
      .map((r) => `| ${r.join(' | ')} |`)
      .join('\n') +
    `\n\nproxy CPU per request: ${(proxyCpuMicros / (p.n + p.errors)).toFixed(0)} µs ` +
    `(one core would carry ~${Math.floor((1e6 * (p.n + p.errors)) / proxyCpuMicros)} req/s)\n` +
    `target: under 1 ms added at p99 -> ${p.p99 - d.p99 < 1 ? 'met' : 'NOT met'}\n`,
);
for (const c of children) c.kill();
