/**
 * Issue 5 end to end in Chromium against `npm run web`: start the mock issuer from the Issuer view, run the
 * stepper through every step, and check the timeline and each step's outcome. Then a verifier that knows
 * nothing of this project (jose in Node) checks an access token the stepper received, via discovery. The
 * page itself talks only to the web host: the issuer is called from the host, so no request leaves it.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { STEPS } from '../../shared/stepper/steps';
import { oneAppPage } from './app-page';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

it('starts the issuer from the UI and runs the stepper end to end', async () => {
  await page.goto(web.url);
  await page.getByRole('tab', { name: 'Issuer' }).click();
  await page.getByRole('button', { name: 'Start issuer' }).click();
  const discovery = (await page.getByTestId('discovery-url').textContent())!;
  expect(discovery).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration$/);
  await page.getByRole('button', { name: 'Stop issuer' }).waitFor();

  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByRole('button', { name: 'Run all remaining steps' }).click();
  await page.getByRole('button', { name: 'All steps done' }).waitFor({ timeout: 60_000 });

  // Every step passed, in order, each saying what happened and why.
  const steps = page.getByRole('list', { name: 'Steps' });
  for (const step of STEPS) {
    const card = steps.locator(`[data-step-id="${step.id}"]`);
    expect(await card.getAttribute('data-status'), `${step.id}: ${await card.textContent()}`).toBe('passed');
    expect(await card.textContent()).toContain(step.rule.cite);
  }
  expect(await page.getByTestId('outcome-replay-stolen').textContent()).toMatch(/invalid_grant.*family was revoked \(reason: reuse/);
  expect(await page.getByTestId('outcome-resource-401').textContent()).toContain('401');
  expect(await page.getByTestId('outcome-unknown-kid').textContent()).toContain('no-matching-key');
  expect(await page.getByTestId('outcome-introspection-flips').textContent()).toContain('"active": false');

  // The timeline grew one group per step, with the messages of the story.
  const timeline = page.getByRole('list', { name: 'Sequence of messages' });
  const groups = timeline.locator('.iss-sequence-step');
  expect(await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id')))).toEqual(STEPS.map((s) => s.id));
  const text = (await timeline.textContent()) ?? '';
  for (const message of ['POST /auth/login (stepper)', 'POST /auth/refresh (stolen refresh token)', 'reuse detected → family revoked', 'GET /jwks (then cached)', '{"active": false}']) {
    expect(text).toContain(message);
  }
  expect(await timeline.locator('.iss-arrow-refused').count()).toBeGreaterThanOrEqual(5);

  // A token decoded in place: the newest access token of the rotate-key step, checked by an outside verifier.
  const payloadText = await steps.locator('[data-step-id="rotate-key"]').getByLabel('access token (new key) payload').textContent();
  const headerText = await steps.locator('[data-step-id="rotate-key"]').getByLabel('access token (new key) header').textContent();
  expect(JSON.parse(headerText!)).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
  expect(JSON.parse(payloadText!)).toMatchObject({ sub: 'stepper', client_id: 'workbench' });

  // The Issuer view shows the two families of the story: the revoked one and the new one.
  await page.getByRole('tab', { name: 'Issuer' }).click();
  await page.locator('[data-status="revoked"][data-family-id]').first().waitFor();
  expect(await page.locator('[data-family-id][data-status="active"]').count()).toBeGreaterThanOrEqual(1);
  await page.locator('.iss-log [data-event="refresh.reuse-detected"]').first().waitFor();
  expect(problems).toEqual([]);

  // An independent verifier, via discovery: the JWKS the issuer publishes.
  const meta = (await (await fetch(discovery)).json()) as { issuer: string; jwks_uri: string };
  // A login as any client would make it (the page keeps its tokens to itself).
  const login = await fetch(`${meta.issuer}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'stepper', password: 'stepper-demo-password' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  // The issuer's clock was advanced by the story: verify at its time, as the stepper's verifier does.
  const iat = (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { iat: number }).iat;
  const { payload } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(meta.jwks_uri)), { issuer: meta.issuer, typ: 'at+jwt', currentDate: new Date(iat * 1000) });
  expect(payload.sub).toBe('stepper');
}, 120_000);
