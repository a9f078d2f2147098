/**
 * Keys from the issuer, and trust made visible, in Chromium against `npm run web`: the app's own mock issuer
 * (started from the Issuer view) issues a token; pasted into the debugger, "Find keys" finds the issuer's
 * JWKS from the token's iss and the verdict names it as a discovered key. A forged token carrying its own
 * key (the embedded-jwk attack) is shown with a warning, fails with the issuer's keys, and only under
 * "Token's own key" verifies — with a red, self-asserted verdict. Loopback only.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { generateAttacks } from '../../shared/core/attacks';
import { oneAppPage, startIssuerFromUi } from './app-page';
import { replaceText, waitForEditors } from './editor';
import { demoAccessToken, hostCall, repoRoot } from './web-host';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

const rpc = <T>(method: string, request: unknown) => hostCall<T>(web, method, request);
const accessToken = () => demoAccessToken(web);

const AXE_SOURCE = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * axe's WCAG 2 A/AA rules (contrast included) on the Verification panel, in both themes: the warning and the
 * red verdict are new colours. page.evaluate goes through DevTools, which the page's CSP does not govern.
 */
async function panelViolations(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const ids = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const result = await axe.run(
        { include: [['section.verification']] },
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] },
      );
      return result.violations.map((v) => `${v.id} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    });
    found.push(...ids.map((id) => `${colorScheme}: ${id}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

const verification = () => page.getByRole('region', { name: 'Verification' });
const verdict = () => verification().getByRole('status', { name: 'Verdict' });

it("finds the issuer's keys from iss; a token's own key is shown with a warning and trusted only by choice, in red", async () => {
  await page.goto(web.url);
  await waitForEditors(page);
  const issuer = await startIssuerFromUi(page);
  const token = await accessToken();

  await page.getByRole('tab', { name: 'Debugger' }).click();
  await waitForEditors(page);
  await replaceText(page, 'Encoded token', token);
  await verification().getByRole('button', { name: 'Find keys' }).click();
  const note = verification().getByRole('status', { name: 'Key discovery' });
  await note.filter({ hasText: /^Found \d+ keys? at / }).waitFor({ timeout: 20_000 });
  const meta = JSON.parse((await rpc<{ body: string }>('issuer.request', { method: 'GET', path: '/.well-known/openid-configuration' })).body) as { jwks_uri: string };
  expect(await note.textContent()).toMatch(new RegExp(`^Found \\d+ keys? at ${meta.jwks_uri.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} via ${`${issuer}/.well-known/openid-configuration`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
  expect(await verification().getByRole('combobox', { name: 'Key type' }).inputValue()).toBe('jwks');

  await verdict().filter({ hasText: 'Signature valid' }).waitFor({ timeout: 20_000 });
  expect(await verdict().textContent()).toContain(`key from ${meta.jwks_uri} (discovery)`);
  expect(await verdict().getAttribute('class')).toContain('verdict-box-valid');
  expect(await verification().getByRole('note', { name: "Token's own key" }).count()).toBe(0);

  // The embedded-jwk attack: the same claims, signed with a fresh key that the header names.
  const [forged] = await generateAttacks('embedded-jwk', token);
  await replaceText(page, 'Encoded token', forged!.token);
  const warning = verification().getByRole('note', { name: "Token's own key" });
  await warning.waitFor();
  expect(await warning.textContent()).toContain('This token names its own key (jwk): a verifier must not trust it — anyone can sign with their own key');
  // With the issuer's keys the forgery does not verify: the header's key is not used.
  await verdict().filter({ hasNotText: 'Verifying' }).filter({ hasNotText: 'Signature valid' }).waitFor({ timeout: 20_000 });
  expect(await verdict().textContent()).toMatch(/Signature invalid|Key problem/);

  await verification().getByRole('combobox', { name: 'Key type' }).selectOption('token-key');
  await verdict().filter({ hasText: "Signature valid under the token's own key — self-asserted, proves nothing about the signer" }).waitFor({ timeout: 20_000 });
  expect(await verdict().getAttribute('class')).toContain('verdict-box-invalid');
  expect(await verdict().textContent()).toContain('self-asserted:jwk');
  expect(await panelViolations()).toEqual([]);

  expect(problems).toEqual([]);
}, 120_000);
