/**
 * `pnpm --filter rpc-manager bench`: the proxy's added latency and its throughput at a fixed rate.
 * The upstream and the proxy run in their own processes (as deployed), and so do two floors: a
 * forwarder with no logic (bench/pipe.ts: what any extra hop costs) and the least HTTP proxy Node
 * can be (bench/bare-http.ts: what Node's HTTP costs). This process generates an open-loop load of
 * `getSlot` calls at RATE req/s straight to the upstream (the baseline) and through each hop, each
 * path alone in alternating rounds (BENCH_TOGETHER=1: all at the same ticks). Prints one table.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { SHORT_GC_PAUSE_FLAGS } from '@drift/logging';

const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const WARMUP_SECONDS = 1;
/** The children run as the fleet runs them (the orchestrator's V8 setting); BENCH_NODE_FLAGS overrides. */
const NODE_FLAGS = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [...SHORT_GC_PAUSE_FLAGS];
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
  /** The child's CPU time so far, µs (the upstream does not answer). */
  cpuMicros(): Promise<number>;
}

function startChild(file: string, args: string[] = []): Promise<Child> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []),
      ...NODE_FLAGS,
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
/** One keep-alive agent per path for the whole run: rounds reuse its connections. */
const agents = new Map<string, http.Agent>();
const agentFor = (url: string) => {
  let agent = agents.get(url);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    agents.set(url, agent);
  }
  return agent;
};

async function load(urls: readonly string[], seconds: number): Promise<Sample[]> {
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
        post(urls[t]!, agentFor(urls[t]!)).then((ok) => {
          if (ok) sample.latenciesMs.push(performance.now() - sent);
          else sample.errors += 1;
        }),
      );
    }
  }
  await Promise.all(inFlight);
  const elapsedMs = performance.now() - start;
  for (const sample of samples) sample.elapsedMs = elapsedMs;
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
// Every path but the baseline: [name, its process]; the floors first.
const hops: [string, Child][] = [
  ['bare TCP hop (floor)', await startChild('bench/pipe.ts', [upstream.url])],
  ['bare HTTP proxy (floor)', await startChild('bench/bare-http.ts', [upstream.url])],
  ['rpc-manager proxy', await startChild('bench/proxy.ts', [upstream.url])],
];
const paths: { name: string; url: string; child?: Child }[] = [
  { name: 'direct (baseline)', url: upstream.url },
  ...hops.map(([name, child]) => ({ name, url: child.url, child })),
];
const together = Boolean(process.env.BENCH_TOGETHER);
const urls = paths.map((x) => x.url);

await load(urls, WARMUP_SECONDS);
const measured: Sample[][] = paths.map(() => []);
const cpuBefore = await Promise.all(paths.map((x) => x.child?.cpuMicros() ?? 0));
for (let round = 0; round < ROUNDS; round++) {
  if (together) {
    for (const [i, sample] of (await load(urls, SECONDS)).entries()) measured[i]!.push(sample);
    continue;
  }
  // Each path alone at RATE, rounds alternated: the machine carries 1,000 req/s, as the target says.
  for (const [i, url] of urls.entries()) measured[i]!.push((await load([url], SECONDS))[0]!);
}
const cpuAfter = await Promise.all(paths.map((x) => x.child?.cpuMicros() ?? 0));

const summaries = measured.map(summarize);
const d = summaries[0]!;
const f = (n: number) => n.toFixed(3);
const header = [
  'path',
  'p50 ms',
  'p99 ms',
  'max ms',
  'added p50',
  'added p99',
  'CPU µs/call',
  'req/s',
  'errors',
];
const rows = paths.map(({ name, child }, i) => {
  const s = summaries[i]!;
  const calls = s.n + s.errors;
  return [
    name,
    f(s.p50),
    f(s.p99),
    f(s.max),
    i === 0 ? '' : f(s.p50 - d.p50),
    i === 0 ? '' : f(s.p99 - d.p99),
    child ? ((cpuAfter[i]! - cpuBefore[i]!) / calls).toFixed(0) : '',
    s.rate.toFixed(0),
    String(s.errors),
  ];
});
const addedP99 = (i: number) => summaries[i]!.p99 - d.p99;
process.stdout.write(
  `rpc-manager proxy bench: getSlot at ${RATE} req/s, ${ROUNDS} x ${SECONDS} s per path, ` +
    `node ${process.version} ${NODE_FLAGS.join(' ') || '(V8 defaults)'}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}, ${new Date().toISOString()}\n` +
    (together
      ? 'paths measured together: one call to each per tick (the machine carries 4x the rate)\n\n'
      : 'paths measured in alternating rounds, each alone at the rate\n\n') +
    `| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n` +
    rows.map((r) => `| ${r.join(' | ')} |`).join('\n') +
    `\n\ntarget: under 1 ms added at p99 -> ${addedP99(3) < 1 ? 'met' : 'NOT met'} (${f(addedP99(3))} ms); ` +
    `the floors add ${f(addedP99(1))} ms (no logic at all) and ${f(addedP99(2))} ms (Node's HTTP alone)\n`,
);
for (const agent of agents.values()) agent.destroy();
for (const c of children) c.kill();
