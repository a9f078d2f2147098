#!/usr/bin/env node
/**
 * Screenshots for the README at 1440×900, light and dark (the app follows the system's scheme):
 * docs/debugger-{light,dark}.png, docs/keys-*.png, docs/issuer-*.png and docs/stepper-*.png.
 * Needs a build (`npm run build`) and Chromium. The scenes: the "Expired" example with its secret (panes, a
 * verdict and a claim warning), the key store with a generated key, the issuer started, the Stepper walked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, repoRoot, startHost } from './ui-harness.mjs';

/** The pointer off the panes and the focus out of the editors, so no cursor or hover is in the picture. */
async function shoot(page, name, colorScheme) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await page.waitForTimeout(300);
  const file = path.join(repoRoot, `docs/${name}-${colorScheme}.png`);
  await page.screenshot({ path: file });
  console.log(`wrote ${path.relative(repoRoot, file)}`);
}

fs.mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
for (const colorScheme of ['light', 'dark']) {
  // A fresh host per scheme: the key store and the issuer start empty each time.
  const host = await startHost();
  const { browser, context } = await launchChromium({ colorScheme, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    await page.waitForFunction(() => document.querySelectorAll('.code-editor[data-editor-ready]').length >= 4, null, { timeout: 60_000 });
    await page.getByRole('combobox', { name: 'Examples' }).selectOption('expired');
    await page.getByRole('region', { name: 'Verification' }).getByText(/expired/i).first().waitFor();
    await page.getByRole('region', { name: 'Claim warnings' }).getByText('exp-passed').waitFor();
    // The known-secret scan has finished (its progress line is gone).
    await page.getByText(/^Checking .*known secrets/).waitFor({ state: 'detached', timeout: 60_000 });
    await shoot(page, 'debugger', colorScheme);

    await page.getByRole('tab', { name: 'Keys' }).click();
    // A fresh data folder: the store is set up with a passphrase, as a user would.
    await page.getByLabel('New passphrase').fill('correct horse battery');
    await page.getByLabel('Repeat the passphrase').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create the key store' }).click();
    const generate = page.getByRole('form', { name: 'Generate a key' });
    await generate.getByLabel('Key ID (kid)').fill('docs-es256');
    await generate.getByLabel('Label').fill('signing key');
    await generate.getByRole('button', { name: 'Generate' }).click();
    await generate.getByRole('status').getByText(/Generated/).waitFor();
    await shoot(page, 'keys', colorScheme);

    await page.getByRole('tab', { name: 'Issuer' }).click();
    await page.getByRole('button', { name: 'Start issuer' }).click();
    await page.getByRole('button', { name: 'Stop issuer' }).waitFor();
    await shoot(page, 'issuer', colorScheme);

    await page.getByRole('tab', { name: 'Stepper' }).click();
    await page.getByRole('button', { name: 'Run all remaining steps' }).click();
    await page.getByRole('button', { name: 'All steps done' }).waitFor({ timeout: 60_000 });
    await shoot(page, 'stepper', colorScheme);
  } finally {
    await browser.close();
    await host.stop();
  }
}
