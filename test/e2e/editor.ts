/**
 * Reading and writing the debugger's Monaco editors from a test, through the page as a user sees it:
 * text goes in as a paste into the focused editor; text comes out of the rendered lines (Monaco keeps
 * no DOM copy of the whole text; the panes used in tests are short enough to render every line).
 * Nothing in the production build exposes Monaco for tests.
 */
import type { Page } from 'playwright-core';

/** Waits until every editor on the page has loaded. */
export async function waitForEditors(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const editors = document.querySelectorAll('.code-editor');
    return editors.length > 0 && Array.from(editors).every((e) => e.getAttribute('data-editor-ready') === 'true');
  });
}

/**
 * Replaces the whole text of the editor in the region named `pane` as a paste does: select all, then a
 * `paste` event carrying the text (typed text would get Monaco's auto-closed brackets and quotes).
 */
export async function replaceText(page: Page, pane: string, text: string): Promise<void> {
  const box = page.getByRole('region', { name: pane, exact: true }).getByRole('textbox').first();
  await box.focus();
  await page.keyboard.press('ControlOrMeta+A');
  if (text === '') {
    await page.keyboard.press('Delete');
    return;
  }
  await box.evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/**
 * The text of the editor in the region named `pane`, from its rendered lines in visual order. Soft-wrapped
 * pieces of one line (the Encoded pane wraps) are joined without a break.
 */
export async function editorText(page: Page, pane: string): Promise<string> {
  const region = page.getByRole('region', { name: pane, exact: true });
  // Only the Encoded pane soft-wraps (a token is one line); the JSON panes do not.
  const wraps = pane === 'Encoded token';
  return region.locator('.view-lines').evaluate((root, wraps) => {
    const lines = Array.from(root.querySelectorAll<HTMLElement>('.view-line'))
      .map((el) => ({ top: parseFloat(el.style.top), text: (el.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top);
    return lines.map((l) => l.text).join(wraps ? '' : '\n');
  }, wraps);
}

/** Waits until the editor's text satisfies `accept` and returns it. */
export async function waitForText(page: Page, pane: string, accept: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await editorText(page, pane);
    if (accept(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`the ${pane} pane never showed the expected text; last seen:\n${last}`);
}
