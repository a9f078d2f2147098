/**
 * Accessibility in Chromium with axe-core: every view — the Debugger with a token (and its Attacks panel),
 * Keys with a key, an export and the private-export dialog open, the Issuer stopped and started, the
 * Stepper before and after a step — in the light and the dark theme, checked against WCAG 2 A/AA (colour
 * contrast included). The views are switched back and forth on one page, with watchPage's rule on:
 * nothing may be logged along the way.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { oneAppPage } from './app-page';
import { waitForEditors } from './editor';
import { repoRoot } from './web-host';
import type { RunningWebHost } from './web-host';

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

const AXE_SOURCE = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * axe's WCAG 2 A/AA rules (colour contrast is one) on the page as it is. The app's CSP allows no inline
 * script, so axe does not go in as a <script>: page.evaluate runs through the DevTools protocol, which
 * the page's CSP does not govern, and axe itself needs no eval.
 */
async function axeViolations(): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help}\n${v.nodes.map((n) => `  ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`.replace(/\n/g, ' ')).join('\n')}`)
    .join('\n');
}

/** What axe found, per view and theme; asserted once at the end so one run lists everything. */
const report: string[] = [];

/** Checks the page as it is now in both themes. */
async function checkBothThemes(where: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Let the transitions on borders finish before colours are measured.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const violations = await axeViolations();
    if (violations.length > 0) report.push(describeViolations(`${where}, ${colorScheme}`, violations));
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

it('every view passes axe WCAG 2 A/AA checks, contrast included, in light and dark', async () => {
  await page.goto(web.url);
  await waitForEditors(page);

  // The Debugger with a token that verifies, so the panes, findings and verdict are all shown.
  await page.getByRole('combobox', { name: 'Examples' }).selectOption('eddsa');
  await page.locator('.verification-status').getByRole('status', { name: 'Verdict' }).locator('strong', { hasText: /^Signature valid —/ }).waitFor();
  await checkBothThemes('Debugger');
  // Its Attacks panel, with forged variants of that token.
  await page.getByRole('combobox', { name: 'Attacks' }).selectOption('none');
  const attacks = page.getByRole('region', { name: 'Attack: alg "none"' });
  await attacks.waitFor();
  await checkBothThemes('Debugger, Attacks panel');
  await attacks.getByRole('button', { name: 'Close' }).click();
  await attacks.waitFor({ state: 'detached' });
  // JWE: the Encrypt panel with its result, then the Decrypt panel with a decrypted nested token.
  await page.getByRole('button', { name: 'Encrypt…' }).click();
  const encrypt = page.getByRole('region', { name: 'Encrypt' });
  await encrypt.getByRole('combobox', { name: 'Key management (alg)' }).selectOption('PBES2-HS256+A128KW');
  await encrypt.getByRole('combobox', { name: 'Encryption key type' }).selectOption('password');
  await encrypt.getByLabel('Encryption password').fill('a11y password');
  await encrypt.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await encrypt.getByRole('textbox', { name: 'Encrypted token' }).waitFor();
  await checkBothThemes('Debugger, Encrypt panel');
  await encrypt.getByRole('button', { name: 'Open in the debugger' }).click();
  const decrypt = page.getByRole('region', { name: 'Decrypt' });
  await decrypt.getByRole('combobox', { name: 'Decryption key type' }).selectOption('password');
  await decrypt.getByLabel('Password').fill('a11y password');
  await decrypt.getByRole('button', { name: 'Decrypt' }).click();
  await decrypt.getByRole('button', { name: 'Open inner token' }).waitFor();
  await checkBothThemes('Debugger, Decrypt panel');
  await decrypt.getByRole('button', { name: 'Open inner token' }).click();
  await page.getByRole('button', { name: 'Back to the JWE' }).waitFor();
  await checkBothThemes('Debugger, inner token of a JWE');

  // DPoP: a proof built with a pasted key, opened and checked, with the builder still open beside it.
  await page.getByRole('button', { name: 'Build a DPoP proof…' }).click();
  const builder = page.getByRole('region', { name: 'Build a DPoP proof' });
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await builder.getByRole('textbox', { name: 'Private key (PEM or JWK)' }).fill(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  await builder.getByRole('textbox', { name: 'URL' }).fill('https://api.example/a11y');
  await builder.getByRole('button', { name: 'Create proof' }).click();
  await builder.getByRole('button', { name: 'Open in debugger' }).click();
  await page.getByRole('region', { name: 'DPoP proof', exact: true }).getByText('✓ Valid DPoP proof for GET https://api.example/a11y').waitFor();
  await checkBothThemes('Debugger, DPoP proof and builder');
  await builder.getByRole('button', { name: 'Close' }).click();
  await builder.waitFor({ state: 'detached' });

  // Keys, with a key generated and the private-export dialog open.
  await page.getByRole('tab', { name: 'Keys' }).click();
  const generate = page.getByRole('form', { name: 'Generate a key' });
  await generate.getByLabel('Key ID (kid)').fill('a11y-key');
  await generate.getByLabel('Label').fill('a11y key');
  await generate.getByRole('button', { name: 'Generate' }).click();
  await generate.getByRole('status').getByText('Generated EC P-256 key a11y-key.').waitFor();
  await checkBothThemes('Keys');
  await page.getByRole('button', { name: 'Export public JWK of a11y key' }).click();
  await page.getByRole('textbox', { name: 'Exported Public JWK' }).waitFor();
  await checkBothThemes('Keys, exported JWK');
  await page.getByRole('button', { name: 'Export private key of a11y key…' }).click();
  await page.getByRole('dialog', { name: 'Export the private key of a11y key' }).waitFor();
  await checkBothThemes('Keys, private-export dialog');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });

  // Back to the Debugger and on: switching views logs nothing.
  await page.getByRole('tab', { name: 'Debugger' }).click();
  await waitForEditors(page);

  // The Issuer, stopped (its start form) and started.
  await page.getByRole('tab', { name: 'Issuer' }).click();
  await page.getByRole('button', { name: 'Start issuer' }).waitFor();
  await checkBothThemes('Issuer, stopped');
  await page.getByRole('button', { name: 'Start issuer' }).click();
  await page.getByRole('button', { name: 'Stop issuer' }).waitFor();
  await checkBothThemes('Issuer, running');

  // The Stepper, before and after a step (the step's outcome and a decoded token are shown).
  await page.getByRole('tab', { name: 'Stepper' }).click();
  const steps = page.getByRole('list', { name: 'Steps' });
  await steps.waitFor();
  await checkBothThemes('Stepper');
  await page.getByRole('button', { name: /^Next: / }).click();
  await steps.locator('[data-status="passed"]').first().waitFor({ timeout: 30_000 });
  await checkBothThemes('Stepper, one step run');

  await page.getByRole('tab', { name: 'Keys' }).click();
  await page.getByRole('tab', { name: 'Debugger' }).click();
  await waitForEditors(page);
  expect(problems).toEqual([]);
  // Each violation with the elements it targets, in the failure message.
  expect(report.join('\n'), report.join('\n')).toBe('');
}, 180_000);
