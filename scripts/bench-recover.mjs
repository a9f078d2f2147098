// Benchmark (not a test) of `jwtdbg recover-key`: recovering an RSA public key (e = 65537) from two RS256
// tokens, for a 1024- and a 2048-bit key. The work is two powers s^65537 (67 / 134 million bits) and the
// gcd of the two numbers (shared/core/bigint-gcd.ts); the baseline is the two powers alone, computed the
// same way in the same run, which any gcd method must pay first. One core, BigInt only.
//
//   node scripts/bench-recover.mjs      BENCH_RECOVER_ROUNDS (default 1), BENCH_RECOVER_BITS (default 1024,2048)
//
// Prints a table and writes bench/results-recover.json as [{figure, unit, median, baseline, ratio}]: median and
// baseline are medians over the rounds, ratio = median / baseline. The target is a 2048-bit key in under 60 s.
import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBench } from '../bench/bundle.mjs';
import { median } from '../bench/measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_RECOVER_ROUNDS ?? 1);
const SIZES = (process.env.BENCH_RECOVER_BITS ?? '1024,2048').split(',').map(Number);
const TARGET_2048_S = 60;


const round2 = (n) => Math.round(n * 100) / 100;
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');

function token(privateKey, claims) {
  const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function seconds(op) {
  const start = process.hrtime.bigint();
  const value = op();
  return { value, s: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function main() {
  const { recoverRsaPublicKey } = await (await bundleForBench('recover', 'electron/services/recover-key.ts')).module();
  const rows = [];
  for (const bits of SIZES) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    const expected = publicKey.export({ format: 'jwk' }).n;
    const t1 = token(privateKey, { sub: 'alice', iat: 1_700_000_000 });
    const t2 = token(privateKey, { sub: 'bob', iat: 1_700_000_001 });
    const signatures = [t1, t2].map((t) => BigInt(`0x${Buffer.from(t.split('.')[2], 'base64url').toString('hex')}`));
    const totals = [];
    const powers = [];
    for (let r = 0; r < ROUNDS; r++) {
      const run = seconds(() => recoverRsaPublicKey(t1, t2, { exponents: [65537] }));
      const c = run.value.candidates[0];
      if (!c || !c.verifies || c.n !== expected) throw new Error(`${bits}-bit key: the recovered key is wrong or missing`);
      totals.push(run.s);
      powers.push(seconds(() => signatures.map((s) => s ** 65537n)).s);
      console.log(`${bits}-bit key, round ${r + 1}: recovered in ${run.s.toFixed(1)} s (the two powers alone: ${powers.at(-1).toFixed(1)} s)`);
    }
    const total = median(totals);
    const power = median(powers);
    rows.push({
      figure: `recover-key RS256 ${bits}-bit key, e = 65537: recovery (s^e and gcd of ${Math.round((bits * 65537) / 1e6)}M-bit numbers, verify) vs the two powers alone`,
      unit: 's',
      median: round2(total),
      baseline: round2(power),
      ratio: round2(total / power),
    });
    if (bits === 2048) {
      console.log(total <= TARGET_2048_S ? `2048-bit target met (${TARGET_2048_S} s)` : `2048-bit target of ${TARGET_2048_S} s missed: ${total.toFixed(0)} s`);
    }
  }
  console.table(rows);
  fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results-recover.json'), `${JSON.stringify(rows, null, 2)}\n`);
}

await main();
