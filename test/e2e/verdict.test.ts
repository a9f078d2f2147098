/**
 * The overall verdict in a real browser, through the real web host: it follows the clock on its own (a
 * token that expires while on screen turns "expired" without a keystroke), a time override changes it at
 * once, and an alg none token and a JWE get their own verdicts instead of "Signature invalid".
 */
import { CompactEncrypt, SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appPagePerTest, openApp as openAppIn } from './app-page';
import { replaceText } from './editor';
import type { RunningWebHost } from './web-host';

const SECRET = 'e2e-verdict-secret-that-is-long-enough-for-HS256!';

let web: RunningWebHost;
let page: Page;

appPagePerTest({}, (app) => ({ web, page } = app));

const openApp = () => openAppIn(page, web);

const verification = () => page.getByRole('region', { name: 'Verification' });
const headline = () => verification().getByRole('status', { name: 'Verdict' }).locator('strong');

async function headlineText(): Promise<string> {
  return (await headline().textContent()) ?? '';
}

/** A NumericDate as the datetime-local value of the "Judge at" field (local wall time). */
function localInput(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the overall verdict', () => {
  it('turns "expired" by itself as the clock passes exp, and a time override changes it at once', { timeout: 90_000 }, async () => {
    await openApp();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + 12;
    const token = await new SignJWT({ sub: 'e2e-user' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setExpirationTime(exp).sign(new TextEncoder().encode(SECRET));
    await replaceText(page, 'Encoded token', token);
    await verification().getByRole('textbox', { name: 'Secret' }).fill(SECRET);
    await headline().getByText('Signature valid — all checked claims pass', { exact: true }).waitFor();

    // Nothing is touched from here on: the clock alone moves the verdict.
    await expect.poll(headlineText, { timeout: 45_000, interval: 250 }).toMatch(/^Signature valid — token expired \d+ s ago$/);
    const checks = verification().getByRole('list', { name: 'Claim checks' });
    expect(await checks.textContent()).toContain('Failed: exp expired');

    // Judged at a moment before exp: valid again (the signature verdict stays while the host is asked).
    await page.getByLabel('Judge at (local time)').fill(localInput(exp - 60));
    await headline().getByText('Signature valid — all checked claims pass', { exact: true }).waitFor();
    expect(await checks.textContent()).toContain('(in 1 min)');
    // And an hour after exp: expired an hour ago.
    await page.getByLabel('Judge at (local time)').fill(localInput(exp + 3600));
    await headline().getByText('Signature valid — token expired 1 h ago', { exact: true }).waitFor();
    // The hover on exp describes the same moment as the verdict.
    await page.getByRole('region', { name: 'Payload' }).locator('.view-line span span', { hasText: '"exp"' }).first().hover();
    const hover = page.locator('.monaco-hover').filter({ hasText: 'Expiration Time' }).first();
    await hover.waitFor();
    expect(await hover.textContent()).toContain('expired 1 h ago');
  });

  it('an alg none token is unsecured, with nothing to verify (and no "enter a key")', async () => {
    await openApp();
    await replaceText(page, 'Encoded token', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'admin' })}.`);
    await headline().getByText('Unsecured token (alg none) — nothing to verify', { exact: true }).waitFor();
    expect(await verification().getByRole('status', { name: 'Verdict' }).textContent()).not.toMatch(/Enter a secret/);
    // A key entered changes nothing: no key verifies alg none.
    await verification().getByRole('textbox', { name: 'Secret' }).fill(SECRET);
    expect(await headlineText()).toBe('Unsecured token (alg none) — nothing to verify');
  });

  it('a JWE is an encrypted token to decrypt, never "Signature invalid · not-a-jws"', async () => {
    await openApp();
    const jwe = await new CompactEncrypt(new TextEncoder().encode('{"sub":"secret-user"}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(new Uint8Array(32).fill(7));
    await replaceText(page, 'Encoded token', jwe);
    await headline().getByText('Encrypted token (JWE) — decrypt to inspect', { exact: true }).waitFor();
    await verification().getByRole('textbox', { name: 'Secret' }).fill(SECRET);
    expect(await headlineText()).toBe('Encrypted token (JWE) — decrypt to inspect');
    expect(await verification().textContent()).not.toContain('Signature invalid');
  });
});
