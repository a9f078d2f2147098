import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GCD_THRESHOLDS, bitLength, gcd } from '../../shared/core/bigint-gcd';

/** Deterministic pseudo-random BigInts (xorshift), so a failure reproduces. */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  const word = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0).toString(16).padStart(8, '0');
  };
  return (bits: number): bigint => {
    let hex = '';
    for (let i = 0; i < Math.ceil(bits / 32); i++) hex += word();
    const value = BigInt(`0x${hex}`) >> BigInt(Math.ceil(bits / 32) * 32 - bits);
    return value | (1n << BigInt(bits - 1)); // exactly `bits` long
  };
}

function euclid(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

describe('bitLength', () => {
  it('counts the bits of |x|, on both sides of the 2^53 fast path', () => {
    const cases: [bigint, number][] = [
      [0n, 0],
      [1n, 1],
      [255n, 8],
      [256n, 9],
      [2n ** 52n, 53],
      [2n ** 53n - 1n, 53],
      [2n ** 53n, 54],
      [-(2n ** 100n), 101],
      [2n ** 4095n + 12345n, 4096],
    ];
    for (const [x, bits] of cases) expect(bitLength(x), x.toString(16)).toBe(bits);
  });

  it('is exact at every power of two and its neighbours, through the double-based and the hex paths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), (k) => {
        const p = 1n << BigInt(k);
        expect(bitLength(p)).toBe(k + 1);
        expect(bitLength(p - 1n)).toBe(k);
        expect(bitLength(p + 1n)).toBe(k + 1);
        expect(bitLength(-p)).toBe(k + 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('gcd', () => {
  it('handles zero, one, signs, equal numbers and divisors', () => {
    expect(gcd(0n, 0n)).toBe(0n);
    expect(gcd(0n, 12n)).toBe(12n);
    expect(gcd(12n, 0n)).toBe(12n);
    expect(gcd(-12n, 18n)).toBe(6n);
    expect(gcd(1n, 2n ** 1000n)).toBe(1n);
    const big = generator(1)(5000);
    expect(gcd(big, big)).toBe(big);
    expect(gcd(big * 7n, big)).toBe(big);
    expect(gcd(big, big * (2n ** 3000n + 1n))).toBe(big);
  });

  it('agrees with Euclid on random numbers with a planted common factor, across the algorithm’s size thresholds', () => {
    const random = generator(42);
    for (const bits of [40, 60, 300, 600, 1500, 5000, 12_000, 30_000]) {
      for (let i = 0; i < 4; i++) {
        const factor = random(Math.max(8, bits >> (i + 1)));
        const a = factor * random(bits);
        const b = factor * random(Math.max(8, bits - i * 37)); // unequal lengths too
        expect(gcd(a, b), `${bits} bits, case ${i}`).toBe(euclid(a, b));
      }
    }
  });

  it('finds a 2048-bit common factor of two million-bit numbers', () => {
    const random = generator(7);
    const factor = random(2048);
    const a = factor * random(1_000_000);
    const b = factor * random(1_000_000);
    const g = gcd(a, b);
    expect(a % g).toBe(0n);
    expect(b % g).toBe(0n);
    expect(g % factor).toBe(0n);
    // What is left beside the planted factor is the gcd of two random numbers: tiny.
    expect(bitLength(g / factor)).toBeLessThan(40);
  });
});

/**
 * Property tests against plain Euclid. Sizes straddle every threshold of the algorithm: doubles (53 bits),
 * the final Euclid, Lehmer's size, the smallest half-gcd node (2·Lehmer + margin), and the sizes from which
 * 2×2 products go through Strassen–Winograd (nodes of about 4× its entry size, the outermost pass 8×).
 */
const { margin, lehmerBits, quotientGap, winogradBits, finalBits } = GCD_THRESHOLDS;
const SMALL_SIZES = [
  1, 2, 31, 52, 53, 54, finalBits - 1, finalBits, finalBits + 1, 2 * finalBits + 1, 300,
  lehmerBits - 1, lehmerBits, lehmerBits + 1, 2 * lehmerBits + margin, 2 * lehmerBits + margin + 1,
  4 * lehmerBits + 3 * margin, 5000, 12_000,
];
const LARGE_SIZES = [4 * winogradBits + 4 * margin, 8 * winogradBits + 1000];

/** (a, b) built from a run of Euclid quotients, times c: gcd(a, b) = c exactly (continuants are coprime). */
function fromQuotients(random: (bits: number) => bigint, pick: () => number, bits: number, c: bigint): [bigint, bigint] {
  let [a, b] = [1n, 0n];
  while (bitLength(a) < bits) {
    const r = pick();
    // Mostly 1–3 (Fibonacci-like runs), some mid-sized, a few far longer than a top part predicts.
    const qBits = r < 0.7 ? 1 + Math.floor(r * 3) : r < 0.95 ? 2 + Math.floor(r * 40) : quotientGap + Math.floor(r * 2000);
    [a, b] = [random(qBits) * a + b, a];
  }
  return [a * c, b * c];
}

type Shape = 'random' | 'planted' | 'equal' | 'divides' | 'huge quotient' | 'powers of two' | 'quotients' | 'shared top' | 'tiny b';
const SHAPES: Shape[] = ['random', 'planted', 'equal', 'divides', 'huge quotient', 'powers of two', 'quotients', 'shared top', 'tiny b'];

/** A pair of the given shape, sizes around `bits`, from a seed (so a counterexample reproduces). */
function pairOf(shape: Shape, bits: number, other: number, seed: number): [bigint, bigint] {
  const random = generator(seed);
  let state = seed >>> 0 || 7;
  const pick = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const x = random(bits);
  switch (shape) {
    case 'random':
      return [x, random(other)];
    case 'planted': {
      const f = random(1 + (other % Math.max(1, bits)));
      return [f * x, f * random(other)];
    }
    case 'equal':
      return [x, x];
    case 'divides':
      return [x * random(other), x];
    case 'huge quotient':
      return [x * random(quotientGap + other) + random(Math.max(1, bits - 1)), x];
    case 'powers of two':
      return [(1n << BigInt(bits)) * (other % 2 ? x : 1n), 1n << BigInt(other)];
    case 'quotients':
      return fromQuotients(random, pick, bits, random(1 + (other % 300)));
    case 'shared top': {
      // Equal leading bits: the top parts say nothing, the sign and order fix-ups have to.
      const low = BigInt(Math.max(1, bits >> 1));
      return [(x << low) + random(Number(low)), (x << low) + random(Math.max(1, Number(low) - (other % 3)))];
    }
    case 'tiny b':
      return [x, random(1 + (other % 64))];
  }
}

describe('gcd, property tests', () => {
  it('agrees with Euclid on random and adversarial pairs of every size threshold, whatever the order and signs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SHAPES),
        fc.constantFrom(...SMALL_SIZES),
        fc.integer({ min: 1, max: 600 }),
        fc.integer(),
        (shape, bits, other, seed) => {
          const [a, b] = pairOf(shape, bits, other, seed);
          const expected = euclid(a, b);
          expect(gcd(a, b)).toBe(expected);
          expect(gcd(b, a)).toBe(expected);
          expect(gcd(-a, b)).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('agrees with Euclid at sizes between the thresholds too', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SHAPES), fc.integer({ min: 1, max: 6 * lehmerBits }), fc.integer({ min: 1, max: 3000 }), fc.integer(), (shape, bits, other, seed) => {
        const [a, b] = pairOf(shape, bits, other, seed);
        expect(gcd(a, b)).toBe(euclid(a, b));
      }),
      { numRuns: 300 },
    );
  });

  it('finds the exact gcd of large pairs, whose gcd is known by construction (Euclid would be too slow here)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LARGE_SIZES), fc.integer({ min: 1, max: 3000 }), fc.integer(), (bits, cBits, seed) => {
        const random = generator(seed);
        const c = random(cBits);
        let state = seed >>> 0 || 3;
        const pick = () => {
          state = (Math.imul(state, 1103515245) + 12345) >>> 0;
          return state / 2 ** 32;
        };
        // Continuants are coprime: the gcd is c itself.
        const [a, b] = fromQuotients(random, pick, bits, c);
        expect(gcd(a, b)).toBe(c);
        // Times a power of two: gcd(c·q, c·p·2^k) = c·2^min(k, twos of q), p and q being coprime.
        const q = b / c;
        const twos = bitLength(q & -q) - 1;
        expect(gcd(b, a << BigInt(cBits))).toBe(c << BigInt(Math.min(cBits, twos)));
        // One divides the other, with a quotient far longer than any top part.
        const x = random(bits);
        expect(gcd(x * random(cBits + bits / 4), x)).toBe(x);
      }),
      { numRuns: 6 },
    );
  });
});
