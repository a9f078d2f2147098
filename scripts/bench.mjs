// Benchmarks: `npm run bench` (it builds first). Not a test: shared machines are noisy, so the figures are
// medians of many short interleaved rounds of CPU time (bench/measure.mjs) and the ratios are what to read:
// each is the median of per-round ratios between implementations timed back to back. Prints a table and
// writes bench/results.json as [{figure, unit, median, baseline, ratio}].
// BENCH_ROUNDS and BENCH_ROUND_MS (default 61 rounds of ~15 ms per implementation) trade time for stability;
// BENCH_ONLY=HS256,decode runs only the figures whose name contains one of the words (for profiling a change).
//
// The core is bundled from its TypeScript sources with esbuild (offline, no extra tooling) into
// node_modules/.cache/bench-core/core.mjs (bench/bundle.mjs), then imported like any module.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { bundleForBench } from '../bench/bundle.mjs';
import { ROUNDS, compare } from '../bench/measure.mjs';
import { decodeTokens, makeVerifySetups } from '../bench/fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { createVerifier } = require('fast-jwt');
const jsonwebtoken = require('jsonwebtoken');

const ENTRY = `
export { verifyToken, joseBackend } from './shared/core/verify';
export { prepareKeys } from './shared/core/keys';
export { createNodeBackend } from './electron/services/crypto-node';
export { decodeToken } from './shared/core/decode';
export { lintToken } from './shared/lint/index';
`;

/**
 * Bundles the core once, and imports it once per configuration (`instances` become distinct modules): a
 * process verifies with one backend, and timing the jose backend through the same functions would change
 * what the JIT learns about them, and so the node backend's figures, from one run to the next.
 */
async function loadCore(...instances) {
  const { outfile } = await bundleForBench('core', { contents: ENTRY });
  return Promise.all(instances.map((instance) => import(`${pathToFileURL(outfile).href}?${instance}`)));
}

/** The limit: split, base64url-decode the signature, run the primitive. No header, no claims. */
function rawVerifier(setup) {
  const { alg, keyObject } = setup;
  const hash = 'sha256';
  const options =
    alg === 'PS256'
      ? { key: keyObject, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : alg === 'ES256'
        ? { key: keyObject, dsaEncoding: 'ieee-p1363' }
        : keyObject;
  if (alg === 'HS256') {
    return (token) => {
      const dot = token.lastIndexOf('.');
      const signature = Buffer.from(token.slice(dot + 1), 'base64url');
      const mac = crypto.createHmac(hash, keyObject).update(token.slice(0, dot)).digest();
      return mac.length === signature.length && crypto.timingSafeEqual(mac, signature);
    };
  }
  return (token) => {
    const dot = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(dot + 1), 'base64url');
    return crypto.verify(alg === 'EdDSA' ? null : hash, Buffer.from(token.slice(0, dot)), options, signature);
  };
}

function fmt(n, unit) {
  if (unit === 'µs') return n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0);
  return Math.round(n).toLocaleString('en-US');
}

const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((w) => w.trim()).filter(Boolean) : null;
const wanted = (name) => !ONLY || ONLY.some((w) => name.includes(w));

const rows = [];
/** `ratio` is the median of per-round ratios (see bench/measure.mjs), close to median / baseline but steadier. */
function record(figure, unit, median, baseline, ratio, target) {
  rows.push({ figure, unit, median, baseline, ratio, target });
}

async function benchVerify(core, joseCore) {
  const node = core.createNodeBackend();
  for (const setup of makeVerifySetups()) {
    const { alg, token } = setup;
    if (!wanted(`verify ${alg}`)) continue;
    const keyInput = setup.pem
      ? { type: 'pem', value: setup.pem }
      : { type: 'secret', value: setup.secret.toString('base64url'), encoding: 'base64url' };
    const prepared = await core.prepareKeys(keyInput); // once, outside the timing
    const joseKeys = await joseCore.prepareKeys(keyInput);
    const raw = rawVerifier(setup);
    const fastJwt = createVerifier({ key: setup.pem ?? setup.secret, algorithms: [alg], cache: false });
    // Each peer gets its fastest key form: jsonwebtoken probes a raw secret with createPublicKey (an exception
    // per call), so it gets a KeyObject; fast-jwt caches what it derives from a PEM or secret.
    const jwtKey = setup.keyObject;
    const fns = {
      core: () => core.verifyToken(token, prepared, undefined, node),
      raw: () => raw(token),
      'fast-jwt': () => fastJwt(token),
      'core (jose backend)': () => joseCore.verifyToken(token, joseKeys, undefined, joseCore.joseBackend),
    };
    // jsonwebtoken 9 has no EdDSA.
    if (alg !== 'EdDSA') fns.jsonwebtoken = () => jsonwebtoken.verify(token, jwtKey, { algorithms: [alg] });
    const r = await compare(fns, (name, result) => (name.startsWith('core') ? result.ok : Boolean(result)));
    const versus = (name, other, figure, target) => record(figure, 'ops/s', r[name].opsPerSec, r[other].opsPerSec, r[name].speedup(other), target);
    versus('core', 'raw', `verify ${alg}: core (node backend) vs raw node:crypto`, '≥ 0.8');
    versus('core', 'fast-jwt', `verify ${alg}: core vs fast-jwt`, '≥ 1');
    if (r.jsonwebtoken) versus('core', 'jsonwebtoken', `verify ${alg}: core vs jsonwebtoken`, '≥ 1');
    versus('core (jose backend)', 'raw', `verify ${alg}: core (jose backend) vs raw node:crypto`, null);
    process.stderr.write(`  ${alg} done\n`);
  }
}

async function benchDecode(core) {
  const tokens = decodeTokens();
  const now = Math.floor(Date.now() / 1000);
  for (const [label, token] of [
    [`${(tokens.small.length / 1024).toFixed(1)} KB access token`, tokens.small],
    [`${Math.round(tokens.large.length / 1024)} KB token`, tokens.large],
  ]) {
    if (!wanted(`decode ${label}`)) continue;
    const r = await compare(
      {
        core: () => {
          const decoded = core.decodeToken(token);
          return decoded.ok ? core.lintToken(decoded.token, { now }) : null;
        },
        jose: () => decodeJwt(token) && decodeProtectedHeader(token),
      },
      (_, result) => result !== null && result !== undefined,
    );
    // µs: lower is better, so the ratio is core's time over jose's.
    record(`decode + lint, ${label}: core vs jose decodeJwt + decodeProtectedHeader`, 'µs', r.core.microseconds, r.jose.microseconds, r.jose.speedup('core'), label.includes('access') ? '< 50 µs' : null);
  }
}

function verdict(row) {
  if (!row.target) return '';
  if (row.target.startsWith('≥')) return row.ratio >= Number(row.target.slice(2)) ? 'met' : 'MISSED';
  return row.median < Number(row.target.replace(/[^0-9.]/g, '')) ? 'met' : 'MISSED';
}

function printTable() {
  const header = ['figure', 'unit', 'median', 'baseline', 'ratio', 'target', ''];
  const lines = rows.map((r) => [r.figure, r.unit, fmt(r.median, r.unit), fmt(r.baseline, r.unit), r.ratio.toFixed(2), r.target ?? '', verdict(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(line(l));
}

const [core, joseCore] = await loadCore('node', 'jose');
console.error(`node ${process.version}, ${ROUNDS} interleaved rounds per figure; ratio = median of per-round ratios to the baseline (ops/s: higher is better; µs: lower is better)`);
await benchVerify(core, joseCore);
await benchDecode(core);
printTable();
fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
if (ONLY) {
  console.error('BENCH_ONLY set: bench/results.json left as it was');
  process.exit(0);
}
fs.writeFileSync(
  path.join(root, 'bench/results.json'),
  `${JSON.stringify(rows.map(({ figure, unit, median, baseline, ratio }) => ({ figure, unit, median, baseline, ratio })), null, 2)}\n`,
);
console.error('wrote bench/results.json');
