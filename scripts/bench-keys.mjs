// Benchmark (not a test) of the key store's hot paths through the real contract dispatcher and services:
//  - crypto.sign / crypto.verify with a stored key by id (the store keeps the prepared key until the file
//    changes) against the same key sent as text (PEM / JWK, parsed on every call, as the debugger did before
//    stored keys): tokens per second;
//  - keys.generate (generate, thumbprint, encrypt, atomic write with fsync) against a bare
//    node:crypto generateKeyPair: the store's overhead per key, in ms.
//
//   node scripts/bench-keys.mjs         BENCH_KEYS_ROUNDS (default 5), BENCH_KEYS_OPS (default 2000)
//
// Prints a table and writes bench/results-keys.json as [{figure, unit, median, baseline, ratio}]: median and
// baseline are medians over the rounds, ratio = median / baseline.
import { generateKeyPair } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bundleForBench } from '../bench/bundle.mjs';
import { median } from '../bench/measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_KEYS_ROUNDS ?? 5);
const OPS = Number(process.env.BENCH_KEYS_OPS ?? 2000);
const generatePair = promisify(generateKeyPair);
const SERVICES = [
        "export { createHandlers, createServices } from './electron/services/index.ts';",
        "export { createDispatcher } from './shared/contract/dispatch.ts';",
        "export { generateKey, keygenOutput } from './electron/services/keys/index.ts';",
      ].join('\n');



/** Calls per second of `op` over OPS sequential calls. */
async function rate(op) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) await op(i);
  return OPS / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function ms(op) {
  const start = process.hrtime.bigint();
  await op();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const round2 = (n) => Math.round(n * 100) / 100;

async function main() {
  const { createHandlers, createServices, createDispatcher, generateKey, keygenOutput } = await (await bundleForBench('keys', { contents: SERVICES })).module();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-keys-'));
  try {
    const dispatch = createDispatcher(createHandlers(createServices({ dataDir, keys: { unencryptedTestStore: true } })));
    const call = async (method, request) => {
      const result = await dispatch(method, request, { transport: 'http' });
      if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
      return result.value;
    };
    await call('keys.status', {});

    const pem = await keygenOutput(await generateKey('ES256', { kid: 'bench' }), 'pem');
    const jwk = await keygenOutput(await generateKey('ES256', { kid: 'bench-jwk' }), 'jwk');
    const [stored] = (await call('keys.import', { input: { type: 'pem', value: pem.private } })).imported;
    const [storedJwk] = (await call('keys.import', { input: { type: 'jwk', value: JSON.stringify(jwk.private) } })).imported;
    const headerText = '{"typ":"JWT"}';
    const payloadText = '{"sub":"bench","iat":1700000000}';
    const token = (await call('crypto.sign', { headerText, payloadText, key: { type: 'stored', id: storedJwk.id } })).token;

    const rows = [];
    const figure = async (name, unit, measure, baseline) => {
      const a = [];
      const b = [];
      const ratios = [];
      for (let r = 0; r < ROUNDS; r++) {
        const x = await measure();
        const y = await baseline();
        a.push(x);
        b.push(y);
        ratios.push(x / y);
      }
      rows.push({ figure: name, unit, median: round2(median(a)), baseline: round2(median(b)), ratio: round2(median(ratios)) });
    };

    await figure(
      'crypto.sign ES256 via the dispatcher: stored key by id vs the same key as PEM text',
      'tokens/s',
      () => rate(() => call('crypto.sign', { headerText, payloadText, key: { type: 'stored', id: stored.id } })),
      () => rate(() => call('crypto.sign', { headerText, payloadText, key: { type: 'pem', value: pem.private } })),
    );
    await figure(
      'crypto.verify ES256 via the dispatcher: stored key by id vs the public JWK as text',
      'tokens/s',
      () => rate(() => call('crypto.verify', { token, key: { type: 'stored', id: storedJwk.id } })),
      () => rate(() => call('crypto.verify', { token, key: { type: 'jwk', value: JSON.stringify(jwk.public) } })),
    );
    await figure(
      'keys.generate ES256 (with thumbprint, sealing, atomic write) vs bare generateKeyPair',
      'ms',
      () => ms(() => call('keys.generate', { alg: 'ES256' })),
      () => ms(() => generatePair('ec', { namedCurve: 'P-256' })),
    );
    await figure(
      'keys.generate RS256 2048 (with thumbprint, sealing, atomic write) vs bare generateKeyPair',
      'ms',
      () => ms(() => call('keys.generate', { alg: 'RS256', bits: 2048 })),
      () => ms(() => generatePair('rsa', { modulusLength: 2048 })),
    );

    console.table(rows);
    fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench/results-keys.json'), `${JSON.stringify(rows, null, 2)}\n`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
