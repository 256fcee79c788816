import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../src/api-server.js';
import type { Fleet } from '../src/fleet.js';
import { LogFeed } from '../src/log-feed.js';
import { parseAppLogLine } from '../src/log-lines.js';
import { browserSkipReason, findBrowser, launchBrowser } from './browser.js';
import { fixtureFleetWithApi, removeDir, tempDir, waitFor } from './fleet-fixture.js';

const TOKEN = 'dashboard-token-0123456789';
const source = findBrowser();

let fleet: Fleet;
let api: ApiServer;
let stop: (() => Promise<void>) | undefined;
let browser: Browser;
let dir: string;

describe.skipIf(source.kind === 'none')(`dashboard in headless Chromium${browserSkipReason(source)}`, () => {
  beforeAll(async () => {
    // The first run unpacks the package's Chromium (~20 s on a loaded machine).
    dir = tempDir();
    browser = await launchBrowser(source);
    writeFileSync(
      join(dir, 'hedge-bot.log'),
      `${JSON.stringify({ level: 50, time: Date.now(), msg: 'order rejected by venue' })}\n`,
    );
    const feed = new LogFeed(['sim', 'hedge-bot', 'trend-bot'], {
      fileOf: (app) => join(dir, `${app}.log`),
      parse: parseAppLogLine,
    });
    feed.poll();
    ({ fleet, api, stop } = await fixtureFleetWithApi(
      {
        'hedge-bot': { kind: 'bot', subAccount: 2, fixture: 'trades,pnl=42.5' },
        // trend-bot's oracle stale for 10 minutes, as its freshness guard would report it.
        'trend-bot': { kind: 'bot', subAccount: 3, fixture: 'pnl=-3,stale=0-600000' },
      },
      { record: join(dir, 'r.jsonl'), api: { token: TOKEN, logFeed: feed } },
    ));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stop?.();
    removeDir(dir);
  });

  it('shows every app, PnL charts and the latest errors; a stop button stops an app', async () => {
    const page = await browser.newPage();
    await page.goto(api.url);
    for (const app of ['sim', 'hedge-bot', 'trend-bot']) {
      await page
        .locator(`tr[data-app="${app}"] td.state`)
        .filter({ hasText: 'running' })
        .waitFor({ timeout: 10_000 });
    }
    await page
      .locator('.chart[data-bot="hedge-bot"]')
      .filter({ hasText: '42.5' })
      .waitFor({ timeout: 10_000 });
    expect(await page.locator('.chart[data-bot="hedge-bot"] polyline').count()).toBe(1);
    // The bot's session figures: fill rate, attempts lost and why, fees paid, rebates, net PnL.
    const hedge = (column: string) => page.locator(`tr[data-app="hedge-bot"] td.${column}`).textContent();
    expect(await hedge('fill-rate')).toBe('25.0%');
    expect(await hedge('lost')).toBe('3 (auction-ended 2, invalid-price 1)');
    expect(await hedge('fees-paid')).toBe('0.525');
    expect(await hedge('rebates')).toBe('0.0375');
    expect(await hedge('pnl')).toBe('42.5');
    // A bot without a maker's fill rate: its filled / placed orders (0 of 3); no rejections reported.
    expect(await page.locator('tr[data-app="trend-bot"] td.fill-rate').textContent()).toBe('0.0%');
    expect(await page.locator('tr[data-app="trend-bot"] td.lost').textContent()).toBe('–');
    await page
      .locator('#problems li')
      .filter({ hasText: 'order rejected by venue' })
      .waitFor({ timeout: 10_000 });

    // The stale data shows: on the page, in the status API, in the metrics.
    await page
      .locator('tr[data-app="trend-bot"] td.stale')
      .filter({ hasText: /^STALE oracle:SOL-PERP \d+\.\ds$/ })
      .waitFor({ timeout: 10_000 });
    expect(await page.locator('tr[data-app="hedge-bot"] td.stale').count()).toBe(0);
    const status = (await (await fetch(`${api.url}/api/status`)).json()) as {
      apps: { name: string; status: { dataStale?: boolean; dataAgeMs?: Record<string, number> } | null }[];
    };
    const trend = status.apps.find((a) => a.name === 'trend-bot')?.status;
    expect(trend?.dataStale).toBe(true);
    expect(trend?.dataAgeMs?.['oracle:SOL-PERP']).toBeGreaterThan(5_000);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/^drift_app_data_stale\{app="trend-bot"\} 1$/m);
    expect(metrics).toMatch(/^drift_app_data_age_seconds\{app="trend-bot",source="oracle:SOL-PERP"\} \d/m);
    expect(metrics).not.toMatch(/drift_app_data_stale\{app="hedge-bot"\}/);

    // Without the token the API refuses, and the page says so.
    await page.locator('tr[data-app="trend-bot"] button[data-action="stop"]').click();
    await page.locator('#message').filter({ hasText: 'missing token' }).waitFor({ timeout: 10_000 });
    expect(fleet.app('trend-bot').state).toBe('running');

    await page.fill('#token', TOKEN);
    await page.locator('#token').dispatchEvent('change');
    await page.locator('tr[data-app="trend-bot"] button[data-action="stop"]').click();
    await page
      .locator('tr[data-app="trend-bot"] td.state')
      .filter({ hasText: 'stopped' })
      .waitFor({ timeout: 10_000 });
    await waitFor(() => fleet.app('trend-bot').state === 'stopped', 5000, 'trend-bot stopped');
    expect(fleet.app('hedge-bot').state).toBe('running');
    await page.close();
  });
});
