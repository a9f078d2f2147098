/**
 * An SD-JWT with a key-binding JWT (RFC 9901 §5.2's own example) in the real debugger: decoded with its
 * Disclosures (Signature pane), then verified through the host with the RFC's issuer key — the
 * Disclosures, the KB-JWT's signature by cnf.jwk, its sd_hash, audience and nonce all listed as checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { oneAppPage } from './app-page';
import { replaceText, waitForEditors, waitForText } from './editor';
import { repoRoot } from './web-host';
import type { RunningWebHost } from './web-host';

const rfc = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/sd-jwt/rfc9901.json'), 'utf8')) as {
  issuerKey: object;
  presentation: string;
  keyBinding: { aud: string; nonce: string };
};

let web: RunningWebHost;
let page: Page;
let problems: string[];

oneAppPage({}, (app) => ({ web, page, problems } = app));

it('decodes an SD-JWT with its Disclosures and KB-JWT, and verifies both with the issuer key', async () => {
  await page.goto(web.url);
  await page.getByRole('contentinfo').getByText('served from 127.0.0.1').waitFor();
  await waitForEditors(page);
  await replaceText(page, 'Encoded token', rfc.presentation);

  // The Payload pane keeps the issuer's signed payload (digests); the Signature pane places the Disclosures.
  const payload = await waitForText(page, 'Payload', (t) => t.includes('"_sd"'));
  expect(payload).not.toContain('"family_name"');
  // (Monaco draws only the lines in view: the pane's full JSON is covered by test/renderer/signature-view.test.ts.)
  await waitForText(page, 'Signature', (t) => t.includes('"sd_jwt"'));

  const verification = page.getByRole('region', { name: 'Verification' });
  await verification.getByLabel('Key type').selectOption({ label: 'JWK' });
  await verification.getByRole('textbox', { name: 'Key', exact: true }).fill(JSON.stringify(rfc.issuerKey));
  await verification.getByRole('textbox', { name: 'Key-binding audience', exact: true }).fill(rfc.keyBinding.aud);
  await verification.getByRole('textbox', { name: 'Key-binding nonce', exact: true }).fill(rfc.keyBinding.nonce);
  await verification.getByRole('status', { name: 'Verdict' }).locator('strong', { hasText: /^Signature valid — all checked claims pass/ }).waitFor();
  const text = (await verification.textContent()) ?? '';
  for (const check of ['disclosures', 'kb.signature', 'sd_hash', 'kb.aud', 'kb.nonce']) expect(text).toContain(check);
  expect(text).toContain('4 Disclosures, each matching a digest (sha-256); 6 digests not disclosed');

  // Another nonce: the KB-JWT no longer answers this verifier's challenge.
  await verification.getByRole('textbox', { name: 'Key-binding nonce', exact: true }).fill('another-nonce');
  await verification.getByRole('status', { name: 'Verdict' }).locator('strong', { hasText: /^Signature valid — .*fail/ }).waitFor();
  expect(problems).toEqual([]);
}, 60_000);
