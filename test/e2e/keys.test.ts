/**
 * Issue 4 end to end in Chromium against `npm run web --unencrypted-test-store`: generate an ES256 key
 * in the Keys view, sign a token with it by id (through the page's host client), verify it and re-sign
 * an edit of it in the debugger with the "Stored key" source, export the JWKS from the Keys view, and
 * check both tokens with that JWKS in jose in Node — an independent verifier. The JWKS the page shows
 * has no private member. Then the Keys view's layout and modality: an export shows next to its button, and
 * the private-key export is a modal dialog (Tab stays inside, the page behind is inert, Escape closes it).
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { oneAppPage } from './app-page';
import { replaceText, waitForEditors, waitForText } from './editor';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

/** A call through the page's own HTTP transport, with the per-launch secret the page keeps for the tab. */
function callFromPage(method: string, request: unknown): Promise<{ ok: boolean; value?: any; error?: any }> {
  return page.evaluate(
    async ({ method, request }) => {
      const secret = sessionStorage.getItem('jwt-workbench.secret');
      const res = await fetch(`/rpc/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify(request),
      });
      return res.json();
    },
    { method, request },
  );
}

it('generates an ES256 key, signs and verifies a token with it, and exports a JWKS that verifies it', { timeout: 120_000 }, async () => {
  await page.goto(web.url);
  await page.getByRole('tab', { name: 'Keys' }).click();
  // The flag opens an unencrypted store without asking, and the view says so.
  await page.getByText('0 keys, UNENCRYPTED test store.').waitFor();

  const generate = page.getByRole('form', { name: 'Generate a key' });
  await generate.getByLabel('Algorithm').selectOption('ES256');
  await generate.getByLabel('Key ID (kid)').fill('e2e-es256');
  await generate.getByLabel('Label').fill('e2e signing key');
  await generate.getByRole('button', { name: 'Generate' }).click();
  await generate.getByRole('status').getByText('Generated EC P-256 key e2e-es256.').waitFor();
  const item = page.getByRole('listitem', { name: 'e2e signing key' });
  await item.waitFor();
  expect(await item.textContent()).toContain('ES256');

  const list = await callFromPage('keys.list', { alg: 'ES256', purpose: 'sign' });
  expect(list.ok).toBe(true);
  expect(list.value).toHaveLength(1);
  const id = list.value[0].id as string;

  const signed = await callFromPage('crypto.sign', {
    // The header is signed as written (the core only fills in alg): the kid goes in by the caller.
    headerText: '{"typ":"JWT","kid":"e2e-es256"}',
    payloadText: JSON.stringify({ sub: 'e2e', aud: 'api://e2e', iat: Math.floor(Date.now() / 1000) }),
    key: { type: 'stored', id },
  });
  expect(signed).toMatchObject({ ok: true, value: { alg: 'ES256', kid: 'e2e-es256' } });
  const token = signed.value.token as string;
  const verified = await callFromPage('crypto.verify', { token, key: { type: 'stored', id } });
  expect(verified).toMatchObject({ ok: true, value: { valid: true, alg: 'ES256' } });

  // The debugger: the stored key verifies the pasted token, and re-signs an edit of it.
  await page.getByRole('tab', { name: 'Debugger' }).click();
  await waitForEditors(page);
  await replaceText(page, 'Encoded token', token);
  const verification = page.getByRole('region', { name: 'Verification' });
  await verification.getByLabel('Key type').selectOption({ label: 'Stored key' });
  await verification.getByLabel('Stored key').selectOption({ label: 'e2e signing key — EC P-256, kid e2e-es256' });
  await verification.getByRole('status', { name: 'Verdict' }).getByText(/^Signature valid —/).waitFor();
  const payload = JSON.parse(await waitForText(page, 'Payload', (t) => t.includes('"e2e"'))) as Record<string, unknown>;
  await replaceText(page, 'Payload', JSON.stringify({ ...payload, role: 'admin' }, null, 2));
  await page.getByText(/Modified — re-signed with the stored key e2e-es256 \(ES256\)/).waitFor();
  const resigned = await waitForText(page, 'Encoded token', (t) => t !== token && t.split('.').length === 3);
  await verification.getByRole('status', { name: 'Verdict' }).getByText(/^Signature valid —/).waitFor();

  await page.getByRole('tab', { name: 'Keys' }).click();
  await page.getByRole('button', { name: 'Export JWKS of all public keys' }).click();
  const exported = page.getByRole('textbox', { name: 'Exported JWKS' });
  await exported.waitFor();
  const jwks = JSON.parse(await exported.inputValue()) as { keys: Record<string, unknown>[] };
  expect(jwks.keys).toHaveLength(1);
  expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'e2e-es256', alg: 'ES256', use: 'sig' });
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(jwks.keys[0]).not.toHaveProperty(member);

  // jose, outside the app, accepts both tokens with the exported JWKS: the one signed by id through the
  // host, and the one the debugger re-signed with the stored key.
  const keySet = createLocalJWKSet(jwks as never);
  const first = await jwtVerify(token, keySet, { audience: 'api://e2e' });
  expect(first.protectedHeader).toMatchObject({ alg: 'ES256', kid: 'e2e-es256' });
  expect(first.payload.sub).toBe('e2e');
  const second = await jwtVerify(resigned, keySet, { audience: 'api://e2e' });
  expect(second.payload).toMatchObject({ sub: 'e2e', role: 'admin' });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download jwks.json' }).click();
  expect((await download).suggestedFilename()).toBe('jwks.json');
  expect(problems).toEqual([]);
});

it('shows an export next to its button, in view, and the private-key export is a real modal dialog', { timeout: 120_000 }, async () => {
  await page.goto(web.url);
  await page.getByRole('tab', { name: 'Keys' }).click();
  const generate = page.getByRole('form', { name: 'Generate a key' });
  await generate.getByLabel('Algorithm').selectOption('HS256');
  await generate.getByLabel('Label').fill('modal check');
  await generate.getByRole('button', { name: 'Generate' }).click();
  const item = page.getByRole('listitem', { name: 'modal check' });
  await item.waitFor();

  // The JWKS appears right under its button and inside the window, not below the whole list.
  const exportAll = page.getByRole('button', { name: 'Export JWKS of all public keys' });
  await exportAll.click();
  const exported = page.getByRole('textbox', { name: 'Exported JWKS' });
  await exported.waitFor();
  const [button, output] = [(await exportAll.boundingBox())!, (await exported.boundingBox())!];
  expect(output.y - (button.y + button.height)).toBeLessThan(80);
  expect(await exported.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
  await page.getByRole('button', { name: 'Close' }).click();

  const opener = item.getByRole('button', { name: 'Export private key of modal check…' });
  const dialog = page.getByRole('dialog', { name: 'Export the private key of modal check' });
  await opener.click();
  await dialog.waitFor();
  expect(await dialog.evaluate((el) => el.matches('dialog:modal'))).toBe(true);
  // Tab cycles through the dialog's own controls only: the page behind is inert.
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement) || document.activeElement === document.body)).toBe(true);
  }
  // Nothing behind it can be clicked: the backdrop takes the click, and the Debugger tab stays unselected.
  await page.getByRole('tab', { name: 'Debugger' }).click({ force: true, timeout: 5_000 }).catch(() => undefined);
  expect(await page.getByRole('tab', { name: 'Keys' }).getAttribute('aria-selected')).toBe('true');
  expect(await dialog.isVisible()).toBe(true);
  // Escape closes it, and focus is back on the button that opened it.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
  expect(problems).toEqual([]);
});
