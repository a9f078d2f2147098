/**
 * Switching Debugger → Keys → Debugger (and back again) recreates the Monaco editors: nothing may be logged
 * (an editor contribution looking up a service nobody registered used to throw "depends on UNKNOWN service").
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { oneAppPage } from './app-page';
import { waitForEditors } from './editor';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

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
