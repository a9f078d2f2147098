// Benchmark (not a test) of the known-secret scan (electron/services/crack/), worst case: an HS256 token whose
// secret is on no list, so every line of the bundled list (data/known-jwt-secrets, ~104k) is tried.
//  - wall time of the whole list with all workers (os.availableParallelism()): warm (pool started, list
//    loaded: a batch's every token after the first) and cold (new workers and a fresh read of the list: a
//    one-shot `jwtdbg crack`), against one core running a plain createHmac loop over the list;
//  - per core, in CPU time: the scanner's line scan on this thread against the same createHmac loop, and
//    against jwt_tool's algorithm — a Python loop of hmac.new(key, signing input, sha256).digest() compared
//    with the signature (python3, when present; the lines are split before its clock starts, which only
//    helps it). Rounds interleave the implementations; each ratio is the median of per-round ratios.
//
//   node scripts/bench-crack.mjs        BENCH_CRACK_ROUNDS (default 7)
//
// Prints a table and writes bench/results-crack.json as [{figure, unit, median, baseline, ratio, target}]:
// median and baseline are medians over the rounds; ratio = median / baseline per round, then the median.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBench } from '../bench/bundle.mjs';
import { median } from '../bench/measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_CRACK_ROUNDS ?? 7);
const LIST_FILE = path.join(root, 'data/known-jwt-secrets/jwt.secrets.list');


const round3 = (n) => Math.round(n * 1000) / 1000;

function cpuSeconds(fn) {
  const start = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(start);
  return { result, seconds: (used.user + used.system) / 1e6 };
}

async function wallSeconds(fn) {
  const start = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - start) / 1000 };
}

/** The baseline: createHmac per line, as a plain Node cracker would, with the same line splitting. */
function createHmacLoop(list, message, signature) {
  let tried = 0;
  for (let from = 0; from < list.length; ) {
    let lf = list.indexOf(10, from);
    if (lf === -1) lf = list.length;
    const end = lf > from && list[lf - 1] === 13 ? lf - 1 : lf;
    tried++;
    if (crypto.createHmac('sha256', list.subarray(from, end)).update(message).digest().equals(signature)) return { tried, found: true };
    from = lf + 1;
  }
  return { tried, found: false };
}

const PYTHON_LOOP = `
import hashlib, hmac, json, sys, time
path, message, signature = sys.argv[1], sys.argv[2].encode(), bytes.fromhex(sys.argv[3])
data = open(path, 'rb').read()
lines = data.split(b'\\n')
if data.endswith(b'\\n'):
    lines.pop()
lines = [l[:-1] if l.endswith(b'\\r') else l for l in lines]
start = time.process_time()
tried = 0
for key in lines:
    tried += 1
    if hmac.new(key, message, hashlib.sha256).digest() == signature:
        break
print(json.dumps({"seconds": time.process_time() - start, "tried": tried}))
`;

function hasPython() {
  return spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
}

function pythonRound(message, signature) {
  const run = spawnSync('python3', ['-c', PYTHON_LOOP, LIST_FILE, message, signature.toString('hex')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function main() {
  const crack = await (await bundleForBench('crack', 'electron/services/crack/index.ts')).module();
  const listBytes = fs.readFileSync(LIST_FILE);
  const list = await crack.loadKnownSecretsList(LIST_FILE);
  const secret = crypto.randomBytes(32).toString('base64url');
  const input = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"bench","iat":1700000000}').toString('base64url')}`;
  const token = `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
  const target = crack.hmacTargetOfText(token);
  const message = Buffer.from(input);
  const signature = Buffer.from(target.signature);
  const workers = os.availableParallelism();
  const python = hasPython();

  const pool = new crack.ScanPool(workers);
  const samples = { warm: [], cold: [], loopWall: [], ours: [], loop: [], python: [] };
  const check = (what, tried) => {
    if (tried !== list.lines) throw new Error(`${what} tried ${tried} lines, not the list's ${list.lines}`);
  };
  // One warm-up of each, untimed: the JIT and the workers settle.
  check('the pool', (await crack.crackHmac(target, [{ kind: 'builtin', list }], { pool })).tried);
  check('the createHmac loop', createHmacLoop(listBytes, message, signature).tried);

  for (let round = 0; round < ROUNDS; round++) {
    const warm = await wallSeconds(() => crack.crackHmac(target, [{ kind: 'builtin', list }], { pool }));
    check('the pool', warm.result.tried);
    samples.warm.push(warm.seconds);

    const cold = await wallSeconds(async () => {
      const fresh = new crack.ScanPool(workers);
      // As jwtdbg crack does: the workers start while the list is read.
      fresh.prestart();
      try {
        const bytes = new Uint8Array(new SharedArrayBuffer(listBytes.length));
        bytes.set(await fs.promises.readFile(LIST_FILE));
        return await crack.crackHmac(target, [{ kind: 'builtin', list: new crack.KnownSecretsList(LIST_FILE, bytes) }], { pool: fresh });
      } finally {
        await fresh.close();
      }
    });
    check('a fresh pool', cold.result.tried);
    samples.cold.push(cold.seconds);

    const loopWall = await wallSeconds(() => createHmacLoop(listBytes, message, signature));
    samples.loopWall.push(loopWall.seconds);

    // Per core: the scanner on this thread (what each worker runs), then the loop, in CPU time.
    const ours = cpuSeconds(() => {
      const scanner = crack.createHmacScanner(crypto.hash, 'sha256', target.message, target.signature);
      return scanner.scanLines(list.bytes, 0, list.bytes.length, null);
    });
    check('the scanner', ours.result.tried);
    samples.ours.push(ours.seconds);
    const loop = cpuSeconds(() => createHmacLoop(listBytes, message, signature));
    check('the createHmac loop', loop.result.tried);
    samples.loop.push(loop.seconds);
    if (python) {
      const py = pythonRound(input, signature);
      check('the Python loop', py.tried);
      samples.python.push(py.seconds);
    }
  }
  await pool.close();

  const rate = (seconds) => list.lines / seconds;
  const rows = [];
  const row = (figure, unit, mine, base, ratios, target) =>
    rows.push({ figure, unit, median: round3(median(mine)), baseline: round3(median(base)), ratio: round3(median(ratios)), target });
  const perRound = (a, b, f) => a.map((x, i) => f(x, b[i]));

  row(
    `whole list (${list.lines} lines, secret not on it), ${workers} workers, warm: wall vs a createHmac loop on one core`,
    's',
    samples.warm,
    samples.loopWall,
    perRound(samples.warm, samples.loopWall, (x, y) => x / y),
    '≤ 0.25 s',
  );
  row(
    `whole list, ${workers} workers, cold (worker start-up and list read included): wall vs a createHmac loop on one core`,
    's',
    samples.cold,
    samples.loopWall,
    perRound(samples.cold, samples.loopWall, (x, y) => x / y),
    '≤ 0.25 s',
  );
  row(
    'per core: scanner (one-shot crypto.hash over precomputed pads) vs a createHmac loop, CPU time',
    'candidates/s',
    samples.ours.map(rate),
    samples.loop.map(rate),
    perRound(samples.ours, samples.loop, (x, y) => y / x),
    '≥ 1.5×',
  );
  if (python) {
    row(
      "per core: scanner vs jwt_tool's algorithm (Python hmac.new loop), CPU time",
      'candidates/s',
      samples.ours.map(rate),
      samples.python.map(rate),
      perRound(samples.ours, samples.python, (x, y) => y / x),
      '',
    );
  } else {
    console.error('python3 not found: the jwt_tool comparison is left out');
  }

  console.error(`node ${process.version}, ${workers} workers, ${ROUNDS} rounds; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.table(rows);
  fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results-crack.json'), `${JSON.stringify(rows, null, 2)}\n`);
}

await main();
