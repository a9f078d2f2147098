/**
 * "Probe a verifier" end to end in Chromium against `npm run web`: the app's own mock issuer (started from
 * the Issuer view) issues an access token; the token is pasted into the debugger and the Attacks panel's probe
 * is run against the issuer's correct resource (every attack rejected) and, with the issuer's demoVulnerable
 * setting on, against its deliberately naive one (attacks accepted, highlighted). The host makes every
 * request; the page talks to nothing but its host. Loopback only.
 */
import { createPublicKey } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { oneAppPage, startIssuerFromUi } from './app-page';
import { replaceText, waitForEditors } from './editor';
import { demoAccessToken, hostCall } from './web-host';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

const rpc = <T>(method: string, request: unknown) => hostCall<T>(web, method, request);
const accessToken = () => demoAccessToken(web);

const probe = () => page.getByRole('region', { name: 'Probe a verifier' });
const summary = () => probe().getByRole('status', { name: 'Probe summary' });

/** Runs the probe and waits for the verdict `done` (each run's verdict differs, so the previous one cannot match). */
async function runProbe(url: string, done: RegExp): Promise<void> {
  await probe().getByRole('textbox', { name: 'Verifier URL' }).fill(url);
  await probe().getByRole('button', { name: 'Run probe' }).click();
  await summary().filter({ hasText: done }).waitFor({ timeout: 60_000 });
}

it('probes the issuer\'s resources from the Attacks panel: /resource/me rejects all, /resource/naive does not', async () => {
  await page.goto(web.url);
  await waitForEditors(page);
  const issuer = await startIssuerFromUi(page);
  const token = await accessToken();

  await page.getByRole('tab', { name: 'Debugger' }).click();
  await waitForEditors(page);
  await replaceText(page, 'Encoded token', token);
  await page.getByRole('button', { name: 'Probe a verifier…' }).click();
  await probe().waitFor();

  // The correct resource: the original token is accepted, every attack rejected.
  await runProbe(`${issuer}/resource/me`, /^All \d+ attacks rejected/);
  expect(await summary().textContent()).toMatch(/^All \d+ attacks rejected \(the original token: HTTP 200\)$/);
  const table = probe().getByRole('table', { name: 'Probe results' });
  expect(await table.locator('tbody tr').count()).toBeGreaterThan(5);
  expect(await table.locator('tbody tr[data-accepted="true"]').count()).toBe(0);

  // The deliberately naive resource, on only while demoVulnerable is (off by default, not in the Issuer form).
  await rpc('issuer.settings.put', { demoVulnerable: true });
  const jwks = JSON.parse((await rpc<{ status: number; body: string }>('issuer.request', { method: 'GET', path: '/jwks' })).body) as { keys: object[] };
  const pem = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  await probe().getByRole('textbox', { name: /public key/ }).fill(pem);
  await runProbe(`${issuer}/resource/naive`, /accepted — your verifier is vulnerable$/);
  expect(await summary().textContent()).toMatch(/^\d+ of \d+ attacks accepted — your verifier is vulnerable$/);
  const accepted = await table.locator('tbody tr[data-accepted="true"]').evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent).join('/')),
  );
  // Each mistake of the naive resource shows: alg none, an embedded jwk, a loopback jku, key confusion.
  expect(accepted).toEqual(expect.arrayContaining(['none/none', 'embedded-jwk/ES256', 'jku/ES256', 'key-confusion/pem-as-file']));
  expect(await table.locator('tbody tr[data-accepted="false"]').count()).toBeGreaterThan(0);
  await rpc('issuer.settings.put', { demoVulnerable: false });

  expect(problems).toEqual([]);
}, 120_000);
