#!/usr/bin/env node
/**
 * Screenshots of the debugger for the README, light and dark (the app follows the system's scheme):
 * docs/debugger-light.png and docs/debugger-dark.png. Needs a build (`npm run build`) and Chromium.
 * The scene: the "Expired" example with its secret, so the panes, a verdict and a claim warning show.
 */
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, repoRoot, startHost } from './ui-harness.mjs';

const host = await startHost();
try {
  fs.mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
  for (const colorScheme of ['light', 'dark']) {
    const { browser, context } = await launchChromium({ colorScheme, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      await page.goto(host.url);
      await page.waitForFunction(() => document.querySelectorAll('.code-editor[data-editor-ready]').length >= 4, null, { timeout: 60_000 });
      await page.getByRole('combobox', { name: 'Examples' }).selectOption('expired');
      await page.getByRole('region', { name: 'Verification' }).getByText('Signature verified', { exact: true }).waitFor();
      await page.getByRole('region', { name: 'Claim warnings' }).getByText('exp-passed').waitFor();
      // The pointer off the panes, and the focus out of the editors, so no cursor or hover is in the picture.
      await page.mouse.move(0, 0);
      await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
      await page.waitForTimeout(300);
      const file = path.join(repoRoot, `docs/debugger-${colorScheme}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${path.relative(repoRoot, file)}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await host.stop();
}
