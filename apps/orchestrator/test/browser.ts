/**
 * The browser the dashboard test drives. A fresh machine has none, so it comes from the npm
 * registry with `pnpm install`: @sparticuz/chromium ships a Chromium binary, the NSS/NSPR/expat
 * libraries it links against (`al2023.tar.br`) and a font (`fonts.tar.br`). The package unpacks
 * the libraries only on Amazon Linux and its fonts.conf names /tmp/fonts; a bare Debian has
 * neither libraries nor fonts (without a font the test's stop step times out). So all three are
 * unpacked here and Chromium starts with `LD_LIBRARY_PATH` and `FONTCONFIG_FILE` on them.
 * `CHROMIUM_PATH` picks another browser (a system Chromium, say). Nothing is ever downloaded.
 */
import { execFile } from 'node:child_process';
import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
} from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createBrotliDecompress } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';

// Headless with nothing that phones home: the machine has no network but loopback.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const PACKAGE = '@sparticuz/chromium';
const CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache');
const execFileAsync = promisify(execFile);

export type BrowserSource =
  | { kind: 'path'; executablePath: string }
  | { kind: 'package'; binDir: string; version: string }
  | { kind: 'none'; reason: string };

/** Where the browser comes from; cheap (nothing unpacked yet), so a test can skip on it. */
export function findBrowser(): BrowserSource {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    try {
      accessSync(override, constants.X_OK);
    } catch {
      throw new Error(`CHROMIUM_PATH=${override} is not an executable file`);
    }
    return { kind: 'path', executablePath: override };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { kind: 'none', reason: `${PACKAGE} ships Chromium for linux-x64 only; set CHROMIUM_PATH` };
  }
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(PACKAGE);
  } catch {
    return { kind: 'none', reason: `${PACKAGE} is not installed (pnpm install); or set CHROMIUM_PATH` };
  }
  const root = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { kind: 'package', binDir: join(root, 'bin'), version };
}

/**
 * '' when a browser was found; else the reason, appended to the test's name and printed on
 * stderr. In CI (`CI=true`) a missing browser is a failure, never a skip.
 */
export function browserSkipReason(source: BrowserSource): string {
  if (source.kind !== 'none') return '';
  if (process.env.CI === 'true') throw new Error(`no browser for the dashboard test: ${source.reason}`);
  const reason = ` (SKIPPED: no browser: ${source.reason})`;
  process.stderr.write(`\n*** no browser: the dashboard test is skipped${reason} ***\n`);
  return reason;
}

export async function launchBrowser(source: BrowserSource): Promise<Browser> {
  if (source.kind === 'none') throw new Error(`no browser: ${source.reason}`);
  if (source.kind === 'path') return chromium.launch({ executablePath: source.executablePath, args: ARGS });
  const dir = await unpackOnce(source.binDir, source.version);
  const libs = [join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return chromium.launch({
    executablePath: join(dir, 'chromium'),
    args: ARGS,
    env: { ...process.env, LD_LIBRARY_PATH: libs, FONTCONFIG_FILE: join(dir, 'fonts.conf') },
  });
}

/**
 * The package's Chromium, libraries and font, unpacked once per version into this checkout's
 * node_modules/.cache: not the package's /tmp/chromium, which any local user could have planted
 * and which outlives an upgrade of the package. Unpacked into a staging dir renamed into place
 * when complete, so an interrupted first unpack (~20 s) never leaves a truncated binary behind.
 */
async function unpackOnce(binDir: string, version: string): Promise<string> {
  const dir = join(CACHE, `sparticuz-chromium-${version}`);
  if (existsSync(dir)) return dir;
  await mkdir(CACHE, { recursive: true });
  const staging = await mkdtemp(`${dir}.partial-`);
  try {
    await pipeline(
      createReadStream(join(binDir, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(join(staging, 'chromium'), { mode: 0o755 }),
    );
    await untarBrotli(join(binDir, 'al2023.tar.br'), staging);
    await untarBrotli(join(binDir, 'fonts.tar.br'), staging);
    // The package's fonts.conf names /tmp/fonts; ours names the fonts where they are.
    await writeFile(
      join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${join(dir, 'fonts')}</dir><cachedir>${join(dir, 'fonts-cache')}</cachedir></fontconfig>\n`,
    );
    // Another test run may have finished first: its copy is as good as ours.
    await rename(staging, dir).catch((err: unknown) => {
      if (!existsSync(dir)) throw err;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return dir;
}

async function untarBrotli(archive: string, into: string): Promise<void> {
  // Through a file: tar stops reading at the end-of-archive blocks, which breaks a pipe.
  const tarball = join(into, 'archive.tar');
  await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tarball));
  await execFileAsync('tar', ['-x', '--no-same-owner', '-f', tarball, '-C', into]);
  await rm(tarball);
}
