/**
 * Switching Debugger → Keys → Debugger (and back again) recreates the Monaco editors: nothing may be logged
 * (an editor contribution looking up a service nobody registered used to throw "depends on UNKNOWN service").
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, watchPage } from './browser';
import type { Browser } from './browser';
import { waitForEditors } from './editor';
import { ensureBuilt, startWebHost } from './web-host';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let browser: Browser;
let page: Page;
let problems: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  web = await startWebHost({ extraArgs: ['--unencrypted-test-store'] });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = await watchPage(page, web.origin);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

it('switching views back and forth recreates the editors without an error', async () => {
  await page.goto(web.url);
  await waitForEditors(page);
  for (let round = 0; round < 3; round++) {
    await page.getByRole('tab', { name: 'Keys' }).click();
    await page.getByRole('tab', { name: 'Debugger' }).click();
    await waitForEditors(page);
  }
  expect(problems).toEqual([]);
}, 60_000);
