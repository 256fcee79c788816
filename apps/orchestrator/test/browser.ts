/**
 * The browser the dashboard test drives. A fresh machine has none, so it comes from the npm
 * registry with `pnpm install`: @sparticuz/chromium ships a Chromium binary inside the package and
 * unpacks it on first use. `CHROMIUM_PATH` points at another one (a system Chromium, say).
 * Nothing is ever downloaded from elsewhere.
 */
import chromiumBinary from '@sparticuz/chromium';
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

export async function chromiumPath(): Promise<string> {
  return process.env.CHROMIUM_PATH || (await chromiumBinary.executablePath());
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: ARGS });
}
