// `npm run bench`: runs every benchmark in turn (each measures its own baselines in the same run, so
// the ratios hold on a noisy machine), then merges their rows into bench/results.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
// [area, script, the file it writes]
const BENCHES = [
  ['core', 'scripts/bench.mjs', 'results.json'],
  ['keys', 'scripts/bench-keys.mjs', 'results-keys.json'],
  ['issuer', 'scripts/bench-issuer.mjs', 'results-issuer.json'],
  ['ui', 'scripts/bench-ui.mjs', 'results-ui.json'],
  ['crack', 'scripts/bench-crack.mjs', 'results-crack.json'],
  ['recover', 'scripts/bench-recover.mjs', 'results-recover.json'],
];
const only = process.argv.slice(2);

const merged = [];
let failed = 0;
for (const [area, script, output] of BENCHES) {
  if (only.length > 0 && !only.includes(area)) continue;
  console.log(`\n== ${area} (${script})`);
  const outputPath = path.join(benchDir, output);
  fs.rmSync(outputPath, { force: true });
  const run = spawnSync(process.execPath, [path.join(root, script)], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0 || !fs.existsSync(outputPath)) {
    console.error(`bench ${area} failed (exit ${run.status})`);
    failed++;
    continue;
  }
  for (const row of JSON.parse(fs.readFileSync(outputPath, 'utf8'))) merged.push({ area, ...row });
}
fs.mkdirSync(benchDir, { recursive: true });
fs.writeFileSync(path.join(benchDir, 'results.json'), `${JSON.stringify(merged, null, 2)}\n`);
console.log(`\nwrote bench/results.json (${merged.length} figures from ${BENCHES.length - failed} benchmarks)`);
process.exit(failed > 0 ? 1 : 0);
