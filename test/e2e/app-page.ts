/**
 * The setup most e2e files share, as the file's beforeAll / afterAll: dist/ built, the real web host, a
 * fresh Chromium and one page whose console messages and failed requests are recorded (watchPage, which
 * the tests check). `ready` gets them before the first test runs; afterwards both processes are stopped.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, watchPage } from './browser';
import type { Browser } from './browser';
import { ensureBuilt, startWebHost } from './web-host';
import type { RunningWebHost, WebHostOptions } from './web-host';

export interface AppPage {
  web: RunningWebHost;
  browser: Browser;
  page: Page;
  problems: string[];
}

export function oneAppPage(hostOptions: WebHostOptions, ready: (app: AppPage) => void): void {
  const app: Partial<AppPage> = {};
  beforeAll(async () => {
    ensureBuilt();
    app.web = await startWebHost(hostOptions);
    app.browser = await launchBrowser();
    app.page = await app.browser.context.newPage();
    app.problems = await watchPage(app.page, app.web.origin);
    ready(app as AppPage);
  }, 120_000);
  afterAll(async () => {
    await app.browser?.close();
    await app.web?.stop();
  });
}
