// Generated inputs for the benchmark: a workspace of apps x files, and a log dir of about 1 GB.
import fs from 'node:fs';
import path from 'node:path';
import { formatTime } from '@drift/logging';

/** A pnpm workspace of `apps` apps with `files` TypeScript files each (~80 lines a file). */
export function generateWorkspace(root: string, apps: number, files: number): number {
  let bytes = 0;
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
  for (let a = 0; a < apps; a++) {
    const name = `bench-app-${String(a).padStart(2, '0')}`;
    const src = path.join(root, 'apps', name, 'src');
    fs.mkdirSync(src, { recursive: true });
    const pkg = {
      name,
      type: 'module',
      ...(a % 2 === 0 ? { drift: { logging: 'critical' } } : {}),
      dependencies: { '@drift/logging': 'workspace:*' },
    };
    fs.writeFileSync(path.join(root, 'apps', name, 'package.json'), JSON.stringify(pkg, null, 2));
    for (let f = 0; f < files; f++) {
      const file = f === 0 ? 'main.ts' : `module-${f}.ts`;
      const text = f === 0 ? entrySource(name, files) : moduleSource(f, a % 5 === 0 && f % 10 === 1);
      fs.writeFileSync(path.join(src, file), text);
      bytes += text.length;
    }
  }
  return bytes;
}

function entrySource(app: string, files: number): string {
  const imports = Array.from(
    { length: files - 1 },
    (_, i) => `import { run${i + 1} } from './module-${i + 1}.js';`,
  );
  const calls = Array.from({ length: files - 1 }, (_, i) => `  run${i + 1}(logger);`);
  return [
    "import { setupCriticalLogging } from '@drift/logging';",
    ...imports,
    '',
    `const logger = setupCriticalLogging('${app}');`,
    'export function main(): void {',
    ...calls,
    '}',
    '',
  ].join('\n');
}

function moduleSource(n: number, withConsole: boolean): string {
  const lines = [
    "import type { Logger } from '@drift/logging';",
    '',
    `export interface Order${n} { id: number; market: string; price: bigint; size: bigint }`,
    '',
    `export function run${n}(logger: Logger): void {`,
    `  const orders: Order${n}[] = [];`,
    '  for (let i = 0; i < 10; i++) {',
    "    orders.push({ id: i, market: 'SOL-PERP', price: 150_000_000n, size: 1_000_000_000n });",
    '  }',
  ];
  for (let i = 0; i < 12; i++) {
    lines.push(
      `  try {`,
      `    const order = orders[${i % 10}];`,
      `    if (!order) throw new Error('missing order ${i}');`,
      `    logger.info({ orderId: order.id, market: order.market }, 'order filled');`,
      i % 4 === 0
        ? `    logger.debug(\`order \${order.id} checked\`);`
        : `    logger.debug({ step: ${i} }, 'checked');`,
      `  } catch (err) {`,
      `    logger.error({ err }, 'order failed');`,
      `  }`,
    );
  }
  if (withConsole) lines.push("  console.log('debug print', orders.length);");
  lines.push('}', '');
  return lines.join('\n');
}

const APPS = [
  'jit-mm-swift',
  'hedge-bot',
  'trend-bot',
  'drift-client',
  'rpc-manager',
  'order-management',
  'risk-manager',
  'swift-client',
  'orchestrator',
];
const JSON_APPS = new Set(['order-management', 'orchestrator']);

/**
 * About `totalBytes` of logs for the nine critical apps: each a current 10 MB file and rotated ones
 * (more than the 5 kept, so maintenance has work), spanning the last 24 hours in time order, ~1% ERROR.
 * Seven apps in compact format, two in json.
 */
export function generateLogDir(dir: string, totalBytes: number, now: number): number {
  fs.mkdirSync(dir, { recursive: true });
  const fileBytes = 10 * 1024 * 1024;
  const perApp = Math.ceil(totalBytes / APPS.length / fileBytes);
  const span = 24 * 3_600_000;
  let written = 0;
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (const app of APPS) {
    const json = JSON_APPS.has(app);
    // Oldest file first: .N ... .1, then the current file.
    for (let k = perApp - 1; k >= 0; k--) {
      const file = path.join(dir, k === 0 ? `${app}.log` : `${app}.log.${k}`);
      const fd = fs.openSync(file, 'w');
      const t0 = now - span + ((perApp - 1 - k) * span) / perApp;
      const t1 = now - span + ((perApp - k) * span) / perApp;
      let size = 0;
      let i = 0;
      const linesPerFile = Math.floor(fileBytes / 125);
      let batch: string[] = [];
      while (size < fileBytes) {
        const t = Math.floor(t0 + ((t1 - t0) * i) / linesPerFile);
        const r = rand();
        const level = r < 0.01 ? 'ERROR' : r < 0.05 ? 'WARN' : 'INFO';
        const orderId = Math.floor(rand() * 1_000_000);
        const line = json
          ? `{"level":${level === 'ERROR' ? 50 : level === 'WARN' ? 40 : 30},"time":${t},"pid":4242,"hostname":"bench","name":"${app}","market":"SOL-PERP","orderId":${orderId},"price":"150.123","msg":"order filled"}\n`
          : `${formatTime(t)} | ${app} | ${level} | order filled market=SOL-PERP orderId=${orderId} price=150.123 size=1.5 side=buy\n`;
        batch.push(line);
        size += line.length;
        i++;
        if (batch.length === 4096) {
          fs.writeSync(fd, batch.join(''));
          batch = [];
        }
      }
      fs.writeSync(fd, batch.join(''));
      fs.closeSync(fd);
      const mtime = new Date(Math.min(t1, now));
      fs.utimesSync(file, mtime, mtime);
      written += size;
    }
  }
  return written;
}
