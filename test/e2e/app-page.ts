/**
 * The setup most e2e files share, as the file's beforeAll / afterAll: dist/ built, the real web host, a
 * fresh Chromium and one page whose console messages and failed requests are recorded (watchPage, which
 * the tests check). `ready` gets them before the first test runs; afterwards both processes are stopped.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { launchBrowser, watchPage } from './browser';
import type { Browser } from './browser';
import { waitForEditors } from './editor';
import { ensureBuilt, startWebHost } from './web-host';
import type { RunningWebHost, WebHostOptions } from './web-host';

export interface AppPage {
  web: RunningWebHost;
  browser: Browser;
  page: Page;
  problems: string[];
}

/** The web host and a browser, started before the file's tests and stopped after them; the page is the caller's. */
function hostAndBrowser(hostOptions: WebHostOptions): Partial<AppPage> {
  const app: Partial<AppPage> = {};
  beforeAll(async () => {
    ensureBuilt();
    app.web = await startWebHost(hostOptions);
    app.browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await app.browser?.close();
    await app.web?.stop();
  });
  return app;
}

export function oneAppPage(hostOptions: WebHostOptions, ready: (app: AppPage) => void): void {
  const app = hostAndBrowser(hostOptions);
  // Runs after hostAndBrowser's beforeAll (before hooks run in the order they were registered).
  beforeAll(async () => {
    app.page = await app.browser!.context.newPage();
    app.problems = await watchPage(app.page, app.web!.origin);
    ready(app as AppPage);
  });
}

/**
 * The same, with a fresh page for every test: `ready` gets each one before its test, and after the test the
 * page is closed and must have logged nothing (watchPage's problems are expected empty).
 */
export function appPagePerTest(hostOptions: WebHostOptions, ready: (app: AppPage) => void): void {
  const app = hostAndBrowser(hostOptions);
  beforeEach(async () => {
    app.page = await app.browser!.context.newPage();
    app.problems = await watchPage(app.page, app.web!.origin);
    ready(app as AppPage);
  });
  afterEach(async () => {
    await app.page?.close();
    expect(app.problems).toEqual([]);
  });
}

/** Loads the app and waits until it is usable: the footer filled from app.info (the page reached the host with its secret) and the editors up. */
export async function openApp(page: Page, web: RunningWebHost): Promise<void> {
  await page.goto(web.url);
  await page.getByRole('contentinfo').getByText('served from 127.0.0.1').waitFor();
  await waitForEditors(page);
}

/** Starts the mock issuer from the Issuer view; answers its URL (the discovery link it shows, on loopback). */
export async function startIssuerFromUi(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Issuer' }).click();
  await page.getByRole('button', { name: 'Start issuer' }).click();
  const discovery = (await page.getByTestId('discovery-url').textContent())!;
  const issuer = discovery.replace(/\/\.well-known\/openid-configuration$/, '');
  expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return issuer;
}
