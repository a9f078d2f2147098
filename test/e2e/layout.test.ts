/**
 * The debugger's layout at real window sizes, in light and dark: the six named panes each have a box
 * inside the window, no two overlap, the page itself never scrolls (each pane scrolls inside itself), and
 * Claim warnings has room for its findings — while the panes grow (time rows, an edit's error line, a
 * broken token's error view).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { oneAppPage, openApp as openAppIn } from './app-page';
import { replaceText, waitForEditors, waitForText } from './editor';
import type { RunningWebHost } from './web-host';

const PANES = ['Encoded token', 'Header', 'Payload', 'Signature', 'Verification', 'Claim warnings'] as const;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
/**
 * Unsecured, no typ, expired, not yet valid, issued in the future, a password in the payload: several
 * findings at once, and all three time rows under the Payload.
 */
const NOISY_TOKEN = `${b64({ alg: 'none' })}.${b64({
  sub: 'layout-user',
  exp: now - 3600,
  nbf: now + 3600,
  iat: now + 7200,
  password: 'hunter2',
  email: 'layout@example.com',
})}.`;
/** The same token with its payload segment cut short: a decode error, the panes keep the last good decode. */
const BROKEN_TOKEN = `${NOISY_TOKEN.split('.')[0]}.${NOISY_TOKEN.split('.')[1]!.slice(0, -3)}!.`;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

let web: RunningWebHost;
let page: Page;
let problems: string[] = [];

oneAppPage({}, (app) => ({ web, page, problems } = app));

async function boxes(): Promise<Record<string, Box>> {
  const out: Record<string, Box> = {};
  for (const name of PANES) {
    const box = await page.getByRole('region', { name, exact: true }).boundingBox();
    expect(box, `${name} has a box`).not.toBeNull();
    out[name] = box!;
  }
  return out;
}

/** Everything the issue asks of the layout, at the current size and state. */
async function expectLayoutHolds(where: string, width: number, height: number): Promise<void> {
  // Let Monaco's automatic layout and any resize settle before measuring.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const found = await boxes();
  for (const [name, box] of Object.entries(found)) {
    expect(box.width, `${where}: ${name} width`).toBeGreaterThan(0);
    expect(box.height, `${where}: ${name} height`).toBeGreaterThan(0);
    expect(box.x, `${where}: ${name} left`).toBeGreaterThanOrEqual(0);
    expect(box.y, `${where}: ${name} top`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${where}: ${name} right`).toBeLessThanOrEqual(width + 0.5);
    expect(box.y + box.height, `${where}: ${name} bottom`).toBeLessThanOrEqual(height + 0.5);
  }
  const names = Object.keys(found);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = found[names[i]!]!;
      const b = found[names[j]!]!;
      // Touching edges (up to 1 px of rounding) are fine; any real overlap is not.
      const overlapX = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      expect(overlapX > 1 && overlapY > 1, `${where}: ${names[i]} overlaps ${names[j]} (${overlapX.toFixed(1)} × ${overlapY.toFixed(1)} px)`).toBe(false);
    }
  }
  // The panes fill the window: the bottom pane of each column reaches down to the footer (a split held
  // at one pane's minimum still gives the other all the rest).
  const footerTop = (await page.getByRole('contentinfo').boundingBox())!.y;
  for (const name of ['Claim warnings', 'Time'] as const) {
    const box = (await page.getByRole('region', { name, exact: true }).boundingBox())!;
    expect(footerTop - (box.y + box.height), `${where}: space under ${name}`).toBeLessThanOrEqual(24);
  }
  // Each Monaco editor follows its pane (automaticLayout): inside the pane's box, never a stale size.
  for (const name of ['Encoded token', 'Header', 'Payload', 'Signature'] as const) {
    const editor = await page.getByRole('region', { name, exact: true }).locator('.monaco-editor').first().boundingBox();
    const pane = found[name]!;
    expect(editor, `${where}: ${name} has an editor`).not.toBeNull();
    expect(editor!.height, `${where}: ${name} editor height`).toBeGreaterThan(0);
    expect(editor!.x + editor!.width, `${where}: ${name} editor right`).toBeLessThanOrEqual(pane.x + pane.width + 1);
  }
  const scroll = await page.evaluate(() => {
    const root = document.scrollingElement!;
    return { scrollHeight: root.scrollHeight, scrollWidth: root.scrollWidth, innerHeight: window.innerHeight, innerWidth: window.innerWidth };
  });
  expect(scroll.scrollHeight, `${where}: the page scrolls vertically`).toBeLessThanOrEqual(scroll.innerHeight);
  expect(scroll.scrollWidth, `${where}: the page scrolls horizontally`).toBeLessThanOrEqual(scroll.innerWidth);
}

/** Claim warnings shows every finding, or its list scrolls inside the pane; returns how many are fully visible. */
async function expectFindingsReachable(where: string): Promise<number> {
  const region = page.getByRole('region', { name: 'Claim warnings', exact: true });
  const list = region.getByRole('list');
  const state = await list.evaluate((el) => {
    // The element that scrolls the list: the list itself or the nearest ancestor that clips it.
    let scroller: HTMLElement | null = el as HTMLElement;
    while (scroller && scroller.scrollHeight <= scroller.clientHeight + 1) scroller = scroller.parentElement;
    const clip = (scroller ?? el).getBoundingClientRect();
    const items = Array.from(el.querySelectorAll(':scope > li')).map((li) => li.getBoundingClientRect());
    const visible = items.filter((r) => r.top >= clip.top - 1 && r.bottom <= clip.bottom + 1).length;
    const overflow = scroller ? getComputedStyle(scroller).overflowY : null;
    const insidePane = scroller ? el.closest('section')!.contains(scroller) : true;
    return { count: items.length, visible, overflow, insidePane };
  });
  expect(state.count, `${where}: findings listed`).toBeGreaterThanOrEqual(4);
  if (state.visible < state.count) {
    // Not all fit: the list must scroll inside Claim warnings, not be cut off or push the page.
    expect(state.insidePane, `${where}: the findings scroll inside Claim warnings`).toBe(true);
    expect(['auto', 'scroll'], `${where}: the findings' scroller`).toContain(state.overflow);
  }
  return state.visible;
}

const openApp = () => openAppIn(page, web);

async function checkStates(width: number, height: number, scheme: 'light' | 'dark'): Promise<void> {
  const at = `${width}×${height} ${scheme}`;
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: scheme });
  await openApp();
  await expectLayoutHolds(`${at}, empty`, width, height);

  // Time rows under the Payload and ≥ 4 findings.
  await replaceText(page, 'Encoded token', NOISY_TOKEN);
  await waitForText(page, 'Payload', (t) => t.includes('layout-user'));
  await page.getByRole('region', { name: 'Payload', exact: true }).locator('.time-claims time').nth(2).waitFor();
  await expectLayoutHolds(`${at}, noisy token`, width, height);
  const visible = await expectFindingsReachable(`${at}, noisy token`);
  if (width >= 1440) expect(visible, `${at}: findings fully visible`).toBeGreaterThanOrEqual(4);

  // An edit that is not JSON: the Payload pane grows an error line.
  await replaceText(page, 'Payload', '{"sub": "layout-user", "exp": ');
  await page.getByRole('region', { name: 'Payload', exact: true }).getByRole('alert').waitFor();
  await expectLayoutHolds(`${at}, payload edit error`, width, height);

  // A broken token: the error view in the Encoded pane, the panes marked stale.
  await replaceText(page, 'Encoded token', NOISY_TOKEN);
  await waitForText(page, 'Payload', (t) => t.includes('layout-user'));
  await replaceText(page, 'Encoded token', BROKEN_TOKEN);
  await page.getByRole('region', { name: 'Header', exact: true }).getByText('last valid decode').waitFor();
  await expectLayoutHolds(`${at}, broken token`, width, height);
  await expectFindingsReachable(`${at}, broken token`);
}

describe('debugger layout', () => {
  for (const [width, height] of [
    [1024, 700],
    [1440, 900],
    [1920, 1080],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`holds at ${width}×${height} in ${scheme}`, async () => {
        await checkStates(width, height, scheme);
        expect(problems).toEqual([]);
      });
    }
  }

  it('holds at 2560×1440', async () => {
    await checkStates(2560, 1440, 'light');
    expect(problems).toEqual([]);
  });

  it('follows the window when it is resized, editors included', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp();
    await replaceText(page, 'Encoded token', NOISY_TOKEN);
    await page.getByRole('region', { name: 'Payload', exact: true }).locator('.time-claims time').nth(2).waitFor();
    const payloadEditor = page.getByRole('region', { name: 'Payload', exact: true }).locator('.monaco-editor').first();
    const wide = (await payloadEditor.boundingBox())!;
    await page.setViewportSize({ width: 1024, height: 700 });
    // Monaco lays itself out on the next frames after its container changes.
    await page.waitForFunction(
      (width) => {
        const editor = document.querySelector('.pane-payload .monaco-editor');
        return editor !== null && editor.getBoundingClientRect().width < width - 100;
      },
      wide.width,
      { timeout: 10_000 },
    );
    await expectLayoutHolds('resized to 1024×700', 1024, 700);
    await page.setViewportSize({ width: 1440, height: 900 });
    await expectLayoutHolds('resized to 1440×900', 1440, 900);
    expect(await expectFindingsReachable('resized to 1440×900')).toBeGreaterThanOrEqual(4);
    expect(problems).toEqual([]);
  });

  it('moves the column split with the mouse and remembers it', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp();
    const separator = page.getByRole('separator', { name: 'Resize the encoded and decoded columns' });
    const before = Number(await separator.getAttribute('aria-valuenow'));
    const box = (await separator.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const after = Number(await separator.getAttribute('aria-valuenow'));
    expect(after).toBeGreaterThan(before + 5);
    await expectLayoutHolds('columns dragged', 1440, 900);
    await page.reload();
    await waitForEditors(page);
    expect(Number(await separator.getAttribute('aria-valuenow'))).toBe(after);
    // Back to the default for whatever runs next.
    await separator.dblclick();
    expect(Number(await separator.getAttribute('aria-valuenow'))).toBe(before);
    expect(problems).toEqual([]);
  });

  it('keeps holding after the decoded/warnings split is moved to either end', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp();
    await replaceText(page, 'Encoded token', NOISY_TOKEN);
    await page.getByRole('region', { name: 'Payload', exact: true }).locator('.time-claims time').nth(2).waitFor();
    const separator = page.getByRole('separator', { name: 'Resize the decoded panes and the claim warnings' });
    await separator.focus();
    await page.keyboard.press('End');
    await expectLayoutHolds('split at the end', 1440, 900);
    await expectFindingsReachable('split at the end');
    await page.keyboard.press('Home');
    await expectLayoutHolds('split at the start', 1440, 900);
    // Back to the default for whatever runs next (the split is remembered).
    await separator.dblclick();
    expect(problems).toEqual([]);
  });
});
