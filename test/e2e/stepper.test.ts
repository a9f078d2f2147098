/**
 * The Stepper in Chromium against the real web host: its steps walked one by one from their own Run
 * buttons (a step whose earlier steps have not run is disabled and says which to run first), a timeline
 * that follows the newest step with its lane headers in view, a token opened in the debugger with the
 * issuer's JWKS and virtual time (so it verifies), and Reset putting the issuer's clock back to real time.
 */
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { STEPS } from '../../shared/stepper/steps';
import { oneAppPage } from './app-page';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

/** Seconds the issuer's clock (as the Issuer view shows it) is ahead of real time. */
async function issuerClockAhead(): Promise<number> {
  await page.getByRole('tab', { name: 'Issuer' }).click();
  const shown = (await page.getByTestId('issuer-clock').textContent()) ?? '';
  const ahead = (Date.parse(shown) - Date.now()) / 1000;
  await page.getByRole('tab', { name: 'Stepper' }).click();
  return ahead;
}

/** Where the newest timeline group and the lane headers sit inside the timeline's scroll box. */
function timelineLayout(page: Page) {
  return page.getByTestId('timeline-scroll').evaluate((box) => {
    const boxRect = box.getBoundingClientRect();
    const groups = box.querySelectorAll('.iss-sequence-step');
    const newest = groups[groups.length - 1]?.getBoundingClientRect();
    const lanes = box.querySelector('.iss-lanes')!;
    return {
      overflows: box.scrollHeight > box.clientHeight + 1,
      scrolled: box.scrollTop,
      newestVisible: newest !== undefined && newest.bottom <= boxRect.bottom + 1 && newest.bottom > boxRect.top,
      lanesAtTop: Math.abs(lanes.getBoundingClientRect().top - boxRect.top) <= 1,
      lanesPosition: getComputedStyle(lanes).position,
    };
  });
}

it('walks the steps in order, follows them in the timeline, opens a token that verifies, and Reset rewinds the clock', async () => {
  await page.goto(web.url);
  await page.getByRole('tab', { name: 'Issuer' }).click();
  await page.getByRole('button', { name: 'Start issuer' }).click();
  await page.getByRole('button', { name: 'Stop issuer' }).waitFor();
  await page.getByRole('tab', { name: 'Stepper' }).click();

  const steps = page.getByRole('list', { name: 'Steps' });
  const card = (id: string): Locator => steps.locator(`[data-step-id="${id}"]`);
  const run = (id: string): Locator => card(id).getByRole('button', { name: /^Run step:/ });

  let sawOverflow = false;
  for (const [index, step] of STEPS.entries()) {
    await expect.poll(() => run(step.id).isEnabled(), { timeout: 10_000 }).toBe(true);
    // Every later step is disabled, and says which step comes first.
    for (const later of STEPS.slice(index + 1, index + 3)) {
      expect(await run(later.id).isDisabled(), later.id).toBe(true);
      expect(await run(later.id).getAttribute('title')).toBe(`Run step ${index + 1} first`);
      expect(await card(later.id).textContent()).toContain(`Run step ${index + 1} first`);
    }
    await run(step.id).click();
    await expect.poll(() => card(step.id).getAttribute('data-status'), { timeout: 30_000 }).not.toBe('pending');
    expect(await card(step.id).getAttribute('data-status'), `${step.id}: ${await card(step.id).textContent()}`).toBe('passed');

    const layout = await timelineLayout(page);
    expect(layout.newestVisible, `newest group of ${step.id} in view`).toBe(true);
    expect(layout.lanesPosition).toBe('sticky');
    expect(layout.lanesAtTop, `lane headers in view after ${step.id}`).toBe(true);
    if (layout.overflows) {
      // Following the newest step in a box it outgrew means the box scrolled.
      expect(layout.scrolled, `timeline scrolled after ${step.id}`).toBeGreaterThan(0);
      sawOverflow = true;
    }
  }
  // The walk outgrows the box (the case the follow rule is for).
  expect(sawOverflow).toBe(true);
  expect(await page.getByRole('list', { name: 'Sequence of messages' }).locator('[data-status="failed"]').count()).toBe(0);

  // The story moved the issuer's clock forward (past the access token's lifetime).
  expect(await issuerClockAhead()).toBeGreaterThan(600);

  // The newest access token, opened in the debugger: the issuer's JWKS is the key and its time the clock.
  await card('attacks-enable').getByRole('button', { name: 'Open in debugger' }).click();
  await page.getByRole('region', { name: 'Verification' }).waitFor();
  const keySource = page.getByRole('region', { name: 'Verification' }).getByRole('combobox').first();
  await expect.poll(() => keySource.inputValue()).toBe('jwks');
  // The overall verdict (the JWKS form has a status note of its own).
  const verdict = page.getByRole('region', { name: 'Verification' }).getByRole('status', { name: 'Verdict' });
  await expect.poll(() => verdict.textContent(), { timeout: 15_000 }).toMatch(/valid|verified/i);
  expect(await verdict.textContent()).not.toMatch(/invalid|mismatch|could not|Failed:/i);
  expect(await page.getByRole('region', { name: 'Claim warnings' }).textContent()).not.toContain('iat-future');

  // The DPoP chapter's proof, opened in the debugger, gets the DPoP proof panel with its key's thumbprint.
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await card('dpop-resource').getByRole('button', { name: 'Open in debugger' }).first().click();
  const dpop = page.getByRole('region', { name: 'DPoP proof', exact: true });
  await dpop.getByRole('button', { name: 'Use the proof’s htm and htu' }).click();
  await expect.poll(() => dpop.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/^✓ Valid DPoP proof for GET http:\/\/127\.0\.0\.1:\d+\/resource\/me$/);

  // Reset: the steps are cleared and the issuer's clock is back to real time.
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('button', { name: `Next: ${STEPS[0]!.title}` }).waitFor();
  await expect.poll(async () => Math.abs(await issuerClockAhead()), { timeout: 10_000 }).toBeLessThan(60);
  expect(await run(STEPS[1]!.id).isDisabled()).toBe(true);
  expect(problems).toEqual([]);
}, 240_000);
