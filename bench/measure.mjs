/**
 * Timing for scripts/bench.mjs. Competing implementations run in many short interleaved rounds (A B C, then
 * C B A, …) and each figure is the median of its rounds. Time is the process's CPU time (user + system), not
 * the wall clock: on a shared machine other processes steal the CPU in bursts, which inflates wall time at
 * random but not the CPU time the code itself used. CPU time still drifts with contention (shared caches,
 * clock speed), so a ratio is taken per round — between implementations timed back to back, under the same
 * conditions — and the median of those per-round ratios is reported. Every function is checked to really
 * succeed before it is timed.
 */

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 15);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 61);

/** CPU milliseconds for n calls. */
async function runBatch(fn, n) {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = fn();
    if (r instanceof Promise) await r;
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Iterations per round so that one round takes about ROUND_MS (after a warm-up that lets the JIT settle). */
async function calibrate(fn) {
  let n = 16;
  for (;;) {
    const ms = await runBatch(fn, n);
    if (ms >= ROUND_MS || n >= 1 << 24) return Math.max(1, Math.round((n * ROUND_MS) / Math.max(ms, 0.001)));
    n *= 2;
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times each named function. Returns { name: { opsPerSec, microseconds, speedup(other) } }: the median round
 * of each, and speedup(other) = the median over rounds of (other's time / this one's time) in the same round,
 * i.e. how many times faster this one is than `other` (> 1: faster).
 * `check` runs every function once first and must not throw (a benchmark of a failing call is worthless).
 */
export async function compare(fns, check = (name, result) => result) {
  const entries = Object.entries(fns);
  for (const [name, fn] of entries) {
    const result = await fn();
    if (!check(name, result)) throw new Error(`${name}: the benchmarked call does not succeed`);
  }
  const plan = [];
  for (const [name, fn] of entries) plan.push([name, fn, await calibrate(fn)]);
  const samples = Object.fromEntries(entries.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order so that no implementation always runs right after the same other one.
    const order = round % 2 ? [...plan].reverse() : plan;
    for (const [name, fn, n] of order) samples[name][round] = (await runBatch(fn, n)) / n;
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, msPerOp]) => {
      const ms = median(msPerOp);
      const speedup = (other) => median(msPerOp.map((mine, round) => samples[other][round] / mine));
      return [name, { opsPerSec: 1000 / ms, microseconds: ms * 1000, speedup }];
    }),
  );
}
