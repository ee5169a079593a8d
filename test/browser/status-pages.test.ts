import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { HOSTILE_IMG, HOSTILE_SCRIPT } from '../pages/fixture-records.js';
import { type StatusFixture, statusFixture } from '../pages/status-fixture.js';
import { testApp } from '../support/test-services.js';
import { CHROMIUM, chromiumMissing, launchChromium, watchedPage } from './browser-session.js';

const SCREENSHOTS = 'test-output/screenshots';
const suite = chromiumMissing
  ? `status pages in a browser (skipped: ${CHROMIUM} is missing; install Debian's chromium to run them)`
  : 'status pages in a browser';

describe.skipIf(chromiumMissing)(suite, () => {
  let fixture: StatusFixture;
  let app: BatonApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    fixture = await statusFixture();
    app = await testApp(fixture.services);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await fixture?.close();
  });

  it('shows the portfolio with each plan, its state and what waits', async () => {
    const { page, incidents } = await watchedPage(browser);
    await page.goto(`${base}/`, { waitUntil: 'load' });
    const row = page.getByRole('row', { name: /New checkout rollout/ });
    await expect.poll(() => row.textContent()).toContain('At risk');
    expect(await row.textContent()).toContain('Build');
    await page.screenshot({ path: `${SCREENSHOTS}/portfolio.png`, fullPage: true });
    expect(incidents).toEqual({ dialogs: [], consoleErrors: [], pageErrors: [] });
    await page.close();
  });

  it('shows the plan page with phases, approvals and stalled handoffs, hostile titles as inert text', async () => {
    const { page, incidents } = await watchedPage(browser);
    await page.goto(`${base}/plans/checkout-rollout`, { waitUntil: 'load' });

    const phases = page.locator('ol.timeline > li h3');
    expect(await phases.allTextContents()).toEqual([
      '1. Design',
      '2. Build',
      '3. Security review',
      '4. Launch',
    ]);
    expect(await page.getByRole('progressbar', { name: 'Build progress' }).getAttribute('value')).toBe('14');
    const approvals = page.locator('section[aria-labelledby="approvals-heading"] tbody tr');
    expect(await approvals.count()).toBe(3);
    const stalled = page.locator('section[aria-labelledby="stalled-heading"] tbody tr');
    expect(await stalled.allTextContents()).toEqual([
      expect.stringContaining('Jonas Becker'),
      expect.stringContaining('level 2: phase owner told'),
      expect.stringContaining('Sam Iyer'),
    ]);

    // The hostile titles are on the page as text, and nothing they describe exists as an element.
    await expect.poll(() => page.getByText(HOSTILE_SCRIPT).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(HOSTILE_IMG).count()).toBeGreaterThan(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);

    await page.screenshot({ path: `${SCREENSHOTS}/plan-page.png`, fullPage: true });
    mkdirSync('docs/screenshots', { recursive: true });
    copyFileSync(`${SCREENSHOTS}/plan-page.png`, 'docs/screenshots/plan-page.png');
    expect(incidents).toEqual({ dialogs: [], consoleErrors: [], pageErrors: [] });
    await page.close();
  });

  it('hides navigation when printed', async () => {
    const { page } = await watchedPage(browser);
    await page.goto(`${base}/plans/checkout-rollout`, { waitUntil: 'load' });
    expect(await page.getByRole('navigation').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    await page.close();
  });

  it('lists the items no plan caught on the connection page', async () => {
    const { page, incidents } = await watchedPage(browser);
    await page.goto(`${base}/connections/jira`, { waitUntil: 'load' });
    const uncaught = page.locator('section[aria-labelledby="uncaught-heading"] tbody tr');
    expect(await uncaught.allTextContents()).toEqual([expect.stringContaining('OPS-7')]);
    await page.screenshot({ path: `${SCREENSHOTS}/connection-page.png`, fullPage: true });
    expect(incidents).toEqual({ dialogs: [], consoleErrors: [], pageErrors: [] });
    await page.close();
  });

  it('still runs Swagger UI at /docs under the Content-Security-Policy', async () => {
    const { page, incidents } = await watchedPage(browser);
    const response = await page.goto(`${base}/docs`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    await page.getByText('/api/plans/{key}/status').first().waitFor();
    expect(incidents).toEqual({ dialogs: [], consoleErrors: [], pageErrors: [] });
    await page.close();
  });
});
