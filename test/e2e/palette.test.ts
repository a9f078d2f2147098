/**
 * The command palette and file drop in the real renderer (Chromium, the web host, Monaco loaded):
 * Ctrl+K opens the palette even from inside an editor (before Monaco's own Ctrl+K chords), choosing an
 * action switches views, the theme override reaches <html>, and a .jwt file dropped on the window lands
 * in the Encoded editor. Nothing may be logged.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { oneAppPage } from './app-page';
import { replaceText, waitForEditors, waitForText } from './editor';
import type { RunningWebHost } from './web-host';

const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwYWxldHRlIn0.c2lnbmF0dXJl';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

// An unencrypted test store: the Keys view then shows no passphrase form (Chromium logs a hint about those).
oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

const selectedTab = () => page.locator('[role="tab"][aria-selected="true"]').textContent();

it('Ctrl+K opens the palette from the editor; typing and Enter switch views; Escape closes', async () => {
  await page.goto(web.url);
  await waitForEditors(page);
  await page.getByRole('region', { name: 'Encoded token', exact: true }).getByRole('textbox').first().focus();
  await page.keyboard.press('Control+K');
  const dialog = page.getByRole('dialog', { name: 'Command palette' });
  await dialog.waitFor();
  await page.keyboard.type('switch keys');
  await expect.poll(() => dialog.getByRole('option').allTextContents()).toEqual(['Switch to KeysCtrl+2']);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  expect(await selectedTab()).toBe('Keys');

  await page.keyboard.press('Control+K');
  await dialog.waitFor();
  await page.keyboard.type('debugger');
  await page.keyboard.press('Enter');
  expect(await selectedTab()).toBe('Debugger');

  await page.keyboard.press('Control+K');
  await page.keyboard.type('theme');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

  await page.keyboard.press('Control+K');
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(problems).toEqual([]);
}, 60_000);

it('Find in token opens Monaco’s find widget in the Encoded editor', async () => {
  await waitForEditors(page);
  await page.getByRole('tab', { name: 'Debugger' }).focus();
  await page.keyboard.press('Control+K');
  await page.keyboard.type('find');
  await page.keyboard.press('Enter');
  const encoded = page.getByRole('region', { name: 'Encoded token', exact: true });
  await encoded.locator('.find-widget.visible').waitFor();
  await page.keyboard.press('Escape');
  expect(problems).toEqual([]);
}, 60_000);

it('a .jwt file dropped on the window opens in the Encoded editor', async () => {
  await waitForEditors(page);
  await replaceText(page, 'Encoded token', '');
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.evaluate((token) => {
    const data = new DataTransfer();
    data.items.add(new File([`${token}\n`], 'dropped.jwt'));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, TOKEN);
  await waitForEditors(page);
  await waitForText(page, 'Encoded token', (text) => text === TOKEN);
  expect(await selectedTab()).toBe('Debugger');
  await expect.poll(() => page.locator('.desktop-notice').textContent()).toContain('Opened dropped.jwt');
  expect(problems).toEqual([]);
}, 60_000);
