/**
 * shared/core/base64url.ts decodes with Chromium's native `Uint8Array.fromBase64` where it exists (the
 * renderer, Electron) and with its own loop elsewhere (Node 20). The module, bundled for the browser, runs
 * here in the real Chromium against the loop's answers computed in Node: same bytes for valid input of
 * every length and last-character variant (non-zero unused bits included), null for everything refused.
 */
import { build } from 'esbuild';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../shared/core/base64url';
import { launchBrowser } from './browser';
import type { Browser } from './browser';
import { repoRoot } from './web-host';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(repoRoot, 'shared/core/base64url.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'base64url',
    platform: 'browser',
    logLevel: 'silent',
  });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setContent('<!doctype html><title>base64url</title>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Deterministic bytes (no Math.random: a failure must reproduce). */
function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

it('the native path runs here and agrees with the loop, byte for byte, and refuses what the loop refuses', async () => {
  expect(await page.evaluate(() => typeof (Uint8Array as unknown as { fromBase64?: unknown }).fromBase64)).toBe('function');
  const inputs: string[] = [];
  for (const length of [190, 191, 192, 193, 194, 3000, 75_001]) {
    const text = encodeBase64url(bytesOf(length, length));
    inputs.push(text);
    // Every last character: non-zero unused bits are ignored by both (and noted by the decoder elsewhere).
    if (text.length % 4 !== 0) for (const last of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ-_') inputs.push(text.slice(0, -1) + last);
  }
  const valid = inputs[0]!;
  inputs.push(
    `${valid.slice(0, valid.length - (valid.length % 4))}A`, // a length of 4k+1
    `${valid}==`, // padding
    `${valid.slice(0, 100)} ${valid.slice(100)}`, // whitespace, which fromBase64 alone would skip
    `${valid.slice(0, 100)}+${valid.slice(101)}`, // the standard alphabet
    `${valid.slice(0, 100)}é${valid.slice(101)}`,
  );
  // The bytes, compared as their canonical base64url (the encoder is the same module, tested on its own).
  const expected = inputs.map((text) => {
    const bytes = decodeBase64url(text);
    return bytes === null ? null : `${bytes.length}:${encodeBase64url(bytes)}`;
  });
  expect(expected.filter((e) => e === null).length).toBeGreaterThanOrEqual(5);
  const actual = await page.evaluate((texts) => {
    type Module = { decodeBase64url(text: string): Uint8Array | null; encodeBase64url(bytes: Uint8Array): string };
    const { decodeBase64url: decode, encodeBase64url: encode } = (window as unknown as { base64url: Module }).base64url;
    return texts.map((text) => {
      const bytes = decode(text);
      return bytes === null ? null : `${bytes.length}:${encode(bytes)}`;
    });
  }, inputs);
  expect(actual).toEqual(expected);
}, 60_000);
