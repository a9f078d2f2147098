/**
 * Editing a loaded token in the real Monaco editors, through the HTTP transport to the real signer:
 * Ctrl+Z in the Payload pane walks back through the user's edits to the text the token was loaded with
 * (never past it, never to an empty pane), and there the token is the loaded one again — no "Modified"
 * banner, the original bytes, a verdict that agrees. Re-signing carries the panes' text exactly as typed.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appPagePerTest, openApp } from './app-page';
import { editorText, replaceText, waitForText } from './editor';
import type { RunningWebHost } from './web-host';
import examples from '../../renderer/src/panels/examples.json';

const HS256 = examples.find((e) => e.id === 'hs256')!;

let web: RunningWebHost;
let page: Page;

appPagePerTest({}, (app) => ({ web, page } = app));

/** Opens the app and loads the HS256 example: its token, and its secret in the Verification panel. */
async function loadSignedExample(): Promise<string> {
  await openApp(page, web);
  await page.getByRole('combobox', { name: 'Examples' }).selectOption('hs256');
  await verdictText('Signature valid');
  await waitForText(page, 'Encoded token', (t) => t === HS256.token);
  return waitForText(page, 'Payload', (t) => t.includes('Ada Lovelace'));
}

function verdict() {
  return page.getByRole('region', { name: 'Verification' }).locator('.verification-status');
}

/** Waits for the overall verdict's headline to start with `text` ("Signature valid — …"). */
async function verdictText(text: string): Promise<string> {
  await verdict().getByRole('status', { name: 'Verdict' }).locator('strong', { hasText: new RegExp(`^${text} —`) }).waitFor();
  return (await verdict().textContent()) ?? '';
}

const banner = () => page.getByRole('region', { name: 'Encoded token' }).getByText(/^Modified/);
const segment = (token: string, i: number) => Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8');

describe('undo and exact re-signing in the debugger', () => {
  it('Ctrl+Z in the Payload pane returns to the loaded token, and stops at the loaded text', async () => {
    const loaded = await loadSignedExample();

    // A real edit, typed: on the line `  "name": "Ada Lovelace",`, before the closing quote.
    const payload = page.getByRole('region', { name: 'Payload' });
    await payload.locator('.view-line span span', { hasText: '"Ada Lovelace"' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(' Byron');
    await waitForText(page, 'Payload', (t) => t.includes('"Ada Lovelace Byron"'));
    await banner().waitFor();
    const edited = await waitForText(page, 'Encoded token', (t) => t !== HS256.token && segment(t, 1).includes('Ada Lovelace Byron'));
    expect(segment(edited, 1)).toBe(await editorText(page, 'Payload'));

    // Undo until the payload is the loaded text again (typing may take more than one undo step).
    for (let i = 0; i < 10 && (await editorText(page, 'Payload')) !== loaded; i++) {
      await page.keyboard.press('ControlOrMeta+Z');
    }
    expect(await editorText(page, 'Payload')).toBe(loaded);
    await expect.poll(() => banner().count()).toBe(0);
    expect(await waitForText(page, 'Encoded token', (t) => t === HS256.token)).toBe(HS256.token);
    expect(await verdictText('Signature valid')).toContain('HS256');

    // More undo never goes past the loaded text: not to the empty pane the token was loaded into.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ControlOrMeta+Z');
    // Give a (wrong) change the time to show before reading it again.
    await page.waitForTimeout(300);
    expect(await editorText(page, 'Payload')).toBe(loaded);
    expect(await editorText(page, 'Encoded token')).toBe(HS256.token);
    expect(await banner().count()).toBe(0);
    expect(await verdict().textContent()).toContain('Signature valid —');

    // Nor does the Encoded pane's: loading the example into it was not an undoable edit of the empty pane.
    await page.getByRole('region', { name: 'Encoded token' }).getByRole('textbox').first().focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ControlOrMeta+Z');
    await page.waitForTimeout(300);
    expect(await editorText(page, 'Encoded token')).toBe(HS256.token);
    expect(await editorText(page, 'Payload')).toBe(loaded);
  });

  it('re-signs the Payload exactly as typed (1.0, spacing, member order): the new token decodes to that text', async () => {
    await loadSignedExample();
    const header = await editorText(page, 'Header');
    const typed = '{"a": 1.0,  "z":1, "b":2}';
    await replaceText(page, 'Payload', typed);
    await page.getByText(/Modified — re-signed with .* \(HS256\)/).waitFor();
    const resigned = await waitForText(page, 'Encoded token', (t) => t !== HS256.token && t.split('.').length === 3 && segment(t, 1) === typed);
    expect(segment(resigned, 1)).toBe(typed);
    expect(segment(resigned, 0)).toBe(header);
    expect(await verdictText('Signature valid')).toContain('HS256');
    // The pane is not reformatted under the user.
    expect(await editorText(page, 'Payload')).toBe(typed);
  });

  it('shows a JWE as encrypted: a note in the Payload pane, its parts as JWE parts in the Signature region', async () => {
    await loadSignedExample();
    await page.getByRole('combobox', { name: 'Examples' }).selectOption('jwe');
    const note = page.getByRole('region', { name: 'Payload' }).getByLabel('Payload (encrypted)');
    await note.waitFor();
    expect(await note.textContent()).toContain('Encrypted (JWE) — the payload is the ciphertext; decrypt to inspect.');
    const parts = page.getByRole('region', { name: 'Signature' }).getByRole('list', { name: 'JWE parts' });
    expect(await parts.getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^Encrypted key [\w-]+$/),
      expect.stringMatching(/^Initialization vector [\w-]+$/),
      expect.stringMatching(/^Ciphertext \d+ bytes$/),
      expect.stringMatching(/^Authentication tag [\w-]+$/),
    ]);
    // (The Header pane is short: only its first lines are rendered.)
    expect(await waitForText(page, 'Header', (t) => t.includes('"enc"'))).toContain('"enc": "A256GCM"');
    // Nothing here is editable, so nothing is modified.
    expect(await banner().count()).toBe(0);
  });
});
