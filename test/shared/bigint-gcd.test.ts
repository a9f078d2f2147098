import { describe, expect, it } from 'vitest';
import { bitLength, gcd } from '../../shared/core/bigint-gcd';

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
