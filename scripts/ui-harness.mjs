/**
 * What scripts/bench-ui.mjs and scripts/screenshots.mjs share: the built app served by
 * dist/web/main.mjs on a free loopback port, and Debian's Chromium driven by playwright-core.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startHost() {
  if (!fs.existsSync(path.join(repoRoot, 'dist/web/main.mjs'))) throw new Error('dist/ is not built: run `npm run build` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-workbench-ui-'));
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/web/main.mjs'), '--port', '0', '--json', '--data-dir', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('web host printed nothing in 30 s')), 30_000);
    lines.once('line', (l) => {
      clearTimeout(timer);
      lines.close();
      child.stdout.resume();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}`)));
  });
  const info = JSON.parse(line);
  return {
    url: info.url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(options = {}) {
  const which = spawnSync('which', ['chromium'], { encoding: 'utf8' });
  const executablePath = process.env.CHROMIUM_PATH || which.stdout.trim();
  if (!executablePath) throw new Error('Chromium not found: install it or set CHROMIUM_PATH');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...options });
  return { browser, context };
}

/** Replaces the text of the Monaco editor named `name` as a paste would (one input event). */
export async function pasteInto(page, name, text) {
  const box = page.getByRole('region', { name, exact: true }).getByRole('textbox').first();
  await box.focus();
  await page.keyboard.press('ControlOrMeta+A');
  // A paste event, as a real paste: typed text would get Monaco's auto-closed brackets and quotes.
  await box.evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
