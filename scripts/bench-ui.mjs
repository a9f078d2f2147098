#!/usr/bin/env node
/**
 * The debugger's UI benchmark (issue 3), in Debian's Chromium against the built app served by
 * dist/web/main.mjs (run `npm run build` first). Not a test: a shared machine is noisy.
 *
 * - keystroke → panes updated, and → frame painted: the app measures each change of the Encoded pane (see
 *   renderer/src/keystroke-mark.ts), from the input event's time stamp (so the editor's own handling of the
 *   key counts) to the moment every pane holds the result (the work), and to the end of the frame that
 *   shows it (a task posted from the next animation frame runs after its style, layout and paint; this
 *   adds the wait for the display's next frame). Keystrokes are real key presses, one at a
 *   time with a pause between them as in typing: in the middle of the payload, alternately a character
 *   (the token breaks: error marker, last good decode kept; or its payload is no longer UTF-8) and
 *   Backspace (it decodes again: panes, lint, colours); then at the end of the signature. For a 1 KB and a
 *   100 KB token; p50 and p95.
 *   - Baseline, same run: the Encoded pane's editor alone (renderer/bench/editor-floor.tsx: the same
 *     component, options, width and colours, nothing reacting to it), typed into the same way in rounds
 *     interleaved with the app's. Ratio = app ÷ editor alone: what the debugger adds to a keystroke.
 *   - Under Chromium's 60 Hz frame clock, as a user sees it: the wait for the next frame counts. (Lifting
 *     the frame limit does not isolate the work here: Monaco then draws frames back to back, which costs
 *     more than the wait it removes.)
 * - load → first contentful paint, → input ready (the Encoded pane accepts a paste: `workbench:input-ready`;
 *   a plain text box stands in until Monaco arrives), → editor ready (`workbench:editor-ready`): the first
 *   load of a fresh profile, and the median of the 4 loads after it (cached assets and compiled code).
 * - initial JS, gzip: the scripts index.html loads (Monaco is a lazily loaded chunk, reported apart).
 *
 * jwt.io's debugger, measured on this machine: 32 ms p95 for 1 KB, 163 ms for 100 KB, usable 1.13 s after
 * load. Prints a table; writes bench/results-ui.json as [{figure, unit, median, baseline, ratio}].
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { SignJWT } from 'jose';
import { build as viteBuild } from 'vite';
import { launchChromium, pasteInto, repoRoot, startHost } from './ui-harness.mjs';

const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 40); // per round and page, in the payload
// Rounds alternate app and editor alone: more of them spread a burst of noise on this shared machine over both sides.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAUSE_MS = 50; // between keystrokes: a fast typist's pace, and the page idle when the key comes
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

/**
 * The first load in a fresh browser profile (nothing cached), then the median of LOADS - 1 later loads,
 * which reuse the cached assets and the compiled code V8 keeps for them, as every later start does.
 */
async function measureLoads(context, url) {
  const loads = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('workbench:editor-ready').length > 0, null, { timeout: 30_000 });
    loads.push(
      await page.evaluate(() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
        ready: performance.getEntriesByName('workbench:editor-ready')[0].startTime,
        usable: performance.getEntriesByName('workbench:input-ready')[0]?.startTime ?? NaN,
      })),
    );
    await page.close();
  }
  const [first, ...later] = loads;
  const medianOf = (key) => median(later.map((load) => load[key]));
  return { first, later: { fcp: medianOf('fcp'), ready: medianOf('ready'), usable: medianOf('usable') } };
}

/** Builds the editor-alone page (renderer/bench) and serves it on a loopback port. */
async function serveEditorFloor() {
  const outDir = path.join(repoRoot, 'dist/bench-ui');
  await viteBuild({
    configFile: false,
    root: path.join(repoRoot, 'renderer/bench'),
    base: './',
    plugins: [react()],
    worker: { format: 'es' },
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'chrome120', assetsInlineLimit: 0, chunkSizeWarningLimit: 8192, rollupOptions: { input: path.join(repoRoot, 'renderer/bench/editor-floor.html') } },
  });
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' };
  const server = http.createServer((req, res) => {
    const file = path.join(outDir, path.normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^([/\\])+/, '') || 'editor-floor.html');
    if (!file.startsWith(outDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/editor-floor.html`, close: () => new Promise((r) => server.close(r)) };
}

/** Pastes `token` into the Encoded pane with the cursor ending in the middle of its payload. */
async function pasteWithCursorInPayload(page, token) {
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
}

/** One key press, waiting for its measure without polling the page (polling would itself take frames). */
async function press(page, key) {
  await page.evaluate(() => {
    window.__nextKeystroke = new Promise((resolve) => {
      const observer = new PerformanceObserver((list) => {
        if (list.getEntriesByName('workbench:keystroke').length === 0) return;
        observer.disconnect();
        resolve();
      });
      observer.observe({ type: 'measure' });
    });
  });
  await page.keyboard.press(key);
  await page.evaluate(() => window.__nextKeystroke);
  await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
}

/** The durations of KEYSTROKES presses in the payload and KEYSTROKES / 2 at the end, after a warm-up. */
async function typeInto(page, token) {
  await pasteWithCursorInPayload(page, token);
  const warmup = 6;
  for (let i = 0; i < KEYSTROKES + warmup; i++) {
    if (i === warmup) {
      await page.evaluate(() => {
        performance.clearMeasures('workbench:keystroke');
        performance.clearMeasures('workbench:keystroke-update');
      });
    }
    await press(page, i % 2 === 0 ? 'x' : 'Backspace');
  }
  // And at the end of the token (the signature): typing there keeps the payload, as appending does.
  await page.keyboard.press('ControlOrMeta+End');
  for (let i = 0; i < KEYSTROKES / 2; i++) await press(page, i % 2 === 0 ? 'A' : 'Backspace');
  return page.evaluate(() => ({
    frame: performance.getEntriesByName('workbench:keystroke').map((e) => e.duration),
    update: performance.getEntriesByName('workbench:keystroke-update').map((e) => e.duration),
  }));
}

/** App and editor alone, in interleaved rounds (a fresh page each), under one frame clock. */
async function measureKeystrokes(context, appUrl, floorUrl, token) {
  const app = { frame: [], update: [] };
  const floor = { frame: [], update: [] };
  const add = (into, { frame, update }) => {
    into.frame.push(...frame);
    into.update.push(...update);
  };
  let floorWidth = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const page = await context.newPage();
    await page.goto(appUrl);
    await page.waitForFunction(() => document.querySelectorAll('.code-editor[data-editor-ready]').length >= 4, null, { timeout: 30_000 });
    floorWidth ||= await page.evaluate(() => document.querySelector('.editor-encoded').getBoundingClientRect().width);
    add(app, await typeInto(page, token));
    await page.close();

    const alone = await context.newPage();
    await alone.goto(`${floorUrl}?width=${Math.round(floorWidth)}`);
    await alone.waitForFunction(() => document.querySelector('.code-editor[data-editor-ready]') !== null, null, { timeout: 30_000 });
    add(floor, await typeInto(alone, token));
    await alone.close();
  }
  const stats = (values) => ({ p50: percentile(values, 50), p95: percentile(values, 95), n: values.length });
  return {
    frame: { app: stats(app.frame), floor: stats(floor.frame) },
    update: { app: stats(app.update), floor: stats(floor.update) },
  };
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
const floorPage = await serveEditorFloor();
const launched = [];
try {
  const { browser, context } = await launchChromium();
  launched.push(browser);
  const load = await measureLoads(context, host.url);
  const keystrokes = {};
  for (const [size, bytes] of [['1 KB', 1024], ['100 KB', 100 * 1024]]) {
    keystrokes[size] = await measureKeystrokes(context, host.url, floorPage.url, await tokenOfSize(bytes));
  }
  const js = initialJsGzip();
  const ratio = (value, baseline) => (baseline ? Math.round((value / baseline) * 100) / 100 : null);
  const round = (v) => Math.round(v * 10) / 10;
  const row = (figure, unit, value, baseline) => ({ figure, unit, median: round(value), baseline: baseline === null ? null : round(baseline), ratio: baseline === null ? null : ratio(value, baseline) });
  const rows = [];
  for (const [size, { update, frame }] of Object.entries(keystrokes)) {
    rows.push(row(`keystroke → panes updated p95, ${size} (baseline: the editor alone)`, 'ms', update.app.p95, update.floor.p95));
    rows.push(row(`keystroke → panes updated p50, ${size} (baseline: the editor alone)`, 'ms', update.app.p50, update.floor.p50));
    rows.push(row(`keystroke → frame painted p95, ${size} (baseline: the editor alone)`, 'ms', frame.app.p95, frame.floor.p95));
    rows.push(row(`keystroke → frame painted p50, ${size} (baseline: the editor alone)`, 'ms', frame.app.p50, frame.floor.p50));
  }
  rows.push(
    row('keystroke → frame painted p95, 1 KB (baseline: jwt.io)', 'ms', keystrokes['1 KB'].frame.app.p95, JWT_IO.p95_1k),
    row('keystroke → frame painted p95, 100 KB (baseline: jwt.io)', 'ms', keystrokes['100 KB'].frame.app.p95, JWT_IO.p95_100k),
    row('first load → first contentful paint', 'ms', load.first.fcp, null),
    row('first load → input ready (baseline: jwt.io usable)', 'ms', load.first.usable, JWT_IO.usable),
    row('first load → Monaco editors ready', 'ms', load.first.ready, null),
    row('later loads → first contentful paint', 'ms', load.later.fcp, null),
    row('later loads → input ready (baseline: jwt.io usable)', 'ms', load.later.usable, JWT_IO.usable),
    row('later loads → Monaco editors ready', 'ms', load.later.ready, null),
    row('initial JS, gzip (Monaco lazily loaded, not included)', 'KB', js.initial / 1024, null),
    row('Monaco chunks, gzip (loaded after first paint)', 'KB', js.monaco / 1024, null),
  );
  const counts = Object.entries(keystrokes).map(([size, k]) => `${size}: ${k.frame.app.n} + ${k.frame.floor.n}`).join('; ');
  console.log(`keystrokes measured (app + editor alone): ${counts}; loads: ${LOADS}`);
  console.table(rows.map(({ figure, unit, median: value, baseline, ratio: r }) => ({ figure, [unit]: value, baseline, ratio: r })));
  fs.mkdirSync(path.join(repoRoot, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'bench/results-ui.json'), `${JSON.stringify(rows, null, 2)}\n`);
  console.log('wrote bench/results-ui.json');
} finally {
  for (const browser of launched) await browser.close();
  await floorPage.close();
  await host.stop();
}
