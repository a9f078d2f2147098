/**
 * Refresh for a pinned token, in Chromium against the real web host and the real mock issuer: a token the
 * Stepper got at its login, opened in the debugger and pinned, offers "Refresh token" in the expiry notice
 * (the issuer's access tokens live 45 s here, so the notice — 60 s before exp — is due at once: nothing
 * waits for the clock); pressing it puts a new token (another jti) in the debugger that verifies with the
 * issuer's JWKS; after a manual edit of the token, Refresh is gone.
 */
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { oneAppPage } from './app-page';
import { replaceText, waitForEditors, waitForText } from './editor';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

/** The payload of the token the Encoded pane shows (the Payload pane renders only the lines in view). */
const payloadOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

async function pin(): Promise<void> {
  await page.keyboard.press('Control+K');
  await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
  await page.keyboard.type('pin token');
  await page.keyboard.press('Enter');
}

it('pins a token from the Stepper, refreshes it from the notice, and loses Refresh after an edit', async () => {
  await page.goto(web.url);
  await page.getByRole('tab', { name: 'Issuer' }).click();
  const lifetime = page.getByRole('textbox', { name: /Access token lifetime/ });
  await lifetime.fill('45');
  await page.getByRole('button', { name: 'Start issuer' }).click();
  await page.getByRole('button', { name: 'Stop issuer' }).waitFor();

  await page.getByRole('tab', { name: 'Stepper' }).click();
  const card = (id: string): Locator => page.getByRole('list', { name: 'Steps' }).locator(`[data-step-id="${id}"]`);
  for (const id of ['prepare', 'login']) {
    await card(id).getByRole('button', { name: /^Run step:/ }).click();
    await expect.poll(() => card(id).getAttribute('data-status'), { timeout: 30_000 }).toBe('passed');
  }
  expect(await card('prepare').textContent()).toContain('access tokens live 45 s');
  // The login's access token (the ID token's button follows it).
  await card('login').getByRole('button', { name: 'Open in debugger' }).first().click();
  await waitForEditors(page);
  const verdict = page.getByRole('region', { name: 'Verification' }).getByRole('status', { name: 'Verdict' });
  await expect.poll(() => verdict.textContent(), { timeout: 15_000 }).toContain('Signature valid — all checked claims pass');
  const firstToken = await waitForText(page, 'Encoded token', (t) => t.split('.').length === 3);
  const first = payloadOf(firstToken);
  expect(first.jti).toEqual(expect.any(String));

  await pin();
  const refresh = page.getByRole('button', { name: 'Refresh token' });
  await refresh.waitFor({ timeout: 10_000 });
  expect(await page.locator('.desktop-notice').textContent()).toMatch(/The pinned token expires at/);
  await refresh.click();

  // A new token from the issuer, verified with its JWKS.
  const secondToken = await waitForText(page, 'Encoded token', (t) => t.split('.').length === 3 && t !== firstToken, 15_000);
  const second = payloadOf(secondToken);
  expect(second.jti).toEqual(expect.any(String));
  expect(second.jti).not.toBe(first.jti);
  expect([second.iss, second.sub, second.sid]).toEqual([first.iss, first.sub, first.sid]);
  await expect.poll(() => verdict.textContent(), { timeout: 15_000 }).toContain('Signature valid — all checked claims pass');
  // Pinned again: the new token's notice offers Refresh too.
  await refresh.waitFor({ timeout: 10_000 });

  // A manual edit makes another token: no origin, no Refresh.
  await replaceText(page, 'Payload', JSON.stringify({ ...second, sub: 'edited-by-hand' }, null, 2));
  await waitForText(page, 'Encoded token', (t) => t !== secondToken);
  await refresh.waitFor({ state: 'detached', timeout: 10_000 });
  // Pinning the edited token: its notice has no Refresh.
  await pin();
  await expect.poll(() => page.locator('.desktop-notice').textContent(), { timeout: 10_000 }).toMatch(/The pinned token expires at/);
  expect(await refresh.count()).toBe(0);
  expect(problems).toEqual([]);
}, 120_000);
