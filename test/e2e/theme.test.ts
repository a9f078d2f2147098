/**
 * The theme override against the system's colour scheme, in Chromium: every colour token is defined once
 * (light-dark() in styles.css), and `data-theme` on <html> picks its side. So "dark" chosen on a light
 * system must give exactly the colours of a dark system (and "light" on a dark system those of a light
 * one) — every token, the Encoded pane's segment colours, and Monaco's own theme.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { oneAppPage } from './app-page';
import { replaceText, waitForEditors, waitForText } from './editor';
import { repoRoot } from './web-host';
import type { RunningWebHost } from './web-host';

const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0aGVtZSJ9.c2lnbmF0dXJl';
// The colour tokens, read from the one place they are defined.
const TOKENS = [...fs.readFileSync(path.join(repoRoot, 'renderer/src/styles.css'), 'utf8').matchAll(/^\s*(--[\w-]+):\s*light-dark\(/gm)].map((m) => m[1]!);

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({ extraArgs: ['--unencrypted-test-store'] }, (app) => ({ web, page, problems } = app));

interface Look {
  tokens: Record<string, string>;
  segmentHeader: string;
  monacoDark: boolean;
  editorBackground: string;
}

/** The colours as used: each token resolved on a probe element, a header segment, and Monaco's theme. */
function look(): Promise<Look> {
  return page.evaluate((names) => {
    const probe = document.createElement('div');
    document.body.append(probe);
    const tokens: Record<string, string> = {};
    for (const name of names) {
      probe.style.color = `var(${name})`;
      tokens[name] = getComputedStyle(probe).color;
    }
    probe.remove();
    const segment = document.querySelector('.jwt-seg-header');
    const editor = document.querySelector('.monaco-editor')!;
    return {
      tokens,
      segmentHeader: segment ? getComputedStyle(segment).color : 'none',
      monacoDark: editor.classList.contains('vs-dark'),
      editorBackground: getComputedStyle(document.querySelector('.monaco-editor-background')!).backgroundColor,
    };
  }, TOKENS);
}

/** Toggle theme from the command palette (system → dark → light → system); returns the new data-theme. */
async function toggleTheme(): Promise<string | null> {
  await page.keyboard.press('Control+K');
  await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
  await page.keyboard.type('theme');
  await page.keyboard.press('Enter');
  return page.evaluate(() => document.documentElement.dataset.theme ?? null);
}

it('the override gives exactly the colours of the system scheme it names, tokens, segments and Monaco alike', async () => {
  expect(TOKENS.length).toBeGreaterThan(15);
  // One load, no reload: the system scheme and the override both change at run time.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(web.url);
  await waitForEditors(page);
  await replaceText(page, 'Encoded token', TOKEN);
  await waitForText(page, 'Encoded token', (t) => t === TOKEN);
  await page.locator('.jwt-seg-header').first().waitFor();
  const light = await look();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(async () => (await look()).monacoDark).toBe(true);
  const dark = await look();
  // The two sides differ in every token, so "equal" below really picks a side.
  for (const name of TOKENS) expect(dark.tokens[name], name).not.toBe(light.tokens[name]);
  expect(light.tokens['--bg']).toBe('rgb(246, 247, 249)');
  expect(dark.tokens['--bg']).toBe('rgb(15, 18, 22)');
  expect(light.monacoDark).toBe(false);
  expect(dark.segmentHeader).not.toBe(light.segmentHeader);
  expect(dark.editorBackground).not.toBe(light.editorBackground);

  // A dark system, the override "light": a light system's colours.
  expect(await toggleTheme()).toBe('dark');
  expect(await toggleTheme()).toBe('light');
  await expect.poll(look).toEqual(light);
  // A light system, the override "dark": a dark system's colours.
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await toggleTheme()).toBe(null);
  await expect.poll(look).toEqual(light);
  expect(await toggleTheme()).toBe('dark');
  await expect.poll(look).toEqual(dark);
  expect(problems).toEqual([]);
}, 90_000);
