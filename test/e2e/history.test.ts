/**
 * Issue 3's opt-in history through `npm run web` in Chromium: kept by the host across windows once the
 * user ticks "Keep history on this computer", never in the page's storage, forgotten when unticked.
 */
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser';
import type { Browser } from './browser';
import { replaceText, waitForEditors, waitForText } from './editor';
import { ensureBuilt, startWebHost } from './web-host';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let browser: Browser;

beforeAll(async () => {
  ensureBuilt();
  web = await startWebHost();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

/** A fresh window of the app (a new page: nothing of the previous one's memory survives). */
async function openWindow(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(web.url);
  await page.getByRole('contentinfo').getByText('served from 127.0.0.1').waitFor();
  await waitForEditors(page);
  return page;
}

/** What the host keeps, asked directly over its HTTP transport (as the page does, with the launch secret). */
async function keptHistory(): Promise<{ enabled: boolean; entries: Array<{ token: string }> }> {
  const res = await fetch(`${web.origin}/rpc/history.get`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${web.secret}` },
    body: '{}',
  });
  const result = (await res.json()) as { ok: boolean; value: { enabled: boolean; entries: Array<{ token: string }> } };
  expect(result.ok).toBe(true);
  return result.value;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const toggle = (page: Page) => page.getByRole('checkbox', { name: 'Keep history on this computer' });
const historyMenu = (page: Page) => page.getByRole('combobox', { name: 'History' });

describe('keeping the history on this computer', () => {
  it('is kept by the host across windows once opted in, never in page storage, and forgotten when unticked', { timeout: 60_000 }, async () => {
    const token = await new SignJWT({ sub: 'kept-user' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode('e2e-history-secret-long-enough-for-HS256'));

    const first = await openWindow();
    expect(await toggle(first).isChecked()).toBe(false);
    await replaceText(first, 'Encoded token', token);
    await waitForText(first, 'Payload', (t) => t.includes('kept-user'));
    await historyMenu(first).locator('option', { hasText: 'sub kept-user' }).waitFor({ state: 'attached' });
    await toggle(first).click(); // not check(): the box ticks once the host has answered
    await first.waitForFunction(() => {
      const box = document.querySelector<HTMLInputElement>('.history-keep input[type="checkbox"]');
      return box?.checked === true && !box.disabled;
    });
    await until(async () => (await keptHistory()).entries.some((e) => e.token === token));
    const stored = await first.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(token.split('.')[1]);
    await first.close();

    // A new window: the entry comes back from the host.
    const second = await openWindow();
    await historyMenu(second).locator('option', { hasText: 'sub kept-user' }).waitFor({ state: 'attached' });
    expect(await toggle(second).isChecked()).toBe(true);
    await toggle(second).click();
    await second.waitForFunction(() => {
      const box = document.querySelector<HTMLInputElement>('.history-keep input[type="checkbox"]');
      return box?.checked === false && !box.disabled;
    });
    await second.close();
    expect(await keptHistory()).toEqual({ enabled: false, entries: [], notice: null, sealed: false, locked: false });
  });
});
