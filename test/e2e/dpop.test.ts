/**
 * DPoP in Chromium through the real web host: a proof built in the UI with a pasted private key (signed by
 * the host's dpop.create), opened in the debugger, where the "DPoP proof" panel's checks pass for the request
 * it was made for and fail htu for another URL.
 */
import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { verifyDpopProof } from '../../shared/core/dpop';
import { oneAppPage } from './app-page';
import { editorText, waitForEditors } from './editor';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({}, (app) => ({ web, page, problems } = app));

const URL_ = 'https://api.example/orders/42';

it('builds and verifies a DPoP proof: pasted key → proof → debugger checks pass, and fail for another URL', async () => {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const jwk = privateKey.export({ format: 'jwk' });
  const thumbprint = crypto.createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');

  await page.goto(web.url);
  await waitForEditors(page);
  await page.getByRole('button', { name: 'Build a DPoP proof…' }).click();
  const builder = page.getByRole('region', { name: 'Build a DPoP proof' });
  await builder.getByRole('textbox', { name: 'Private key (PEM or JWK)' }).fill(pem);
  await builder.getByRole('textbox', { name: 'HTTP method' }).fill('POST');
  await builder.getByRole('textbox', { name: 'URL' }).fill(URL_);
  await builder.getByRole('button', { name: 'Create proof' }).click();
  const proofBox = builder.getByRole('textbox', { name: 'Proof', exact: true });
  await proofBox.waitFor({ timeout: 15_000 });
  const proof = await proofBox.inputValue();
  // A real proof by the pasted key: the same checks, outside the browser, agree.
  const outside = await verifyDpopProof(proof, { htm: 'POST', htu: URL_ });
  expect(outside).toMatchObject({ valid: true, jkt: thumbprint });
  expect(await builder.textContent()).toContain(thumbprint);

  await builder.getByRole('button', { name: 'Open in debugger' }).click();
  await expect.poll(() => editorText(page, 'Encoded token'), { timeout: 10_000 }).toBe(proof);
  const panel = page.getByRole('region', { name: 'DPoP proof', exact: true });
  const verdict = panel.getByRole('status');
  await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toBe(`✓ Valid DPoP proof for POST ${URL_}`);
  const checks = panel.getByRole('list', { name: 'DPoP checks' }).getByRole('listitem');
  const states = async () => Object.fromEntries(await checks.evaluateAll((items) => items.map((li) => [li.getAttribute('data-check'), li.getAttribute('data-ok')])));
  expect(await states()).toEqual({ format: 'true', typ: 'true', alg: 'true', jwk: 'true', signature: 'true', htm: 'true', htu: 'true', iat: 'true', jti: 'true' });
  expect(await panel.getByTestId('dpop-jkt').textContent()).toBe(thumbprint);

  // Another URL: the proof was not made for it.
  await panel.getByRole('textbox', { name: 'URL' }).fill('https://api.example/orders/43');
  await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toBe('✗ Invalid DPoP proof: htu');
  expect(await states()).toMatchObject({ signature: 'true', htm: 'true', htu: 'false' });
  // And another method, once the URL is right again.
  await panel.getByRole('textbox', { name: 'URL' }).fill(URL_);
  await panel.getByRole('textbox', { name: 'HTTP method' }).fill('GET');
  await expect.poll(() => verdict.textContent(), { timeout: 10_000 }).toBe('✗ Invalid DPoP proof: htm');

  expect(problems).toEqual([]);
}, 120_000);
