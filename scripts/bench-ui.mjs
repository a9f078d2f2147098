#!/usr/bin/env node
/**
 * The debugger's UI benchmark (issue 3), in Debian's Chromium against the built app served by
 * dist/web/main.mjs (run `npm run build` first). Not a test: a shared machine is noisy.
 *
 * - keystroke → render: the app measures each change of the Encoded pane (`workbench:keystroke` measures),
 *   from the input event's time stamp (so the editor's own handling of the key counts) to the end of the
 *   frame that shows every pane updated (a task posted from the next animation frame runs after its style,
 *   layout and paint). Keystrokes
 *   are real key presses in the middle of the payload, alternately a character (the token breaks: error
 *   marker, last good decode kept) and Backspace (it decodes again: panes, lint, colours), and at the end
 *   of the signature. For a 1 KB and a 100 KB token; p50 and p95.
 * - load → first contentful paint, → input ready (the Encoded pane accepts a paste: `workbench:input-ready`;
 *   a plain text box stands in until Monaco arrives), → editor ready (`workbench:editor-ready`): medians of 5 loads.
 * - initial JS, gzip: the scripts index.html loads (Monaco is a lazily loaded chunk, reported apart).
 *
 * Baselines: jwt.io's debugger measured the same way (32 ms p95 for 1 KB, 163 ms for 100 KB, usable
 * 1.13 s after load). Prints a table; writes bench/results-ui.json as [{figure, unit, median, baseline, ratio}].
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { SignJWT } from 'jose';
import { launchChromium, pasteInto, repoRoot, startHost } from './ui-harness.mjs';

const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 60);
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const JWT_IO = { p95_1k: 32, p95_100k: 163, usable: 1130 };

async function tokenOfSize(bytes) {
  const secret = new TextEncoder().encode('bench-secret-bench-secret-bench-secret!');
  const base = { iss: 'https://issuer.example.com', sub: 'user-4711', aud: 'api://bench', iat: 1_767_225_600, exp: 4_102_444_800 };
  // Many small claims rather than one long string: closer to real large tokens (roles, permissions).
  const claims = { ...base, permissions: [] };
  let token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
  for (let i = 0; token.length < bytes; i++) {
    claims.permissions.push(`resource-${i}:read`);
    if (i % 16 === 0) token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
  }
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values) => percentile(values, 50);

async function measureLoads(context, url) {
  const paints = [];
  const ready = [];
  const usable = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('workbench:editor-ready').length > 0, null, { timeout: 30_000 });
    const timing = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      ready: performance.getEntriesByName('workbench:editor-ready')[0].startTime,
      usable: performance.getEntriesByName('workbench:input-ready')[0]?.startTime ?? NaN,
    }));
    usable.push(timing.usable);
    paints.push(timing.fcp);
    ready.push(timing.ready);
    await page.close();
  }
  return { fcp: median(paints), ready: median(ready), usable: median(usable) };
}

async function measureKeystrokes(context, url, token) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('.code-editor[data-editor-ready]').length >= 3, null, { timeout: 30_000 });
  // The cursor in the middle of the payload: paste the second half, go to the start, paste the first half.
  const middle = token.indexOf('.') + Math.floor((token.lastIndexOf('.') - token.indexOf('.')) / 2);
  await pasteInto(page, 'Encoded token', token.slice(middle));
  await page.keyboard.press('ControlOrMeta+Home');
  const box = page.getByRole('region', { name: 'Encoded token', exact: true }).getByRole('textbox').first();
  await box.evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, token.slice(0, middle));
  await page.waitForTimeout(500);

  const count = () => page.evaluate(() => performance.getEntriesByName('workbench:keystroke').length);
  const press = async (key) => {
    const before = await count();
    await page.keyboard.press(key);
    await page.waitForFunction((n) => performance.getEntriesByName('workbench:keystroke').length > n, before);
  };
  await page.evaluate(() => performance.clearMeasures('workbench:keystroke'));
  const warmup = 6;
  for (let i = 0; i < KEYSTROKES + warmup; i++) {
    if (i === warmup) await page.evaluate(() => performance.clearMeasures('workbench:keystroke'));
    await press(i % 2 === 0 ? 'x' : 'Backspace');
  }
  // And at the end of the token (the signature): typing there keeps the payload, as appending does.
  await page.keyboard.press('ControlOrMeta+End');
  for (let i = 0; i < KEYSTROKES / 2; i++) await press(i % 2 === 0 ? 'A' : 'Backspace');
  const durations = await page.evaluate(() => performance.getEntriesByName('workbench:keystroke').map((e) => e.duration));
  await page.close();
  return { p50: percentile(durations, 50), p95: percentile(durations, 95), n: durations.length };
}

function initialJsGzip() {
  const dir = path.join(repoRoot, 'dist/renderer');
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(dir, file))).length;
  const initial = srcs.reduce((sum, src) => sum + gz(src.replace(/^\.\//, '')), 0);
  const assets = fs.readdirSync(path.join(dir, 'assets'));
  const monaco = assets.filter((f) => /^(setup|jsonMode)-.*\.js$/.test(f)).reduce((sum, f) => sum + gz(`assets/${f}`), 0);
  return { initial, monaco };
}

const host = await startHost();
const { browser, context } = await launchChromium();
try {
  const load = await measureLoads(context, host.url);
  const small = await measureKeystrokes(context, host.url, await tokenOfSize(1024));
  const large = await measureKeystrokes(context, host.url, await tokenOfSize(100 * 1024));
  const js = initialJsGzip();
  const ratio = (value, baseline) => (baseline ? Math.round((value / baseline) * 100) / 100 : null);
  const round = (v) => Math.round(v * 10) / 10;
  const rows = [
    { figure: 'keystroke → render p95, 1 KB token (jwt.io: 32 ms)', unit: 'ms', median: round(small.p95), baseline: JWT_IO.p95_1k, ratio: ratio(small.p95, JWT_IO.p95_1k) },
    { figure: 'keystroke → render p50, 1 KB token', unit: 'ms', median: round(small.p50), baseline: null, ratio: null },
    { figure: 'keystroke → render p95, 100 KB token (jwt.io: 163 ms)', unit: 'ms', median: round(large.p95), baseline: JWT_IO.p95_100k, ratio: ratio(large.p95, JWT_IO.p95_100k) },
    { figure: 'keystroke → render p50, 100 KB token', unit: 'ms', median: round(large.p50), baseline: null, ratio: null },
    { figure: 'load → first contentful paint', unit: 'ms', median: round(load.fcp), baseline: null, ratio: null },
    { figure: 'load → input ready (jwt.io: usable after 1.13 s)', unit: 'ms', median: round(load.usable), baseline: JWT_IO.usable, ratio: ratio(load.usable, JWT_IO.usable) },
    { figure: 'load → Monaco editors ready', unit: 'ms', median: round(load.ready), baseline: JWT_IO.usable, ratio: ratio(load.ready, JWT_IO.usable) },
    { figure: 'initial JS, gzip (Monaco lazily loaded, not included)', unit: 'KB', median: round(js.initial / 1024), baseline: null, ratio: null },
    { figure: 'Monaco chunks, gzip (loaded after first paint)', unit: 'KB', median: round(js.monaco / 1024), baseline: null, ratio: null },
  ];
  console.log(`keystrokes measured: ${small.n} (1 KB), ${large.n} (100 KB); loads: ${LOADS}`);
  console.table(rows.map(({ figure, unit, median: value, baseline, ratio: r }) => ({ figure, [unit]: value, baseline, ratio: r })));
  fs.mkdirSync(path.join(repoRoot, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'bench/results-ui.json'), `${JSON.stringify(rows, null, 2)}\n`);
  console.log('wrote bench/results-ui.json');
} finally {
  await browser.close();
  await host.stop();
}
