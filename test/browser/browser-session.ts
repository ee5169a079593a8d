import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium; never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** What a page did that it should not: dialogs opened, console errors, uncaught exceptions. */
export interface PageIncidents {
  dialogs: string[];
  consoleErrors: string[];
  pageErrors: string[];
}

/** A page that records every dialog (and dismisses it), console error and uncaught error. */
export async function watchedPage(browser: Browser): Promise<{ page: Page; incidents: PageIncidents }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const incidents: PageIncidents = { dialogs: [], consoleErrors: [], pageErrors: [] };
  page.on('dialog', (dialog) => {
    incidents.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') incidents.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => incidents.pageErrors.push(error.message));
  return { page, incidents };
}
