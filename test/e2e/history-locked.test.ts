/**
 * The kept history under a passphrase key store, through `npm run web` in Chromium: at start the page says the
 * history is locked, a token seen meanwhile is held by the host (never written in clear), and unlocking the
 * store in the Keys view brings back the sealed entries merged with it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../electron/services/index';
import { TEST_SCRYPT_COST } from '../electron/keys-test-support';
import { launchBrowser, watchPage } from './browser';
import type { Browser } from './browser';
import { replaceText, waitForEditors, waitForText } from './editor';
import { ensureBuilt, startWebHost } from './web-host';
import type { RunningWebHost } from './web-host';

const PASSPHRASE = 'e2e history passphrase';
const sign = (sub: string) =>
  new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode('e2e-history-secret-long-enough-for-HS256'));

let dataDir: string;
let web: RunningWebHost;
let browser: Browser;
let keptToken: string;

beforeAll(async () => {
  ensureBuilt();
  // A previous session: a passphrase store, and a history kept (sealed) with one token.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-workbench-e2e-locked-'));
  keptToken = await sign('sealed-earlier');
  const before = createServices({ dataDir, keys: { scryptCost: TEST_SCRYPT_COST } });
  await before.keys.setup({ protection: 'passphrase', passphrase: PASSPHRASE });
  await before.history.setEnabled(true);
  await before.history.save([{ token: keptToken, label: 'HS256 · sub sealed-earlier', at: Date.now() - 60_000 }]);
  // The later --data-dir wins: this host starts on that session's folder, its store locked.
  web = await startWebHost({ extraArgs: ['--data-dir', dataDir] });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the kept history under a locked passphrase store', () => {
  it('is locked until the store is unlocked, holds what is seen meanwhile, then shows both', { timeout: 60_000 }, async () => {
    const page = await browser.context.newPage();
    const problems = await watchPage(page, web.origin);
    await page.goto(web.url);
    await waitForEditors(page);
    const note = page.locator('#history-keep-note');
    await note.getByText('History is locked until the key store is unlocked').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Keep history on this computer' }).isChecked()).toBe(true);

    const seenNow = await sign('seen-while-locked');
    await replaceText(page, 'Encoded token', seenNow);
    await waitForText(page, 'Payload', (t) => t.includes('seen-while-locked'));
    const history = page.getByRole('combobox', { name: 'History' });
    await history.locator('option', { hasText: 'sub seen-while-locked' }).waitFor({ state: 'attached' });
    expect(await history.locator('option', { hasText: 'sub sealed-earlier' }).count()).toBe(0);

    await page.getByRole('tab', { name: 'Keys' }).click();
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('tab', { name: 'Debugger' }).click();
    await history.locator('option', { hasText: 'sub sealed-earlier' }).waitFor({ state: 'attached' });
    await history.locator('option', { hasText: 'sub seen-while-locked' }).waitFor({ state: 'attached' });
    await note.getByText("saved encrypted with the key store's protection").waitFor();

    // Both are in the file, sealed: neither token's payload appears in it.
    const file = path.join(dataDir, 'history.json');
    const deadline = Date.now() + 10_000;
    const after = createServices({ dataDir, keys: { scryptCost: TEST_SCRYPT_COST } });
    await after.keys.unlock(PASSPHRASE);
    while ((await after.history.get()).entries.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await after.history.get()).entries.map((e) => e.token).sort()).toEqual([keptToken, seenNow].sort());
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(seenNow.split('.')[1]);
    expect(text).not.toContain(keptToken.split('.')[1]);
    // Chromium's own hint about the Keys view's unlock form (a password field without a username field) is
    // that form's matter, not this test's; anything else the page says is a finding.
    expect(problems.filter((p) => !p.startsWith('console verbose: [DOM] Password forms should have'))).toEqual([]);
  });
});
